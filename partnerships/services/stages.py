"""The staged process every pilot follows, and the procurement record it needs before it can be agreed.

A pilot moves one stage at a time: proposed, scoping, agreed, in delivery, evaluating, closed. It may be stopped
from any stage before it is closed, with a note saying why. Each move is checked against the stage's gate, kept as
a StageChange (dated, attributed) and in the pilot's history; a closed or stopped pilot stays where it is.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from partnerships.models import Evaluation, PartnershipPilot, ProcurementRecord, Stage, StageChange
from portal.service_errors import ServiceError

# The stage each stage leads to; stopping is possible from every stage before the end.
NEXT_STAGE: dict[str, str] = {
    Stage.PROPOSED: Stage.SCOPING,
    Stage.SCOPING: Stage.AGREED,
    Stage.AGREED: Stage.IN_DELIVERY,
    Stage.IN_DELIVERY: Stage.EVALUATING,
    Stage.EVALUATING: Stage.CLOSED,
}
FINISHED = frozenset({Stage.CLOSED, Stage.STOPPED})

NO_PROCUREMENT = "Record the procurement route and decision before the pilot can be agreed"
NO_OBJECTIVE = "Add at least one objective before the pilot can go into delivery"
NO_END_EVALUATION = "Publish the end-of-pilot evaluation before the pilot can be closed"
STOP_NOTE_REQUIRED = "Say why the pilot is stopped"
NOT_A_STAGE = "Choose the stage the pilot moves to"
DECIDED_IN_THE_FUTURE = "The date of the decision must be today or in the past"


class StageError(ServiceError):
    """A move of a pilot's stage that the process does not allow."""


class ProcurementError(ServiceError):
    """A procurement record that cannot be saved."""


def _label(stage: str) -> str:
    return Stage(stage).label.lower()


def next_stages(stage: str) -> list[Stage]:
    """Where a pilot at `stage` may go: its next stage and "stopped", or nowhere once it has finished."""
    if stage in FINISHED:
        return []
    return [Stage(NEXT_STAGE[stage]), Stage.STOPPED]


def _possible_moves(stage: str) -> str:
    return f"From {_label(stage)} it can only move to {_label(NEXT_STAGE[stage])}, or be stopped"


def _refusal(pilot: PartnershipPilot, to_stage: str, note: str) -> StageError | None:
    """Why `pilot` cannot move to `to_stage`, or None when it can."""
    current = pilot.stage
    if current == Stage.CLOSED:
        return StageError("This pilot is closed: its stage can no longer change")
    if current == Stage.STOPPED:
        return StageError("This pilot was stopped: its stage can no longer change")
    if to_stage not in Stage.values:
        return StageError(NOT_A_STAGE, field="to_stage")
    if to_stage == Stage.STOPPED:
        return None if note else StageError(STOP_NOTE_REQUIRED, field="note")
    if to_stage != NEXT_STAGE[current]:
        return StageError(
            f"A pilot cannot move from {_label(current)} to {_label(to_stage)}. {_possible_moves(current)}",
            field="to_stage",
        )
    return _gate(pilot, to_stage)


def _gate(pilot: PartnershipPilot, to_stage: str) -> StageError | None:
    """What a pilot must have before it enters `to_stage`."""
    if to_stage == Stage.AGREED and not ProcurementRecord.objects.filter(pilot=pilot).exists():
        return StageError(NO_PROCUREMENT)
    if to_stage == Stage.IN_DELIVERY and not pilot.objectives.exists():
        return StageError(NO_OBJECTIVE)
    if (
        to_stage == Stage.CLOSED
        and not pilot.evaluations.filter(point=Evaluation.Point.END, is_published=True).exists()
    ):
        return StageError(NO_END_EVALUATION)
    return None


def pilot_stage_change(*, pilot: PartnershipPilot, to_stage: str, changed_by, note: str = "") -> StageChange:
    """Move `pilot` to `to_stage`, record the move, and tell the lead officer when someone else made it."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = PartnershipPilot.objects.select_for_update().select_related("lead_officer").get(pk=pilot.pk)
        refusal = _refusal(locked, to_stage, note)
        if refusal is not None:
            raise refusal
        from_stage, now = locked.stage, timezone.now()
        locked.stage, locked.stage_changed_at = to_stage, now
        locked._history_user = changed_by
        locked._change_reason = f"Stage changed from {_label(from_stage)} to {_label(to_stage)}"
        locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        change = StageChange.objects.create(
            pilot=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            changed_at=now,
            changed_by=changed_by,
            note=note,
        )
        if _someone_else(locked, changed_by):
            _email_lead_officer(change)
    pilot.stage, pilot.stage_changed_at, pilot.updated_at = locked.stage, now, locked.updated_at
    return change


def _someone_else(pilot: PartnershipPilot, user) -> bool:
    lead = pilot.lead_officer
    if user is None:
        return True
    return lead.user_id != user.pk and lead.email.lower() != (user.email or "").lower()


def _email_lead_officer(change: StageChange) -> None:
    pilot = change.pilot
    by = change.changed_by
    context = {
        "pilot": pilot,
        "change": change,
        "lead": pilot.lead_officer,
        "changed_by": (by.full_name or by.email) if by else "Someone",
        "from_stage": change.get_from_stage_display(),
        "to_stage": change.get_to_stage_display(),
        "changed_on": date_format(timezone.localtime(change.changed_at), "j F Y"),
        "council_name": settings.COUNCIL_NAME,
        "history_url": settings.SITE_URL + reverse("partnerships:stage-history", kwargs={"slug": pilot.slug}),
    }
    subject = " ".join(render_to_string("partnerships/emails/stage_changed_subject.txt", context).split())
    body = render_to_string("partnerships/emails/stage_changed.txt", context)
    EmailMessage(subject, body, to=[pilot.lead_officer.email]).send()


def procurement_record_save(
    *,
    pilot: PartnershipPilot,
    recorded_by,
    route: str,
    decision: str,
    decided_on: dt.date,
    decided_by: str,
) -> ProcurementRecord:
    """Record how the council may lawfully enter the pilot, or change that record; its history says who did."""
    if decided_on > timezone.localdate():
        raise ProcurementError(DECIDED_IN_THE_FUTURE, field="decided_on")
    if route not in ProcurementRecord.Route.values:
        raise ProcurementError("Choose the procurement route", field="route")
    with transaction.atomic():
        record = ProcurementRecord.objects.select_for_update().filter(pilot=pilot).first()
        adding = record is None
        if adding:
            record = ProcurementRecord(pilot=pilot)
        record.route, record.decision, record.decided_on, record.decided_by = (
            route,
            decision.strip(),
            decided_on,
            decided_by.strip(),
        )
        record.recorded_by = recorded_by
        record._history_user = recorded_by
        record._change_reason = "Procurement recorded" if adding else "Procurement record changed"
        record.save()
    return record
