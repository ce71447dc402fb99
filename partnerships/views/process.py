"""A pilot's process: moving it through its stages, its procurement record, its plan and its stage history.

Officers change these (the partnership model permissions; directors only look). The stage history is open to
anyone who may see the pilot: a provider asking for a draft pilot gets a 404, as on every pilot page.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from partnerships.forms import process as forms
from partnerships.models import (
    Milestone,
    Objective,
    PartnershipPilot,
    ProgressEntry,
    Risk,
    Stage,
    StageChange,
)
from partnerships.scoping import sees_everything
from partnerships.selectors import process as selectors
from partnerships.services import plan as plan_services
from partnerships.services import stages as stage_services
from portal.forms import add_service_error
from portal.service_errors import ServiceError

CHANGE_STAGE_PERMISSION = "partnerships.change_partnershippilot"


class _PilotStepView(PermissionRequiredMixin, FormView):
    """A form about one pilot: the permission is checked before the pilot is looked up."""

    raise_exception = True
    pilot: PartnershipPilot

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.pilot = get_object_or_404(selectors.process_pilots(request.user), slug=kwargs["slug"])
        self.find_entry(kwargs)
        return super().dispatch(request, *args, **kwargs)

    def find_entry(self, kwargs: dict) -> None:
        """Look up the record the page is about, within the pilot."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(pilot=self.pilot, **kwargs)

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ServiceError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(saved))
        return redirect("partnerships:pilot", slug=self.pilot.slug)

    def save(self, form):
        raise NotImplementedError

    def success_message(self, saved) -> str:
        raise NotImplementedError


class StageChangeView(_PilotStepView):
    permission_required = CHANGE_STAGE_PERMISSION
    template_name = "partnerships/process/stage_change.html"
    form_class = forms.StageChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pilot": self.pilot}

    def get_context_data(self, **kwargs):
        return super().get_context_data(finished=self.pilot.stage in stage_services.FINISHED, **kwargs)

    def save(self, form) -> StageChange:
        return stage_services.pilot_stage_change(
            pilot=self.pilot,
            to_stage=form.cleaned_data["to_stage"],
            note=form.cleaned_data["note"],
            changed_by=self.request.user,
        )

    def success_message(self, saved: StageChange) -> str:
        if saved.to_stage == Stage.STOPPED:
            return f"{self.pilot} was stopped"
        return f"{self.pilot} moved to {saved.get_to_stage_display().lower()}"


class ProcurementView(_PilotStepView):
    permission_required = ("partnerships.add_procurementrecord", "partnerships.change_procurementrecord")
    template_name = "partnerships/process/procurement.html"
    form_class = forms.ProcurementForm

    def find_entry(self, kwargs: dict) -> None:
        self.record = selectors.procurement_record(pilot=self.pilot)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "record": self.record}

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def save(self, form):
        return stage_services.procurement_record_save(
            pilot=self.pilot, recorded_by=self.request.user, **form.cleaned_data
        )

    def success_message(self, saved) -> str:
        return f"The procurement record of {self.pilot} was saved"


class _PlanEntryView(_PilotStepView):
    """Adding to the pilot's plan, or (with `pk`) changing one of its entries: another pilot's entry is a 404."""

    template_name = "partnerships/process/plan_form.html"
    model: type
    entries: Callable  # the selector of the pilot's entries of this kind
    add: Callable  # the service that adds one
    update: Callable  # the service that changes one
    entry = None

    def find_entry(self, kwargs: dict) -> None:
        if "pk" in kwargs:
            self.entry = get_object_or_404(self.entries(pilot=self.pilot), pk=kwargs["pk"])

    @property
    def what(self) -> str:
        return str(self.model._meta.verbose_name)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.entry}

    def get_context_data(self, **kwargs):
        article = "an" if self.what[0] in "aeiou" else "a"
        heading = f"Change the {self.what}" if self.entry else f"Add {article} {self.what}"
        return super().get_context_data(heading=heading, entry=self.entry, **kwargs)

    def save(self, form):
        user = self.request.user
        if self.entry is None:
            return self.add(pilot=self.pilot, added_by=user, **form.values)
        return self.update(**{self.model._meta.model_name: self.entry}, changed_by=user, **form.values)

    def success_message(self, saved) -> str:
        done = "changed" if self.entry else "added"
        return f"The {self.what} was {done}"


class ObjectiveView(_PlanEntryView):
    model = Objective
    form_class = forms.ObjectiveForm
    entries = staticmethod(selectors.pilot_objectives)
    add = staticmethod(plan_services.objective_add)
    update = staticmethod(plan_services.objective_update)

    def get_permission_required(self):
        return ["partnerships.change_objective" if "pk" in self.kwargs else "partnerships.add_objective"]


class MilestoneView(_PlanEntryView):
    model = Milestone
    form_class = forms.MilestoneForm
    entries = staticmethod(selectors.pilot_milestones)
    add = staticmethod(plan_services.milestone_add)
    update = staticmethod(plan_services.milestone_update)

    def get_permission_required(self):
        return ["partnerships.change_milestone" if "pk" in self.kwargs else "partnerships.add_milestone"]


class RiskView(_PlanEntryView):
    model = Risk
    form_class = forms.RiskForm
    entries = staticmethod(selectors.pilot_risks)
    add = staticmethod(plan_services.risk_add)
    update = staticmethod(plan_services.risk_update)

    def get_permission_required(self):
        return ["partnerships.change_risk" if "pk" in self.kwargs else "partnerships.add_risk"]


class ProgressAddView(_PlanEntryView):
    model = ProgressEntry
    permission_required = "partnerships.add_progressentry"
    form_class = forms.ProgressEntryForm

    def get_initial(self):
        return {"entry_on": timezone.localdate()}

    def save(self, form):
        return plan_services.progress_entry_add(
            pilot=self.pilot, recorded_by=self.request.user, **form.values
        )

    def success_message(self, saved) -> str:
        return "The entry was added to the progress log"


class StageHistoryView(TemplateView):
    """Every move of the pilot, dated and attributed; council staff also see when and how it was procured."""

    template_name = "partnerships/process/stage_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        pilot = get_object_or_404(selectors.process_pilots(user), slug=self.kwargs["slug"])
        council_staff = sees_everything(user)
        return super().get_context_data(
            pilot=pilot,
            stage_changes=list(selectors.stage_history(pilot=pilot)),
            is_council_staff=council_staff,
            procurement=selectors.procurement_record(pilot=pilot) if council_staff else None,
            # Providers never change stages: asking would cost them two permission queries.
            can_change_stage=council_staff and user.has_perm(CHANGE_STAGE_PERMISSION),
            **kwargs,
        )


urlpatterns = [
    path("<slug:slug>/stage/", StageChangeView.as_view(), name="stage-change"),
    path("<slug:slug>/stages/", StageHistoryView.as_view(), name="stage-history"),
    path("<slug:slug>/procurement/", ProcurementView.as_view(), name="procurement"),
    path("<slug:slug>/objectives/add/", ObjectiveView.as_view(), name="objective-add"),
    path("<slug:slug>/objectives/<int:pk>/", ObjectiveView.as_view(), name="objective-edit"),
    path("<slug:slug>/milestones/add/", MilestoneView.as_view(), name="milestone-add"),
    path("<slug:slug>/milestones/<int:pk>/", MilestoneView.as_view(), name="milestone-edit"),
    path("<slug:slug>/risks/add/", RiskView.as_view(), name="risk-add"),
    path("<slug:slug>/risks/<int:pk>/", RiskView.as_view(), name="risk-edit"),
    path("<slug:slug>/progress/add/", ProgressAddView.as_view(), name="progress-add"),
]
