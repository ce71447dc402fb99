"""Adding, changing and retiring officers of the who's-who. Each function is one transaction."""

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Area, Officer, Team

from .entries import EntryError, constraint_message, entry_save, raise_problems

EMAIL_TAKEN = "An officer with this email address already exists"
OWN_DEPUTY = constraint_message(Officer, "officer_not_own_deputy")
DATES_OUT_OF_ORDER = constraint_message(Officer, "officer_active_dates_in_order")
TEAM_NOT_ACTIVE = "Choose a team that is still active"
DEPUTY_NOT_IN_POST = "Choose a deputy who is still in post"

EDITABLE = frozenset(
    {
        "full_name",
        "job_title",
        "seniority",
        "team",
        "email",
        "phone",
        "deputy",
        "market_lead",
        "active_from",
        "active_to",
        "owner",
    }
)


def officer_problems(
    *,
    officer: Officer | None,
    email: str,
    team: Team | None,
    deputy: Officer | None,
    active_from: date | None,
    active_to: date | None,
) -> dict[str, str]:
    """The officer rules a change breaks, by field: empty when the change may be saved."""
    problems: dict[str, str] = {}
    others = Officer.objects.exclude(pk=officer.pk) if officer and officer.pk else Officer.objects.all()
    if email and others.filter(email__iexact=email).exists():
        problems["email"] = EMAIL_TAKEN
    if team is not None and not team.is_active:
        problems["team"] = TEAM_NOT_ACTIVE
    if deputy is not None:
        if officer is not None and officer.pk and deputy.pk == officer.pk:
            problems["deputy"] = OWN_DEPUTY
        elif not deputy.is_active:
            problems["deputy"] = DEPUTY_NOT_IN_POST
    if active_from and active_to and active_to < active_from:
        problems["active_to"] = DATES_OUT_OF_ORDER
    return problems


def _check(officer: Officer) -> None:
    raise_problems(
        officer_problems(
            officer=officer,
            email=officer.email,
            team=officer.team if officer.team_id else None,
            deputy=officer.deputy if officer.deputy_id else None,
            active_from=officer.active_from,
            active_to=officer.active_to,
        )
    )


def _saved(officer: Officer, *, by, reason: str, areas: Iterable[Area] | None, update_fields=None) -> Officer:
    """Check and save in one transaction; a rule broken by a concurrent change still reads as a form error."""
    try:
        with transaction.atomic():
            _check(officer)
            entry_save(
                officer,
                by=by,
                reason=reason,
                many={"areas": list(areas)} if areas is not None else None,
                update_fields=update_fields,
            )
    except IntegrityError as error:
        explained = _explain(error)
        if explained is None:
            raise
        raise explained from error
    return officer


def _explain(error: IntegrityError) -> EntryError | None:
    text = str(error)
    if "officer_not_own_deputy" in text:
        return EntryError(OWN_DEPUTY, field="deputy")
    if "officer_active_dates_in_order" in text:
        return EntryError(DATES_OUT_OF_ORDER, field="active_to")
    if "email" in text:
        return EntryError(EMAIL_TAKEN, field="email")
    return None


def _only_editable(details: dict) -> dict:
    unknown = set(details) - EDITABLE
    if unknown:
        raise TypeError(f"Officers have no editable fields {sorted(unknown)}")
    return details


def officer_create(*, by, areas: Iterable[Area] = (), **details) -> Officer:
    """Add an officer, owned by `by` unless an owner is given; it counts as checked today."""
    details = _only_editable(details)
    details["email"] = details["email"].strip().lower()
    officer = Officer(**details)
    officer.owner = details.get("owner") or by
    officer.last_verified_on = timezone.localdate()
    return _saved(officer, by=by, reason="Added", areas=areas)


def officer_update(*, officer: Officer, by, areas: Iterable[Area] | None = None, **details) -> Officer:
    for name, value in _only_editable(details).items():
        setattr(officer, name, value)
    officer.email = officer.email.strip().lower()
    if officer.owner_id is None:
        officer.owner = by
    return _saved(officer, by=by, reason="Edited", areas=areas)


def officer_retire(*, officer: Officer, by, last_day: date) -> Officer:
    """Record the officer's last day in post; the entry and its history stay."""
    officer.active_to = last_day
    return _saved(officer, by=by, reason="Left", areas=None, update_fields=["active_to", "updated_at"])
