"""Reads for the contact-list PDF and its versions: who answers what, who works where, what changed, who got it.

Everything the PDF shows is read in a fixed number of queries, however many officers the council has.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import CharField, Min, Q, QuerySet, Value

from directory.models import (
    Area,
    CirculationDelivery,
    ContactListVersion,
    Directorate,
    Officer,
    ServiceType,
    Team,
    Topic,
)
from directory.selectors import finder, history
from portal.permissions import is_council_staff

# The kinds of entry the "changed since" section tells; providers are not part of the contact list.
CHANGE_KINDS = ("officer", "team", "responsibility")
# Fields only the council uses: a change to these alone is not news to providers.
_INTERNAL_LABELS = {history.LABELS[name] for name in ("owner", "last_verified_on", "user")}
# How the history tells an empty value.
_NONE = "(none)"


# Who to contact for what, by area


@dataclass
class ContactLine:
    """Who answers one topic in one area for some service types (every type: `every_type`)."""

    topic: Topic
    answer: finder.ContactAnswer | None
    service_types: list[ServiceType]
    every_type: bool


@dataclass
class AreaContacts:
    area: Area
    lines: list[ContactLine]


def contacts_by_area() -> list[AreaContacts]:
    """For every area, who answers each topic, with service types sharing an answer on one line: three queries."""
    choices = finder.question_choices()
    every_type = len(choices["service_type"])
    return [
        AreaContacts(
            leads.area,
            [
                ContactLine(
                    lead.topic, lead.answer, lead.service_types, len(lead.service_types) == every_type
                )
                for lead in leads.leads
            ],
        )
        for leads in finder.provider_area_leads(
            areas=choices["area"], service_types=choices["service_type"], topics=choices["topic"]
        )
    ]


# Teams and officers by directorate


@dataclass
class TeamListing:
    team: Team
    officers: list[Officer] = field(default_factory=list)


@dataclass
class DirectorateListing:
    directorate: Directorate
    teams: list[TeamListing] = field(default_factory=list)


def directorates_with_officers(*, on: date) -> list[DirectorateListing]:
    """Open teams by directorate, each with its officers in post on `on`: two queries."""
    teams = (
        Team.objects.filter(is_active=True)
        .select_related("directorate")
        .only("name", "mailbox", "phone", "directorate__name")
        .order_by("directorate__name", "name")
    )
    officers = (
        Officer.objects.active(on)
        .filter(team__is_active=True)
        .only("full_name", "job_title", "phone", "email", "team_id")
        .order_by("full_name", "pk")
    )
    listings: dict[int, TeamListing] = {}
    directorates: dict[int, DirectorateListing] = {}
    for team in teams:
        listings[team.pk] = TeamListing(team)
        directorates.setdefault(team.directorate_id, DirectorateListing(team.directorate)).teams.append(
            listings[team.pk]
        )
    for officer in officers:
        listings[officer.team_id].officers.append(officer)
    return list(directorates.values())


# What changed since the last circulation


@dataclass
class EntryChange:
    """One officer, team or responsibility, and what happened to it since the last circulation."""

    kind_label: str
    name: str
    changes: list[history.FieldChange] = field(default_factory=list)


@dataclass
class ChangesSince:
    since: datetime
    added: list[EntryChange] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    left: list[EntryChange] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.added or self.changed or self.left)


def _history_rows(since: datetime) -> QuerySet:
    """Every change to officers, teams and responsibilities since `since`, oldest first, in one query."""
    parts = [
        history.KINDS[kind]
        .history.filter(history_date__gte=since)
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "history_id", "history_date")
        for kind in CHANGE_KINDS
    ]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("history_date", "history_id")


def _net_changes(told: list[history.Change]) -> list[history.FieldChange]:
    """What differs between the entry before the first change and after the last, in the fields providers use."""
    net: dict[str, list[str]] = {}
    for change in told:
        for field_change in change.changes:
            if field_change.label in _INTERNAL_LABELS:
                continue
            net.setdefault(field_change.label, [field_change.old, field_change.new])[1] = field_change.new
    return [history.FieldChange(label, old, new) for label, (old, new) in net.items() if old != new]


def _has_gone(kind: str, changes: list[history.FieldChange]) -> bool:
    """An officer given a last day in post, a team closed, a responsibility retired."""
    gone = {
        "officer": (history.LABELS["active_to"], lambda new: new != _NONE),
        "team": (history.LABELS["is_active"], lambda new: new == "No"),
        "responsibility": (history.LABELS["retired_on"], lambda new: new != _NONE),
    }
    label, test = gone[kind]
    return any(change.label == label and test(change.new) for change in changes)


def _sort(entries: Iterable[EntryChange]) -> list[EntryChange]:
    return sorted(entries, key=lambda entry: (entry.kind_label, entry.name.lower()))


def changes_since_circulation(since: datetime) -> ChangesSince:
    """Entries added, changed, or gone (left, closed, retired, deleted) since `since`, each told once.

    Several edits to one entry are told as one: its values before the first and after the last.
    """
    by_entry: dict[tuple[str, int], list[history.Change]] = {}
    for change in history.changes_load(_history_rows(since)):
        by_entry.setdefault((change.kind, change.object_id), []).append(change)
    result = ChangesSince(since=since)
    for (kind, _), told in by_entry.items():
        first, last = told[0], told[-1]
        added = first.action == "Added"
        if last.action == "Deleted":
            if not added:
                result.left.append(EntryChange(last.kind_label, last.name))
            continue
        entry = EntryChange(last.kind_label, last.name, [] if added else _net_changes(told))
        if added:
            result.added.append(entry)
        elif _has_gone(kind, entry.changes):
            result.left.append(entry)
        elif entry.changes:
            result.changed.append(entry)
    result.added, result.changed, result.left = map(_sort, (result.added, result.changed, result.left))
    return result


# The versions


def current_version() -> ContactListVersion | None:
    return ContactListVersion.objects.order_by("-created_at", "-pk").first()


def previous_version_made_at() -> datetime | None:
    """When the current version was made: the next one tells what changed since then (None: it is the first)."""
    return ContactListVersion.objects.order_by("-created_at").values_list("created_at", flat=True).first()


def versions_list() -> QuerySet[ContactListVersion]:
    """Every version, newest first, with who made it: for council staff."""
    return ContactListVersion.objects.select_related("made_by").order_by("-created_at", "-pk")


def versions_visible_to(user) -> QuerySet[ContactListVersion]:
    """Council staff see every version; a provider the versions sent to it and the current one."""
    versions = ContactListVersion.objects.order_by("-created_at", "-pk")
    if is_council_staff(user):
        return versions
    sent = CirculationDelivery.objects.filter(
        provider_id=getattr(user, "provider_organisation_id", None), status=CirculationDelivery.Status.SENT
    )
    visible = Q(pk__in=sent.values("run__version_id"))
    if current := current_version():
        visible |= Q(pk=current.pk)
    return versions.filter(visible)


def versions_sent_to(provider_id: int) -> QuerySet[ContactListVersion]:
    """The versions sent to a provider, newest first, each with when it was first sent and to which addresses."""
    sent = CirculationDelivery.Status.SENT
    return (
        ContactListVersion.objects.filter(
            runs__deliveries__provider_id=provider_id, runs__deliveries__status=sent
        )
        .annotate(
            sent_on=Min("runs__deliveries__sent_at"),
            recipients=ArrayAgg("runs__deliveries__email", distinct=True, order_by="runs__deliveries__email"),
        )
        .order_by("-created_at", "-pk")
    )
