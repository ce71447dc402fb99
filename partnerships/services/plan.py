"""Changes to a pilot's plan: its objectives, milestones and risks, and the dated lines of its progress log.

Every change is attributed: objectives, milestones and risks keep their history (who, and why), progress entries
name who recorded them. Owners are officers in post on the day they are chosen.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from directory.models import Officer
from partnerships.models import Milestone, Objective, PartnershipPilot, ProgressEntry, Risk
from portal.service_errors import ServiceError

OBJECTIVE_FIELDS = ("title", "measure", "target", "owner", "due_on")
MILESTONE_FIELDS = ("title", "due_on", "completed_on")
RISK_FIELDS = ("description", "likelihood", "impact", "mitigation", "owner", "status", "is_internal")
_REQUIRED_TEXT = {
    "title": "Enter a title",
    "measure": "Enter how progress is measured",
    "target": "Enter the target",
    "description": "Describe the risk",
    "text": "Enter what happened",
}

COMPLETED_IN_THE_FUTURE = "The date the milestone was completed must be today or in the past"
ENTRY_IN_THE_FUTURE = "The date of the progress entry must be today or in the past"
OWNER_NOT_IN_POST = "Choose an officer who is in post today"


class PlanError(ServiceError):
    """A change to a pilot's plan that breaks one of its rules."""


def _checked(values: Mapping[str, Any], allowed: tuple[str, ...], *, before: models.Model | None) -> dict:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Not fields of the plan: {sorted(unknown)}")
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    for name, message in _REQUIRED_TEXT.items():
        if name in cleaned and not cleaned[name]:
            raise PlanError(message, field=name)
    today = timezone.localdate()
    if cleaned.get("completed_on") and cleaned["completed_on"] > today:
        raise PlanError(COMPLETED_IN_THE_FUTURE, field="completed_on")
    owner: Officer | None = cleaned.get("owner")
    owner_changed = owner is not None and (before is None or before.owner_id != owner.pk)
    if owner_changed and not Officer.objects.active(today).filter(pk=owner.pk).exists():
        raise PlanError(OWNER_NOT_IN_POST, field="owner")
    return cleaned


def _save(entry: models.Model, *, by, reason: str) -> None:
    entry._history_user = by
    entry._change_reason = reason
    entry.save()


def _add(model: type[models.Model], *, pilot: PartnershipPilot, by, fields: tuple[str, ...], values: dict):
    entry = model(pilot=pilot, **_checked(values, fields, before=None))
    with transaction.atomic():
        _save(entry, by=by, reason=f"{model._meta.verbose_name.capitalize()} added")
    return entry


def _update(entry: models.Model, *, by, fields: tuple[str, ...], values: dict):
    cleaned = _checked(values, fields, before=entry)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(entry, name, value)
        _save(entry, by=by, reason=f"{entry._meta.verbose_name.capitalize()} changed")
    return entry


def objective_add(
    *,
    pilot: PartnershipPilot,
    added_by,
    title: str,
    measure: str,
    target: str,
    owner: Officer,
    due_on: dt.date,
) -> Objective:
    values = {"title": title, "measure": measure, "target": target, "owner": owner, "due_on": due_on}
    return _add(Objective, pilot=pilot, by=added_by, fields=OBJECTIVE_FIELDS, values=values)


def objective_update(*, objective: Objective, changed_by, **values: Any) -> Objective:
    return _update(objective, by=changed_by, fields=OBJECTIVE_FIELDS, values=values)


def milestone_add(
    *, pilot: PartnershipPilot, added_by, title: str, due_on: dt.date, completed_on: dt.date | None = None
) -> Milestone:
    values = {"title": title, "due_on": due_on, "completed_on": completed_on}
    return _add(Milestone, pilot=pilot, by=added_by, fields=MILESTONE_FIELDS, values=values)


def milestone_update(*, milestone: Milestone, changed_by, **values: Any) -> Milestone:
    return _update(milestone, by=changed_by, fields=MILESTONE_FIELDS, values=values)


def risk_add(
    *,
    pilot: PartnershipPilot,
    added_by,
    description: str,
    likelihood: int,
    impact: int,
    owner: Officer,
    mitigation: str = "",
    status: str = Risk.Status.OPEN,
    is_internal: bool = False,
) -> Risk:
    values = {
        "description": description,
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": mitigation,
        "owner": owner,
        "status": status,
        "is_internal": is_internal,
    }
    return _add(Risk, pilot=pilot, by=added_by, fields=RISK_FIELDS, values=values)


def risk_update(*, risk: Risk, changed_by, **values: Any) -> Risk:
    return _update(risk, by=changed_by, fields=RISK_FIELDS, values=values)


def progress_entry_add(
    *, pilot: PartnershipPilot, recorded_by, entry_on: dt.date, text: str, is_internal: bool = False
) -> ProgressEntry:
    """Add a dated line to the pilot's progress log; an internal one is for council staff only."""
    if entry_on > timezone.localdate():
        raise PlanError(ENTRY_IN_THE_FUTURE, field="entry_on")
    text = (text or "").strip()
    if not text:
        raise PlanError(_REQUIRED_TEXT["text"], field="text")
    return ProgressEntry.objects.create(
        pilot=pilot, entry_on=entry_on, text=text, is_internal=is_internal, recorded_by=recorded_by
    )
