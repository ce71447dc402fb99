"""Engagement groups: the list, a group's page, its terms of reference and maturity; terms due; Tier One cadence.

Every signed-in user sees the groups; provider users see active groups without maturity or earlier terms.
Only the engagement manager (the models' permissions) changes a group, its terms or its maturity.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, ListView

from engagement.forms import groups as forms
from engagement.models import EngagementGroup
from engagement.selectors import groups as selectors
from engagement.services import groups as services
from engagement.views import followup
from portal.forms import add_service_error
from portal.permissions import CouncilStaffRequiredMixin, is_council_staff

PAGE_SIZE = 50


class GroupListView(ListView):
    template_name = "engagement/groups/group_list.html"
    context_object_name = "groups"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.kind = self.request.GET.get("kind", "")
        if self.kind not in EngagementGroup.Kind.values:
            self.kind = ""
        return selectors.groups_for_list(user=self.request.user, kind=self.kind)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            kinds=EngagementGroup.Kind.choices,
            chosen_kind=self.kind,
            is_council_staff=is_council_staff(user),
            can_add=user.has_perm("engagement.add_engagementgroup"),
            today=timezone.localdate(),
            **kwargs,
        )


class GroupDetailView(DetailView):
    template_name = "engagement/groups/group_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return selectors.group_for_page(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            page=selectors.group_page(group=self.object, user=user),
            is_council_staff=is_council_staff(user),
            can_edit=user.has_perm("engagement.change_engagementgroup"),
            can_add_terms=user.has_perm("engagement.add_termsofreference"),
            can_assess=user.has_perm("engagement.add_maturityassessment"),
            today=timezone.localdate(),
            **kwargs,
        )


class GroupPermissionMixin(PermissionRequiredMixin):
    """The role check runs before the group is looked up, so that someone who may not act learns nothing."""

    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.group = (
            get_object_or_404(EngagementGroup.objects.select_related("chair"), slug=kwargs["slug"])
            if "slug" in kwargs
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)


class GroupFormView(GroupPermissionMixin, FormView):
    template_name = "engagement/groups/group_form.html"
    form_class = forms.GroupForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.group}

    def form_valid(self, form):
        try:
            group = self.save(form.cleaned_data)
        except services.GroupError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(group))
        return redirect("engagement:group-detail", slug=group.slug)


class GroupAddView(GroupFormView):
    permission_required = "engagement.add_engagementgroup"

    def save(self, data):
        return services.group_create(by=self.request.user, **data)

    def success_message(self, group) -> str:
        return f"Group added: {group}"


class GroupEditView(GroupFormView):
    permission_required = "engagement.change_engagementgroup"

    def save(self, data):
        return services.group_update(group=self.group, by=self.request.user, **data)

    def success_message(self, group) -> str:
        return f"Changes to {group} saved"


class TermsAddView(GroupPermissionMixin, FormView):
    """A new version of the terms, starting from a copy of the latest one's text."""

    permission_required = "engagement.add_termsofreference"
    template_name = "engagement/groups/terms_form.html"
    form_class = forms.TermsForm

    @cached_property
    def previous(self):
        return selectors.latest_terms(self.group)

    def get_initial(self):
        if self.previous is None:
            return {"purpose": self.group.purpose}
        return {
            "purpose": self.previous.purpose,
            "membership": self.previous.membership,
            "decision_making": self.previous.decision_making,
            "frequency_and_quorum": self.previous.frequency_and_quorum,
        }

    def get_context_data(self, **kwargs):
        version = self.previous.version + 1 if self.previous else 1
        return super().get_context_data(previous=self.previous, version=version, **kwargs)

    def form_valid(self, form):
        try:
            terms = services.terms_create(group=self.group, by=self.request.user, **form.cleaned_data)
        except services.GroupError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Version {terms.version} of the terms of reference saved")
        return redirect("engagement:group-detail", slug=self.group.slug)


class MaturityAddView(GroupPermissionMixin, FormView):
    permission_required = "engagement.add_maturityassessment"
    template_name = "engagement/groups/maturity_form.html"
    form_class = forms.MaturityForm

    def get_initial(self):
        return {"assessed_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            services.maturity_assess(
                group=self.group,
                by=self.request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings,
                notes=form.cleaned_data["notes"],
            )
        except services.GroupError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Maturity assessment of {self.group} saved")
        return redirect("engagement:group-detail", slug=self.group.slug)


class TermsDueView(CouncilStaffRequiredMixin, ListView):
    """Active groups whose terms of reference are missing, overdue for review or due soon."""

    template_name = "engagement/groups/terms_due.html"
    context_object_name = "groups"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.today = timezone.localdate()
        return selectors.terms_due(today=self.today)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=self.today, due_soon_days=selectors.TERMS_DUE_SOON_DAYS, **kwargs
        )


class TierOneCadenceView(CouncilStaffRequiredMixin, ListView):
    """Tier One providers that have not met the council in a quarter, with their named contract manager."""

    template_name = "engagement/groups/tier_one_cadence.html"
    context_object_name = "providers"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.form = forms.QuarterForm(self.request.GET if "quarter" in self.request.GET else None)
        self.quarter = self.form.chosen
        return selectors.tier_one_cadence(quarter=self.quarter)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            quarter=self.quarter,
            is_current=self.quarter == self.form.quarters[0],
            **kwargs,
        )


urlpatterns = [
    path("groups/", GroupListView.as_view(), name="group-list"),
    path("groups/new/", GroupAddView.as_view(), name="group-add"),
    path("groups/terms-due/", TermsDueView.as_view(), name="terms-due"),
    path("groups/<slug:slug>/", GroupDetailView.as_view(), name="group-detail"),
    path("groups/<slug:slug>/edit/", GroupEditView.as_view(), name="group-edit"),
    path("groups/<slug:slug>/terms/new/", TermsAddView.as_view(), name="terms-add"),
    path("groups/<slug:slug>/maturity/new/", MaturityAddView.as_view(), name="maturity-add"),
    path("tier-one-cadence/", TierOneCadenceView.as_view(), name="tier-one-cadence"),
    *followup.urlpatterns,
]
