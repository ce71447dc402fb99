"""Adding, changing and retiring council teams. Each function is one transaction."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from directory.models import Directorate, Team

from .entries import EntryError, entry_save, raise_problems

NAME_TAKEN = "A team with this name already exists in this directorate"
EDITABLE = frozenset({"directorate", "name", "mailbox", "phone", "owner"})


def team_problems(*, team: Team | None, directorate: Directorate | None, name: str) -> dict[str, str]:
    others = Team.objects.exclude(pk=team.pk) if team and team.pk else Team.objects.all()
    if (
        directorate is not None
        and name
        and others.filter(directorate=directorate, name__iexact=name).exists()
    ):
        return {"name": NAME_TAKEN}
    return {}


def _saved(team: Team, *, by, reason: str, update_fields=None) -> Team:
    try:
        with transaction.atomic():
            raise_problems(
                team_problems(
                    team=team, directorate=team.directorate if team.directorate_id else None, name=team.name
                )
            )
            entry_save(team, by=by, reason=reason, update_fields=update_fields)
    except IntegrityError as error:
        if "team_name_unique_in_directorate" not in str(error):
            raise
        raise EntryError(NAME_TAKEN, field="name") from error
    return team


def _only_editable(details: dict) -> dict:
    unknown = set(details) - EDITABLE
    if unknown:
        raise TypeError(f"Teams have no editable fields {sorted(unknown)}")
    return details


def team_create(*, by, **details) -> Team:
    """Add a team, owned by `by` unless an owner is given; it counts as checked today."""
    team = Team(**_only_editable(details))
    team.owner = details.get("owner") or by
    team.last_verified_on = timezone.localdate()
    return _saved(team, by=by, reason="Added")


def team_update(*, team: Team, by, **details) -> Team:
    for name, value in _only_editable(details).items():
        setattr(team, name, value)
    if team.owner_id is None:
        team.owner = by
    return _saved(team, by=by, reason="Edited")


def team_retire_blockers(team: Team) -> dict[str, int]:
    """What still points at the team: officers in post and responsibilities not yet retired."""
    today = timezone.localdate()
    return {
        "officers": team.officers.filter(Q(active_to__isnull=True) | Q(active_to__gte=today)).count(),
        "responsibilities": team.responsibilities.filter(
            Q(retired_on__isnull=True) | Q(retired_on__gt=today)
        ).count(),
    }


def team_retire(*, team: Team, by) -> Team:
    """Mark the team as no longer active. Its officers and responsibilities must have moved first, so that no
    provider is pointed at a team that has gone."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        blockers = team_retire_blockers(team)
        if blockers["officers"] or blockers["responsibilities"]:
            raise EntryError(_blocked_message(**blockers))
        team.is_active = False
        entry_save(team, by=by, reason="Retired", update_fields=["is_active", "updated_at"])
    return team


def _blocked_message(*, officers: int, responsibilities: int) -> str:
    still = []
    if officers:
        still.append(f"{officers} officer{'s' if officers != 1 else ''} in post")
    if responsibilities:
        still.append(f"{responsibilities} current responsibilit{'ies' if responsibilities != 1 else 'y'}")
    return f"Move the team's {' and '.join(still)} to another team before retiring it"
