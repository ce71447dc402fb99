"""Relationship checks: officers open a round, the partners and the council answer it, everyone sees the trend.

A provider user answers only for its own organisation, in a pilot it is a partner of; any other round is a 404.
Council staff who may add responses answer for the council or record the answer of a partner that is not a
provider. The trend shows averages; only council staff see the comments.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import FormView, TemplateView

from partnerships.check_chart import TrendChart
from partnerships.forms import checks as forms
from partnerships.models import PartnershipPilot
from partnerships.scoping import pilots_visible_to
from partnerships.selectors import checks as selectors
from partnerships.services import checks as services
from portal.forms import add_service_error
from portal.permissions import is_council_staff

OPEN_PERMISSION = "partnerships.add_relationshipcheck"
ANSWER_PERMISSION = "partnerships.add_relationshipcheckresponse"


def _is_provider_user(user) -> bool:
    return bool(getattr(user, "provider_organisation_id", None))


def _answers_for_the_council(user) -> bool:
    return is_council_staff(user) and user.has_perm(ANSWER_PERMISSION)


class RelationshipView(TemplateView):
    """The pilot's relationship over the rounds: averages per side, overall and per theme."""

    template_name = "partnerships/checks/relationship.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        pilot = get_object_or_404(pilots_visible_to(user), slug=self.kwargs["slug"])
        trend = selectors.relationship_trend(pilot=pilot, user=user)
        open_round = selectors.open_round_for(pilot)
        if _is_provider_user(user):
            can_answer = open_round is not None and selectors.partner_of_user(user, pilot) is not None
        else:
            can_answer = open_round is not None and _answers_for_the_council(user)
        return super().get_context_data(
            pilot=pilot,
            trend=trend,
            chart=TrendChart.of(trend.answered_rounds) if trend.has_answers else None,
            open_round=open_round,
            can_answer=can_answer,
            can_open=is_council_staff(user) and user.has_perm(OPEN_PERMISSION),
            is_council_staff=is_council_staff(user),
            min_partners=selectors.MIN_PARTNERS_FOR_PROVIDERS,
            **kwargs,
        )


class CheckOpenView(PermissionRequiredMixin, FormView):
    permission_required = OPEN_PERMISSION
    raise_exception = True
    template_name = "partnerships/checks/open.html"
    form_class = forms.CheckOpenForm

    def dispatch(self, request, *args, **kwargs):
        # The role check comes before the pilot is looked up, so that someone who may not act learns nothing.
        if not self.has_permission():
            return self.handle_no_permission()
        self.pilot = get_object_or_404(
            PartnershipPilot.objects.select_related("lead_officer"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"opened_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pilot=self.pilot,
            still_open=selectors.rounds_still_open(self.pilot).order_by("-closes_on").first(),
            checkable=self.pilot.stage in selectors.CHECKABLE_STAGES,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            check_round = services.check_open(
                pilot=self.pilot, opened_by=self.request.user, **form.cleaned_data
            )
        except services.CheckError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Round opened: partners have been emailed and can answer until "
            f"{date_format(check_round.closes_on, 'j F Y')}",
        )
        return redirect("partnerships:relationship", slug=self.pilot.slug)


class CheckRespondView(FormView):
    """One side's ratings of every theme in a round; answering again before the round closes replaces them."""

    template_name = "partnerships/checks/respond.html"
    form_class = forms.CheckResponseForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.by_provider = _is_provider_user(user)
        if not self.by_provider and not _answers_for_the_council(user):
            raise PermissionDenied
        self.check_round = get_object_or_404(
            selectors.checks_answerable_by(user), pk=kwargs["pk"], pilot__slug=kwargs["slug"]
        )
        self.pilot = self.check_round.pilot
        self.own_partner = selectors.partner_of_user(user, self.pilot) if self.by_provider else None
        if self.by_provider and self.own_partner is None:
            raise Http404
        self.refusal = selectors.round_refusal(self.check_round)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.refusal:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        if self.by_provider:
            return {**super().get_form_kwargs(), "partners": None}
        self.others = list(selectors.partners_answered_for_by_the_council(self.pilot))
        return {**super().get_form_kwargs(), "partners": self.others}

    def _respondent_asked(self) -> str:
        """Council staff may come to record a given partner's answer: ?for=<partner pk>."""
        wanted = self.request.GET.get("for", "")
        return wanted if wanted in {str(partner.pk) for partner in self.others} else forms.COUNCIL

    def get_initial(self):
        if self.by_provider:
            partner = self.own_partner
            initial = {}
        else:
            respondent = self._respondent_asked()
            partner = next((other for other in self.others if str(other.pk) == respondent), None)
            initial = {"respondent": respondent}
        self.existing = selectors.existing_response(check_round=self.check_round, partner=partner)
        if self.existing is not None:
            initial.update({rating.theme: rating.rating for rating in self.existing.ratings.all()})
            initial["comment"] = self.existing.comment
        return initial

    def get_context_data(self, **kwargs):
        # The form first: making it finds the answer already given, shown above it.
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(
            pilot=self.pilot,
            check_round=self.check_round,
            refusal=self.refusal,
            by_provider=self.by_provider,
            own_partner=self.own_partner,
            existing=getattr(self, "existing", None),
            **kwargs,
        )

    def form_valid(self, form):
        partner = self.own_partner if self.by_provider else form.partner
        replacing = selectors.existing_response(check_round=self.check_round, partner=partner) is not None
        try:
            services.check_response_save(
                check_round=self.check_round,
                partner=partner,
                given_by=self.request.user,
                ratings=form.ratings,
                comment=form.cleaned_data["comment"],
            )
        except services.CheckError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        side = partner.name if partner else "the council"
        closes_on = date_format(self.check_round.closes_on, "j F Y")
        messages.success(
            self.request,
            f"{'New answers' if replacing else 'Answers'} saved for {side}"
            f"{', replacing the earlier ones' if replacing else ''}. They can be changed until {closes_on}",
        )
        return redirect("partnerships:relationship", slug=self.pilot.slug)


urlpatterns = [
    path("<slug:slug>/relationship/", RelationshipView.as_view(), name="relationship"),
    path("<slug:slug>/relationship/open/", CheckOpenView.as_view(), name="check-open"),
    path("<slug:slug>/relationship/<int:pk>/respond/", CheckRespondView.as_view(), name="check-respond"),
]
