"""Answering the relationship survey from a personal link, and sending a cycle's invitations.

The answering pages need no sign-in: the link's token is the key. An unknown token gets the same "not found" page
whatever it is, so a guess learns nothing. Nothing here logs the token or who answered.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from portal.forms import add_service_error
from surveys.forms import respond as forms
from surveys.models import SurveyCycle
from surveys.selectors import respond as selectors
from surveys.services import invitations as invitation_services
from surveys.services import responses as services

SAVE = "save"


@method_decorator(never_cache, name="dispatch")
class RespondView(FormView):
    """The questionnaire of the invitation's audience: save and come back later, or send."""

    template_name = "surveys/respond/questionnaire.html"
    form_class = forms.ResponseForm

    def dispatch(self, request, *args, **kwargs):
        self.invitation = selectors.invitation_for_token(kwargs["token"])
        if self.invitation is None:
            return render(request, "surveys/respond/unknown_link.html", status=404)
        refusal = selectors.answering_refusal(self.invitation, today=timezone.localdate())
        self.questionnaire = None if refusal else selectors.questionnaire_for(self.invitation)
        if refusal or self.questionnaire is None:
            return self._refused(refusal)
        self.questions = list(self.questionnaire.questions.all())
        return super().dispatch(request, *args, **kwargs)

    def _refused(self, refusal: selectors.Refusal | None):
        refusal = refusal or selectors.Refusal(
            "The survey is not ready yet",
            "The questionnaire is not ready yet. Try again later with the same link.",
        )
        return render(self.request, "surveys/respond/refused.html", {"refusal": refusal})

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "questions": self.questions,
            "for_draft": SAVE in self.request.POST,
        }

    def get_initial(self):
        return forms.initial_answers(self.questions, self.invitation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitation=self.invitation,
            cycle=self.invitation.cycle,
            questionnaire=self.questionnaire,
            has_draft=bool(self.invitation.draft),
            **kwargs,
        )

    def form_valid(self, form):
        saving = SAVE in self.request.POST
        try:
            if saving:
                services.response_draft_save(invitation=self.invitation, answers=form.answers)
            else:
                services.response_submit(invitation=self.invitation, answers=form.answers)
        except services.ResponseError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if saving:
            closes_on = date_format(self.invitation.cycle.closes_on, "j F Y")
            messages.success(
                self.request,
                f"Your answers have been saved. Come back with the link in your email to finish and send them "
                f"by {closes_on}.",
            )
            return redirect(self.request.path)
        return redirect("surveys:respond-thanks")


class ThanksView(TemplateView):
    template_name = "surveys/respond/thanks.html"


class InvitationsSendView(PermissionRequiredMixin, FormView):
    """How many would be invited now; the button invites them (running it again invites only newcomers)."""

    permission_required = "surveys.add_invitation"
    raise_exception = True
    template_name = "surveys/respond/invitations_send.html"
    form_class = forms.InvitationsSendForm

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.cycle = get_object_or_404(SurveyCycle, year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        preview = selectors.invitation_preview(self.cycle, today=timezone.localdate())
        return super().get_context_data(cycle=self.cycle, preview=preview, **kwargs)

    def form_valid(self, form):
        try:
            invited = invitation_services.invitations_send(cycle=self.cycle, sent_by=self.request.user)
        except invitation_services.InvitationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if invited:
            messages.success(self.request, f"{invited} invitation{'s' if invited != 1 else ''} sent")
        else:
            messages.success(self.request, "Everyone had already been invited: no invitations sent")
        return redirect("surveys:invitations-send", year=self.cycle.year)


urlpatterns = [
    path("cycles/<int:year>/invitations/", InvitationsSendView.as_view(), name="invitations-send"),
    # Before the token's pattern, which "thanks" would otherwise match.
    path("answer/thanks/", login_not_required(ThanksView.as_view()), name="respond-thanks"),
    path("answer/<str:token>/", login_not_required(RespondView.as_view()), name="respond"),
]
