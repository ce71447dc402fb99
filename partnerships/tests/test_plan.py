"""A pilot's plan: adding and changing objectives, milestones and risks, and the progress log, attributed."""

import datetime as dt

import pytest
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from partnerships.models import Milestone, Objective, ProgressEntry, Risk
from partnerships.selectors.process import pilot_plan
from partnerships.services import plan
from partnerships.services.plan import PlanError
from partnerships.tests.factories import (
    MilestoneFactory,
    ObjectiveFactory,
    PartnershipPilotFactory,
    ProgressEntryFactory,
    RiskFactory,
)
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def officer_user():
    return CouncilUserFactory(full_name="Olu Officer")


@pytest.fixture
def pilot():
    return PartnershipPilotFactory()


@pytest.fixture
def owner():
    return OfficerFactory(full_name="Owen Owner")


def _refused(call, **kwargs) -> PlanError:
    with pytest.raises(PlanError) as refused:
        call(**kwargs)
    return refused.value


# Objectives


def test_an_objective_is_added_to_the_pilot_with_its_history_attributed(pilot, owner, officer_user):
    due = _today() + dt.timedelta(days=90)

    objective = plan.objective_add(
        pilot=pilot,
        added_by=officer_user,
        title="  Fewer delayed discharges ",
        measure="Days from medically fit to home",
        target="Under 2 days",
        owner=owner,
        due_on=due,
    )

    objective.refresh_from_db()
    assert (objective.pilot, objective.title, objective.owner, objective.due_on) == (
        pilot,
        "Fewer delayed discharges",
        owner,
        due,
    )
    (added,) = objective.history.all()
    assert (added.history_type, added.history_user, added.history_change_reason) == (
        "+",
        officer_user,
        "Objective added",
    )


def test_an_objective_is_changed_with_its_history_attributed(pilot, owner, officer_user):
    objective = ObjectiveFactory(pilot=pilot)

    plan.objective_update(objective=objective, changed_by=officer_user, target="Under 1 day", owner=owner)

    objective.refresh_from_db()
    assert (objective.target, objective.owner) == ("Under 1 day", owner)
    latest = objective.history.first()
    assert (latest.history_user, latest.history_change_reason) == (officer_user, "Objective changed")


def test_an_objective_owner_must_be_in_post(pilot, officer_user):
    left = OfficerFactory(active_to=_today() - dt.timedelta(days=1))

    error = _refused(
        plan.objective_add,
        pilot=pilot,
        added_by=officer_user,
        title="Objective",
        measure="Measure",
        target="Target",
        owner=left,
        due_on=_today(),
    )

    assert (error.message, error.field) == ("Choose an officer who is in post today", "owner")
    assert not Objective.objects.exists()


def test_an_objective_keeps_an_owner_who_has_since_left_when_other_things_change(pilot, officer_user):
    left = OfficerFactory(active_to=_today() - dt.timedelta(days=1))
    objective = ObjectiveFactory(pilot=pilot, owner=left)

    plan.objective_update(objective=objective, changed_by=officer_user, title="Renamed", owner=left)

    objective.refresh_from_db()
    assert (objective.title, objective.owner) == ("Renamed", left)


def test_an_objective_needs_a_title(pilot, owner, officer_user):
    objective = ObjectiveFactory(pilot=pilot, title="Kept")

    error = _refused(plan.objective_update, objective=objective, changed_by=officer_user, title="   ")

    assert (error.message, error.field) == ("Enter a title", "title")
    objective.refresh_from_db()
    assert objective.title == "Kept"


def test_only_the_fields_of_an_objective_can_be_changed(pilot, officer_user):
    objective = ObjectiveFactory(pilot=pilot)

    with pytest.raises(TypeError):
        plan.objective_update(objective=objective, changed_by=officer_user, pilot=PartnershipPilotFactory())


# Milestones


def test_a_milestone_is_added_and_completed(pilot, officer_user):
    milestone = plan.milestone_add(
        pilot=pilot, added_by=officer_user, title="Joint team in place", due_on=_today()
    )

    plan.milestone_update(milestone=milestone, changed_by=officer_user, completed_on=_today())

    milestone.refresh_from_db()
    assert milestone.completed_on == _today()
    assert [(record.history_change_reason, record.history_user) for record in milestone.history.all()] == [
        ("Milestone changed", officer_user),
        ("Milestone added", officer_user),
    ]


def test_a_milestone_cannot_be_completed_in_the_future(pilot, officer_user):
    milestone = MilestoneFactory(pilot=pilot)

    error = _refused(
        plan.milestone_update,
        milestone=milestone,
        changed_by=officer_user,
        completed_on=_today() + dt.timedelta(days=1),
    )

    assert (error.message, error.field) == (
        "The date the milestone was completed must be today or in the past",
        "completed_on",
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None


# Risks


def test_a_risk_is_added_and_closed_with_its_history_attributed(pilot, owner, officer_user):
    risk = plan.risk_add(
        pilot=pilot,
        added_by=officer_user,
        description="The partner's finances are fragile",
        likelihood=Risk.Level.LOW,
        impact=Risk.Level.HIGH,
        owner=owner,
        is_internal=True,
    )

    plan.risk_update(
        risk=risk, changed_by=officer_user, status=Risk.Status.CLOSED, mitigation="Monthly check"
    )

    risk.refresh_from_db()
    assert (risk.status, risk.mitigation, risk.is_internal, risk.owner) == (
        "closed",
        "Monthly check",
        True,
        owner,
    )
    assert risk.history.first().history_change_reason == "Risk changed"
    assert risk.history.last().history_change_reason == "Risk added"


def test_a_risk_needs_a_description(pilot, owner, officer_user):
    error = _refused(
        plan.risk_add,
        pilot=pilot,
        added_by=officer_user,
        description=" ",
        likelihood=1,
        impact=1,
        owner=owner,
    )

    assert (error.message, error.field) == ("Describe the risk", "description")
    assert not Risk.objects.exists()


# The progress log


def test_a_progress_entry_names_who_recorded_it(pilot, officer_user):
    entry = plan.progress_entry_add(
        pilot=pilot,
        recorded_by=officer_user,
        entry_on=_today(),
        text=" First meeting held. ",
        is_internal=True,
    )

    entry.refresh_from_db()
    assert (entry.pilot, entry.text, entry.recorded_by, entry.is_internal) == (
        pilot,
        "First meeting held.",
        officer_user,
        True,
    )


def test_a_progress_entry_cannot_be_dated_in_the_future(pilot, officer_user):
    error = _refused(
        plan.progress_entry_add,
        pilot=pilot,
        recorded_by=officer_user,
        entry_on=_today() + dt.timedelta(days=1),
        text="Not yet",
    )

    assert (error.message, error.field) == (
        "The date of the progress entry must be today or in the past",
        "entry_on",
    )
    assert not ProgressEntry.objects.exists()


def test_a_progress_entry_needs_text(pilot, officer_user):
    error = _refused(
        plan.progress_entry_add, pilot=pilot, recorded_by=officer_user, entry_on=_today(), text=""
    )

    assert (error.message, error.field) == ("Enter what happened", "text")


# What each visitor sees of the plan


def test_providers_never_see_internal_risks_or_progress_entries_of_the_plan(pilot):
    RiskFactory(pilot=pilot, description="Open risk")
    RiskFactory(pilot=pilot, description="Internal risk", is_internal=True)
    ProgressEntryFactory(pilot=pilot, text="Open entry")
    ProgressEntryFactory(pilot=pilot, text="Internal entry", is_internal=True)
    MilestoneFactory(pilot=pilot)
    MilestoneFactory()  # another pilot's

    for_provider = pilot_plan(pilot=pilot, user=ProviderUserFactory())
    for_officer = pilot_plan(pilot=pilot, user=CouncilUserFactory())

    assert [risk.description for risk in for_provider.risks] == ["Open risk"]
    assert [entry.text for entry in for_provider.progress] == ["Open entry"]
    assert {risk.description for risk in for_officer.risks} == {"Open risk", "Internal risk"}
    assert len(for_officer.progress) == 2
    assert len(for_provider.milestones) == 1
    assert Milestone.objects.count() == 2
