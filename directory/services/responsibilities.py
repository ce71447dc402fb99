"""Adding, changing and retiring responsibilities: who answers a topic. Each function is one transaction."""

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Area, Officer, Responsibility, ServiceType, Team

from .entries import EntryError, constraint_message, entry_save, raise_problems

NOBODY_ANSWERS = constraint_message(Responsibility, "responsibility_has_officer_or_team")
TEAM_NOT_ACTIVE = "Choose a team that is still active"
OFFICER_NOT_IN_POST = "Choose an officer who is still in post"
EDITABLE = frozenset({"topic", "officer", "team", "notes", "owner"})


def responsibility_problems(*, officer: Officer | None, team: Team | None) -> dict[str | None, str]:
    if officer is None and team is None:
        return {"officer": NOBODY_ANSWERS}
    problems: dict[str | None, str] = {}
    if officer is not None and not officer.is_active:
        problems["officer"] = OFFICER_NOT_IN_POST
    if team is not None and not team.is_active:
        problems["team"] = TEAM_NOT_ACTIVE
    return problems


def _saved(
    responsibility: Responsibility,
    *,
    by,
    reason: str,
    areas: Iterable[Area] | None = None,
    service_types: Iterable[ServiceType] | None = None,
    check: bool = True,
    update_fields=None,
) -> Responsibility:
    many = {}
    if areas is not None:
        many["areas"] = list(areas)
    if service_types is not None:
        many["service_types"] = list(service_types)
    try:
        with transaction.atomic():
            if check:
                raise_problems(
                    responsibility_problems(
                        officer=responsibility.officer if responsibility.officer_id else None,
                        team=responsibility.team if responsibility.team_id else None,
                    )
                )
            entry_save(responsibility, by=by, reason=reason, many=many, update_fields=update_fields)
    except IntegrityError as error:
        if "responsibility_has_officer_or_team" not in str(error):
            raise
        raise EntryError(NOBODY_ANSWERS, field="officer") from error
    return responsibility


def _only_editable(details: dict) -> dict:
    unknown = set(details) - EDITABLE
    if unknown:
        raise TypeError(f"Responsibilities have no editable fields {sorted(unknown)}")
    return details


def responsibility_create(
    *, by, areas: Iterable[Area] = (), service_types: Iterable[ServiceType] = (), **details
) -> Responsibility:
    """Add a responsibility, owned by `by` unless an owner is given; it counts as checked today."""
    responsibility = Responsibility(**_only_editable(details))
    responsibility.owner = details.get("owner") or by
    responsibility.last_verified_on = timezone.localdate()
    return _saved(responsibility, by=by, reason="Added", areas=areas, service_types=service_types)


def responsibility_update(
    *,
    responsibility: Responsibility,
    by,
    areas: Iterable[Area] | None = None,
    service_types: Iterable[ServiceType] | None = None,
    **details,
) -> Responsibility:
    for name, value in _only_editable(details).items():
        setattr(responsibility, name, value)
    if responsibility.owner_id is None:
        responsibility.owner = by
    return _saved(responsibility, by=by, reason="Edited", areas=areas, service_types=service_types)


def responsibility_retire(*, responsibility: Responsibility, by, on: date) -> Responsibility:
    """Stop the responsibility from `on`; the entry and its history stay.

    Retiring is allowed even when its officer has left or its team has gone: that is often why it is retired.
    """
    responsibility.retired_on = on
    return _saved(
        responsibility, by=by, reason="Retired", check=False, update_fields=["retired_on", "updated_at"]
    )
