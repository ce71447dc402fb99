"""Which who's-who entries need checking: never checked, or checked longer ago than the portal allows."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.utils import timezone

from directory.models import Officer, Responsibility, Team
from portal.models import User

KINDS = {"officer": "Officer", "team": "Team", "responsibility": "Responsibility"}
NO_OWNER = "none"
MINE = "mine"


def stale_before(*, today: date | None = None) -> date:
    """Entries last checked before this day need checking again."""
    return (today or timezone.localdate()) - timedelta(days=settings.DIRECTORY_STALE_AFTER_DAYS)


def _stale(queryset: QuerySet, today: date) -> QuerySet:
    return queryset.filter(
        Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=stale_before(today=today))
    )


def stale_officers(*, today: date | None = None) -> QuerySet[Officer]:
    """Officers still in post whose entry needs checking. Those who have left are history, not stale."""
    today = today or timezone.localdate()
    return _stale(Officer.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=today)), today)


def stale_teams(*, today: date | None = None) -> QuerySet[Team]:
    return _stale(Team.objects.filter(is_active=True), today or timezone.localdate())


def stale_responsibilities(*, today: date | None = None) -> QuerySet[Responsibility]:
    today = today or timezone.localdate()
    return _stale(Responsibility.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today)), today)


def _stale_by_kind(today: date) -> dict[str, QuerySet]:
    return {
        "officer": stale_officers(today=today),
        "team": stale_teams(today=today),
        "responsibility": stale_responsibilities(today=today),
    }


@dataclass(frozen=True)
class StaleEntry:
    """One row of the needs-checking list: the entry itself, loaded with what the row shows."""

    kind: str
    entry: Officer | Team | Responsibility
    owner: User | None
    last_verified_on: date | None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def needs_checking(*, owner: User | str | None = None, kind: str = "", today: date | None = None) -> QuerySet:
    """Every stale entry as (kind, pk) rows in one query, by owner and then longest unchecked first.

    `owner` is a user, NO_OWNER for entries nobody owns, or None for everyone's. The rows are light so that
    a page of them can be paginated across the three kinds; `stale_entries_load` turns a page into entries.
    """
    parts = []
    for name, queryset in _stale_by_kind(today or timezone.localdate()).items():
        if kind and kind != name:
            continue
        if owner == NO_OWNER:
            queryset = queryset.filter(owner__isnull=True)
        elif owner is not None:
            queryset = queryset.filter(owner=owner)
        parts.append(
            queryset.order_by()
            .annotate(kind=Value(name, output_field=CharField()), owner_name=F("owner__full_name"))
            .values_list("kind", "pk", "owner_id", "owner_name", "last_verified_on")
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by(
        F("owner_name").asc(nulls_last=True),
        F("owner_id").asc(nulls_last=True),
        F("last_verified_on").asc(nulls_first=True),
        "kind",
        "pk",
    )


_LOADERS = {
    "officer": lambda: Officer.objects.select_related("team"),
    "team": lambda: Team.objects.select_related("directorate"),
    "responsibility": lambda: Responsibility.objects.select_related("topic", "officer", "team"),
}


def stale_entries_load(rows) -> list[StaleEntry]:
    """The entries behind a page of `needs_checking` rows: one query per kind and one for their owners."""
    rows = list(rows)
    ids_by_kind: dict[str, list[int]] = {}
    for kind, pk, *_ in rows:
        ids_by_kind.setdefault(kind, []).append(pk)
    entries = {kind: _LOADERS[kind]().in_bulk(ids) for kind, ids in ids_by_kind.items()}
    owners = User.objects.in_bulk({owner_id for _, _, owner_id, *_ in rows if owner_id})
    return [
        StaleEntry(kind=kind, entry=entries[kind][pk], owner=owners.get(owner_id), last_verified_on=checked)
        for kind, pk, owner_id, _, checked in rows
        if pk in entries[kind]
    ]


@dataclass(frozen=True)
class OwnerCount:
    owner: User | None
    entries: int


def stale_counts_by_owner(*, today: date | None = None) -> list[OwnerCount]:
    """How many entries each owner has to check, most first; entries with no owner come last."""
    totals: dict[int | None, int] = {}
    for queryset in _stale_by_kind(today or timezone.localdate()).values():
        for row in queryset.order_by().values("owner_id").annotate(entries=Count("pk")):
            totals[row["owner_id"]] = totals.get(row["owner_id"], 0) + row["entries"]
    owners = User.objects.in_bulk([owner_id for owner_id in totals if owner_id is not None])
    counts = [OwnerCount(owner=owners.get(owner_id), entries=entries) for owner_id, entries in totals.items()]
    return sorted(counts, key=lambda count: (count.owner is None, -count.entries, str(count.owner or "")))


def stale_entries_by_owner(*, today: date | None = None) -> dict[int, list[StaleEntry]]:
    """Every stale entry that has an owner, grouped by owner id: what the monthly reminder lists."""
    grouped: dict[int, list[StaleEntry]] = {}
    for kind, queryset in _stale_by_kind(today or timezone.localdate()).items():
        for entry in _LOADERS[kind]().filter(pk__in=queryset.filter(owner__isnull=False).values("pk")):
            grouped.setdefault(entry.owner_id, []).append(
                StaleEntry(kind=kind, entry=entry, owner=None, last_verified_on=entry.last_verified_on)
            )
    for entries in grouped.values():
        entries.sort(key=lambda stale: (stale.last_verified_on or date.min, stale.kind, str(stale.entry)))
    return grouped
