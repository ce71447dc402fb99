"""Reads for a pilot's process pages: its stages and their history, its procurement record and its plan."""

from dataclasses import dataclass

from django.db.models import QuerySet

from partnerships.models import (
    Milestone,
    Objective,
    PartnershipPilot,
    ProcurementRecord,
    ProgressEntry,
    Risk,
    StageChange,
)
from partnerships.scoping import pilots_visible_to, progress_visible_to, risks_visible_to


def process_pilots(user) -> QuerySet[PartnershipPilot]:
    """The pilots `user` may open, with their lead officer; look one up by slug (a 404 when it is not there)."""
    return pilots_visible_to(user).select_related("lead_officer")


def stage_history(*, pilot: PartnershipPilot) -> QuerySet[StageChange]:
    """Every move of the pilot, oldest first, with who made it."""
    return StageChange.objects.filter(pilot=pilot).select_related("changed_by").order_by("changed_at", "pk")


def procurement_record(*, pilot: PartnershipPilot) -> ProcurementRecord | None:
    return ProcurementRecord.objects.filter(pilot=pilot).select_related("recorded_by").first()


# An objective, milestone or risk is looked up within its own pilot: another pilot's is a 404.


def pilot_objectives(*, pilot: PartnershipPilot) -> QuerySet[Objective]:
    return Objective.objects.filter(pilot=pilot).select_related("owner")


def pilot_milestones(*, pilot: PartnershipPilot) -> QuerySet[Milestone]:
    return Milestone.objects.filter(pilot=pilot)


def pilot_risks(*, pilot: PartnershipPilot) -> QuerySet[Risk]:
    return Risk.objects.filter(pilot=pilot).select_related("owner")


@dataclass(frozen=True)
class PilotPlan:
    objectives: list[Objective]
    milestones: list[Milestone]
    risks: list[Risk]
    progress: list[ProgressEntry]


def pilot_plan(*, pilot: PartnershipPilot, user) -> PilotPlan:
    """The pilot's plan as `user` may see it: providers never see internal risks or progress entries."""
    return PilotPlan(
        objectives=list(pilot_objectives(pilot=pilot)),
        milestones=list(pilot_milestones(pilot=pilot)),
        risks=list(risks_visible_to(user).filter(pilot=pilot).select_related("owner")),
        progress=list(progress_visible_to(user).filter(pilot=pilot).select_related("recorded_by")),
    )
