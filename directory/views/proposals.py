"""Contact proposals: providers propose, directory editors accept or decline with a reason."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from directory.forms.proposals import DecisionForm, ProposalForm
from directory.models import ContactProposal
from directory.selectors import proposals as selectors
from directory.services import proposals as services
from portal.permissions import CouncilStaffRequiredMixin, is_council_staff

DECIDE_PERMISSION = "directory.change_contactproposal"


class ProviderUserRequiredMixin(UserPassesTestMixin):
    """Provider users only: they act for their own organisation. Anyone else signed in gets 403."""

    raise_exception = True

    def test_func(self) -> bool:
        return bool(getattr(self.request.user, "provider_organisation_id", None))


class ProposalListView(ProviderUserRequiredMixin, ListView):
    """A provider's own proposals; council staff are sent to the queue."""

    template_name = "directory/proposals/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if is_council_staff(request.user):
            return redirect("directory:proposal-queue")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.proposals_of_own_organisation(self.request.user)


class ProposalCreateView(ProviderUserRequiredMixin, FormView):
    template_name = "directory/proposals/proposal_form.html"
    form_class = ProposalForm

    def form_valid(self, form):
        user = self.request.user
        try:
            proposal = services.proposal_create(
                provider=user.provider_organisation, proposed_by=user, **form.cleaned_data
            )
        except services.ProposalError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Your proposal of {proposal.name} was sent to the council")
        return redirect("directory:proposal-detail", pk=proposal.pk)


class ProposalQueueView(CouncilStaffRequiredMixin, ListView):
    """Proposals waiting for a decision, oldest first; `?show=decided` lists the decided ones."""

    template_name = "directory/proposals/proposal_queue.html"
    context_object_name = "proposals"
    paginate_by = 25

    @property
    def showing_decided(self) -> bool:
        return self.request.GET.get("show") == "decided"

    def get_queryset(self):
        if self.showing_decided:
            return selectors.proposals_decided()
        return selectors.proposals_waiting_for_decision()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "showing_decided": self.showing_decided}


class ProposalDetailView(DetailView):
    """Provider users see their own organisation's proposals (another's is a 404); council staff see all."""

    template_name = "directory/proposals/proposal_detail.html"
    context_object_name = "proposal"

    def get_queryset(self):
        return selectors.proposals_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        proposal = self.object
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "is_council_staff": is_council_staff(user),
            "can_decide": proposal.status == ContactProposal.Status.PENDING
            and user.has_perm(DECIDE_PERMISSION),
            "can_add_key_person": proposal.status == ContactProposal.Status.ACCEPTED
            and user.has_perm("directory.add_providerperson"),
        }


class ProposalDecideView(PermissionRequiredMixin, FormView):
    permission_required = DECIDE_PERMISSION
    raise_exception = True
    template_name = "directory/proposals/proposal_decide.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.proposal = get_object_or_404(selectors.proposals_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proposal": self.proposal}

    def form_valid(self, form):
        try:
            proposal = services.proposal_decide(
                proposal=self.proposal,
                decided_by=self.request.user,
                accept=form.accepts,
                reason=form.cleaned_data["decision_reason"],
            )
        except services.ProposalError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        outcome = proposal.get_status_display().lower()
        messages.success(
            self.request, f"You {outcome} the proposal of {proposal.name}; the provider has been emailed"
        )
        return redirect("directory:proposal-detail", pk=proposal.pk)


class ProposalAddKeyPersonView(PermissionRequiredMixin, View):
    """Add an accepted proposal's person to its provider's key people."""

    permission_required = "directory.add_providerperson"
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk: int):
        proposal = get_object_or_404(selectors.proposals_visible_to(request.user), pk=pk)
        try:
            person = services.proposal_add_key_person(proposal=proposal, added_by=request.user)
        except services.ProposalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{person.full_name} was added to {proposal.provider}’s key people")
        return redirect("directory:proposal-detail", pk=proposal.pk)


urlpatterns = [
    path("proposals/", ProposalListView.as_view(), name="proposal-list"),
    path("proposals/new/", ProposalCreateView.as_view(), name="proposal-create"),
    path("proposals/queue/", ProposalQueueView.as_view(), name="proposal-queue"),
    path("proposals/<int:pk>/", ProposalDetailView.as_view(), name="proposal-detail"),
    path("proposals/<int:pk>/decide/", ProposalDecideView.as_view(), name="proposal-decide"),
    path(
        "proposals/<int:pk>/add-key-person/",
        ProposalAddKeyPersonView.as_view(),
        name="proposal-add-key-person",
    ),
]
