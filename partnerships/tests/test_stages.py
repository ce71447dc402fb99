"""The staged process a pilot follows: every allowed move, every refusal, and the procurement record."""

import datetime as dt
from email import message_from_bytes

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from partnerships.models import PartnershipPilot, ProcurementRecord, Stage, StageChange
from partnerships.services import stages
from partnerships.services.stages import StageError, pilot_stage_change, procurement_record_save
from partnerships.tests.factories import (
    EvaluationFactory,
    ObjectiveFactory,
    PartnershipPilotFactory,
    ProcurementRecordFactory,
)
from portal.models import OutboxMessage
from portal.service_errors import ServiceError
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db

LIVE = [Stage.PROPOSED, Stage.SCOPING, Stage.AGREED, Stage.IN_DELIVERY, Stage.EVALUATING]
FORWARD = [
    (Stage.PROPOSED, Stage.SCOPING),
    (Stage.SCOPING, Stage.AGREED),
    (Stage.AGREED, Stage.IN_DELIVERY),
    (Stage.IN_DELIVERY, Stage.EVALUATING),
    (Stage.EVALUATING, Stage.CLOSED),
]
# Every move that is neither the next stage nor stopping: skipping ahead, going back, staying put.
NOT_ALLOWED = [
    (from_stage, to_stage)
    for from_stage in LIVE
    for to_stage in Stage
    if to_stage not in (stages.NEXT_STAGE[from_stage], Stage.STOPPED)
]
POSSIBLE = {
    Stage.PROPOSED: "From proposed it can only move to scoping, or be stopped",
    Stage.SCOPING: "From scoping it can only move to agreed, or be stopped",
    Stage.AGREED: "From agreed it can only move to in delivery, or be stopped",
    Stage.IN_DELIVERY: "From in delivery it can only move to evaluating, or be stopped",
    Stage.EVALUATING: "From evaluating it can only move to closed, or be stopped",
}


@pytest.fixture
def officer_user():
    return CouncilUserFactory(full_name="Olu Officer", email="olu.officer@council.example.org")


@pytest.fixture
def lead():
    return OfficerFactory(full_name="Lena Lead", email="lena.lead@council.example.org")


def _pilot(stage: str, lead=None, **kwargs) -> PartnershipPilot:
    return PartnershipPilotFactory(stage=stage, **({"lead_officer": lead} if lead else {}), **kwargs)


def _meet_the_gate(pilot: PartnershipPilot, to_stage: str) -> None:
    """Give the pilot what the stage it moves to needs."""
    if to_stage == Stage.AGREED:
        ProcurementRecordFactory(pilot=pilot)
    elif to_stage == Stage.IN_DELIVERY:
        ObjectiveFactory(pilot=pilot)
    elif to_stage == Stage.CLOSED:
        EvaluationFactory(pilot=pilot, point="end", is_published=True)


def _refused(pilot: PartnershipPilot, to_stage: str, by, note: str = "") -> StageError:
    with pytest.raises(StageError) as refused:
        pilot_stage_change(pilot=pilot, to_stage=to_stage, changed_by=by, note=note)
    return refused.value


def _unchanged(pilot: PartnershipPilot, stage: str) -> None:
    pilot.refresh_from_db()
    assert pilot.stage == stage
    assert not StageChange.objects.filter(pilot=pilot).exists()


# Allowed moves


@pytest.mark.parametrize(("from_stage", "to_stage"), FORWARD, ids=lambda stage: str(stage))
def test_a_pilot_moves_to_its_next_stage_with_the_move_recorded(from_stage, to_stage, officer_user):
    pilot = _pilot(from_stage)
    _meet_the_gate(pilot, to_stage)

    change = pilot_stage_change(
        pilot=pilot, to_stage=to_stage, changed_by=officer_user, note="On to the next"
    )

    pilot.refresh_from_db()
    assert pilot.stage == to_stage
    assert pilot.stage_changed_at == change.changed_at
    assert (change.pilot, change.from_stage, change.to_stage) == (pilot, from_stage, to_stage)
    assert (change.changed_by, change.note) == (officer_user, "On to the next")
    assert abs(change.changed_at - timezone.now()) < dt.timedelta(minutes=1)
    latest = pilot.history.first()
    assert latest.stage == to_stage
    assert latest.history_user == officer_user
    assert latest.history_change_reason == (
        f"Stage changed from {Stage(from_stage).label.lower()} to {Stage(to_stage).label.lower()}"
    )


@pytest.mark.parametrize("from_stage", LIVE, ids=str)
def test_a_pilot_can_be_stopped_from_any_stage_before_it_is_closed(from_stage, officer_user):
    pilot = _pilot(from_stage)

    change = pilot_stage_change(
        pilot=pilot, to_stage=Stage.STOPPED, changed_by=officer_user, note="  The trust withdrew.  "
    )

    pilot.refresh_from_db()
    assert pilot.stage == Stage.STOPPED
    assert (change.from_stage, change.to_stage, change.note) == (
        from_stage,
        Stage.STOPPED,
        "The trust withdrew.",
    )
    assert pilot.history.first().history_change_reason == (
        f"Stage changed from {Stage(from_stage).label.lower()} to stopped"
    )


def test_the_callers_pilot_shows_its_new_stage(officer_user):
    pilot = _pilot(Stage.PROPOSED)

    pilot_stage_change(pilot=pilot, to_stage=Stage.SCOPING, changed_by=officer_user)

    assert pilot.stage == Stage.SCOPING
    assert pilot.stage_changed_at is not None


def test_the_pilots_row_is_locked_while_it_moves(officer_user):
    pilot = _pilot(Stage.PROPOSED)

    with CaptureQueriesContext(connection) as queries:
        pilot_stage_change(pilot=pilot, to_stage=Stage.SCOPING, changed_by=officer_user)

    assert any(
        "FOR UPDATE" in query["sql"] and "partnerships_partnershippilot" in query["sql"]
        for query in queries.captured_queries
    )


# Refused moves


@pytest.mark.parametrize(("from_stage", "to_stage"), NOT_ALLOWED, ids=lambda stage: str(stage))
def test_a_move_outside_the_process_is_refused_saying_which_moves_are_possible(
    from_stage, to_stage, officer_user
):
    pilot = _pilot(from_stage)
    _meet_the_gate(pilot, to_stage)

    error = _refused(pilot, to_stage, officer_user)

    assert error.message == (
        f"A pilot cannot move from {Stage(from_stage).label.lower()} to {Stage(to_stage).label.lower()}. "
        f"{POSSIBLE[from_stage]}"
    )
    assert error.field == "to_stage"
    assert isinstance(error, ServiceError)
    _unchanged(pilot, from_stage)


@pytest.mark.parametrize("to_stage", list(Stage), ids=str)
@pytest.mark.parametrize(
    ("finished", "message"),
    [
        (Stage.CLOSED, "This pilot is closed: its stage can no longer change"),
        (Stage.STOPPED, "This pilot was stopped: its stage can no longer change"),
    ],
    ids=["closed", "stopped"],
)
def test_a_closed_or_stopped_pilot_cannot_move(finished, message, to_stage, officer_user):
    pilot = _pilot(finished)

    error = _refused(pilot, to_stage, officer_user, note="Restart it")

    assert error.message == message
    _unchanged(pilot, finished)


def test_a_pilot_cannot_be_agreed_without_a_procurement_record(officer_user):
    pilot = _pilot(Stage.SCOPING)

    error = _refused(pilot, Stage.AGREED, officer_user)

    assert error.message == "Record the procurement route and decision before the pilot can be agreed"
    _unchanged(pilot, Stage.SCOPING)


def test_another_pilots_procurement_record_does_not_count(officer_user):
    pilot = _pilot(Stage.SCOPING)
    ProcurementRecordFactory()

    assert _refused(pilot, Stage.AGREED, officer_user).message == stages.NO_PROCUREMENT


def test_a_pilot_cannot_go_into_delivery_without_an_objective(officer_user):
    pilot = _pilot(Stage.AGREED)
    ObjectiveFactory()  # another pilot's

    error = _refused(pilot, Stage.IN_DELIVERY, officer_user)

    assert error.message == "Add at least one objective before the pilot can go into delivery"
    _unchanged(pilot, Stage.AGREED)


@pytest.mark.parametrize(
    "evaluation",
    [
        None,
        {"point": "end", "is_published": False},
        {"point": "mid_point", "is_published": True},
        {"point": "after", "is_published": True},
    ],
    ids=["no evaluation", "end evaluation in draft", "only a mid-point evaluation", "only a follow-up"],
)
def test_a_pilot_cannot_close_without_a_published_end_of_pilot_evaluation(evaluation, officer_user):
    pilot = _pilot(Stage.EVALUATING)
    if evaluation:
        EvaluationFactory(pilot=pilot, **evaluation)

    error = _refused(pilot, Stage.CLOSED, officer_user)

    assert error.message == "Publish the end-of-pilot evaluation before the pilot can be closed"
    _unchanged(pilot, Stage.EVALUATING)


@pytest.mark.parametrize("note", ["", "   \n "], ids=["empty", "blank"])
def test_stopping_a_pilot_needs_a_note_saying_why(note, officer_user):
    pilot = _pilot(Stage.AGREED)

    error = _refused(pilot, Stage.STOPPED, officer_user, note=note)

    assert (error.message, error.field) == ("Say why the pilot is stopped", "note")
    _unchanged(pilot, Stage.AGREED)


def test_a_stage_that_does_not_exist_is_refused(officer_user):
    pilot = _pilot(Stage.SCOPING)

    error = _refused(pilot, "archived", officer_user)

    assert (error.message, error.field) == ("Choose the stage the pilot moves to", "to_stage")
    _unchanged(pilot, Stage.SCOPING)


def test_the_stage_is_checked_on_the_locked_row_not_the_callers_copy(officer_user):
    pilot = _pilot(Stage.PROPOSED)
    stale = PartnershipPilot.objects.get(pk=pilot.pk)
    pilot_stage_change(pilot=pilot, to_stage=Stage.SCOPING, changed_by=officer_user)

    error = _refused(stale, Stage.SCOPING, officer_user)

    assert error.message.startswith("A pilot cannot move from scoping to scoping")


def test_next_stages_are_the_next_one_and_stopping_until_the_pilot_finishes():
    assert stages.next_stages(Stage.PROPOSED) == [Stage.SCOPING, Stage.STOPPED]
    assert stages.next_stages(Stage.EVALUATING) == [Stage.CLOSED, Stage.STOPPED]
    assert stages.next_stages(Stage.CLOSED) == []
    assert stages.next_stages(Stage.STOPPED) == []


# The lead officer is told


def test_the_lead_officer_is_emailed_when_someone_else_moves_their_pilot(officer_user, lead):
    pilot = _pilot(Stage.PROPOSED, lead=lead, title="Discharge to assess")

    pilot_stage_change(
        pilot=pilot, to_stage=Stage.STOPPED, changed_by=officer_user, note="The trust withdrew."
    )

    sent = OutboxMessage.objects.get()
    assert sent.recipients == ["lena.lead@council.example.org"]
    assert sent.subject == "Discharge to assess is now stopped"
    body = message_from_bytes(bytes(sent.message)).get_payload(decode=True).decode()
    assert (
        "Olu Officer moved the partnership pilot you lead, Discharge to assess, from proposed to stopped"
        in body
    )
    assert "The trust withdrew." in body
    assert f"/partnerships/{pilot.slug}/stages/" in body


@pytest.mark.parametrize("linked_by", ["user", "email"])
def test_the_lead_officer_is_not_emailed_about_their_own_move(linked_by, lead):
    user = CouncilUserFactory(email="lena.lead@council.example.org")
    if linked_by == "user":
        user.email = "lena@elsewhere.example.org"
        user.save()
        lead.user = user
        lead.save()
    pilot = _pilot(Stage.PROPOSED, lead=lead)

    pilot_stage_change(pilot=pilot, to_stage=Stage.SCOPING, changed_by=user)

    assert not OutboxMessage.objects.exists()


def test_a_refused_move_emails_nobody(officer_user, lead):
    pilot = _pilot(Stage.SCOPING, lead=lead)

    _refused(pilot, Stage.AGREED, officer_user)

    assert not OutboxMessage.objects.exists()


# The procurement record


def _procurement(pilot, by, **changes) -> ProcurementRecord:
    values = {
        "route": ProcurementRecord.Route.GRANT,
        "decision": "  A grant to the voluntary partner; open to any provider in the area.  ",
        "decided_on": timezone.localdate() - dt.timedelta(days=2),
        "decided_by": "Commissioning board",
        **changes,
    }
    return procurement_record_save(pilot=pilot, recorded_by=by, **values)


def test_the_procurement_record_is_recorded_and_attributed(officer_user):
    pilot = _pilot(Stage.SCOPING)

    record = _procurement(pilot, officer_user)

    record.refresh_from_db()
    assert (record.pilot, record.route, record.recorded_by) == (pilot, "grant", officer_user)
    assert record.decision == "A grant to the voluntary partner; open to any provider in the area."
    (added,) = record.history.all()
    assert (added.history_type, added.history_user, added.history_change_reason) == (
        "+",
        officer_user,
        "Procurement recorded",
    )


def test_changing_the_procurement_record_keeps_its_history(officer_user):
    pilot = _pilot(Stage.SCOPING)
    first = _procurement(pilot, CouncilUserFactory())

    changed = _procurement(
        pilot, officer_user, route=ProcurementRecord.Route.DIRECT_AWARD, decided_on=timezone.localdate()
    )

    assert changed.pk == first.pk
    assert ProcurementRecord.objects.filter(pilot=pilot).count() == 1
    latest, earlier = changed.history.all()[:2]
    assert (latest.route, latest.history_user, latest.history_change_reason) == (
        "direct_award",
        officer_user,
        "Procurement record changed",
    )
    assert earlier.route == "grant"


def test_a_procurement_decision_cannot_be_dated_in_the_future(officer_user):
    pilot = _pilot(Stage.SCOPING)

    with pytest.raises(stages.ProcurementError) as refused:
        _procurement(pilot, officer_user, decided_on=timezone.localdate() + dt.timedelta(days=1))

    assert (refused.value.message, refused.value.field) == (
        "The date of the decision must be today or in the past",
        "decided_on",
    )
    assert not ProcurementRecord.objects.exists()


def test_once_recorded_the_procurement_lets_the_pilot_be_agreed(officer_user):
    pilot = _pilot(Stage.SCOPING)
    _procurement(pilot, officer_user)

    pilot_stage_change(pilot=pilot, to_stage=Stage.AGREED, changed_by=officer_user)

    assert PartnershipPilot.objects.get(pk=pilot.pk).stage == Stage.AGREED
