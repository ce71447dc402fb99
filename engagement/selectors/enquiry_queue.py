"""The officers' enquiry queue: mine, my team's, unassigned and overdue, narrowed by topic, area and status.

An officer is a council user with a who's-who entry (Officer.user). Council staff without one (a director, say)
see every team's enquiries, the unassigned and the overdue ones, but have no "mine".
"""

import datetime as dt

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Window

from directory.models import Officer, ProviderOrganisation, Team, Topic
from engagement.models import Enquiry

MINE, TEAM, UNASSIGNED, OVERDUE = "mine", "team", "unassigned", "overdue"
# Not a status of its own: every enquiry still being worked, open or waiting for the provider.
NOT_RESOLVED = ""
STILL_BEING_WORKED = [Enquiry.Status.OPEN, Enquiry.Status.AWAITING_PROVIDER]

STATUS_CHOICES = [
    (NOT_RESOLVED, "Open or waiting"),
    (Enquiry.Status.OPEN, "Open"),
    (Enquiry.Status.AWAITING_PROVIDER, "Waiting for more information"),
    (Enquiry.Status.RESOLVED, "Resolved"),
]


def queue_officer(user) -> Officer | None:
    """The user's own entry in the who's-who, if they have one."""
    if not user.is_authenticated:
        return None
    return Officer.objects.filter(user=user).only("pk", "full_name", "team_id").first()


def queue_choices(officer: Officer | None) -> list[tuple[str, str]]:
    """The queues a user can look at, the default one first."""
    if officer is None:
        return [(TEAM, "All teams"), (UNASSIGNED, "Not with an officer"), (OVERDUE, "Overdue")]
    return [(MINE, "Mine"), (TEAM, "My team’s"), (UNASSIGNED, "Not with an officer"), (OVERDUE, "Overdue")]


def overdue_condition(today: dt.date) -> Q:
    """Past its promised date and still with the council: an enquiry waiting for the provider is paused."""
    return Q(status=Enquiry.Status.OPEN, due_on__lt=today)


def enquiries_in_queue(
    *,
    show: str,
    officer: Officer | None,
    today: dt.date,
    topic: str = "",
    area: str = "",
    status: str = NOT_RESOLVED,
) -> QuerySet:
    """The enquiries of one queue, soonest due first, each a dict of what its row shows and whether it is overdue.

    `topic` and `area` are slugs; `status` one of STATUS_CHOICES (resolved ones are left out unless asked for).
    """
    enquiries = Enquiry.objects.filter(_queue_condition(show, officer, today))
    # As an IN list rather than "not resolved", so that PostgreSQL finds them in the (officer, status) index.
    enquiries = enquiries.filter(status__in=[status] if status else STILL_BEING_WORKED)
    if topic:
        enquiries = enquiries.filter(topic__slug=topic)
    if area:
        enquiries = enquiries.filter(area__slug=area)
    # Rows of values rather than models with their relations, and the names looked up one by one: PostgreSQL then
    # sorts the queue's enquiries and looks up the names of the page's rows only. The queue is timed by the benchmark.
    return (
        enquiries.annotate(
            is_overdue=ExpressionWrapper(overdue_condition(today), output_field=BooleanField())
        )
        .values(
            "pk",
            "reference",
            "subject",
            "status",
            "due_on",
            "is_overdue",
            provider_name=_name_of(ProviderOrganisation, "provider_id", "name"),
            topic_name=_name_of(Topic, "topic_id", "name"),
            officer_name=_name_of(Officer, "assigned_officer_id", "full_name"),
            team_name=_name_of(Team, "assigned_team_id", "name"),
            # How many there are in the queue, on every row: the page and the count in one query.
            total=Window(Count("pk")),
        )
        .order_by("due_on", "pk")
    )


def _name_of(model, key: str, field: str) -> Subquery:
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(field)[:1])


def _queue_condition(show: str, officer: Officer | None, today: dt.date) -> Q:
    if show == MINE and officer is not None:
        return Q(assigned_officer_id=officer.pk)
    if show == TEAM and officer is not None:
        # With the team itself, or with one of its officers.
        members = Officer.objects.filter(team_id=officer.team_id).values("pk")
        return Q(assigned_team_id=officer.team_id) | Q(assigned_officer_id__in=members)
    if show == UNASSIGNED:
        return Q(assigned_officer__isnull=True)
    if show == OVERDUE:
        return overdue_condition(today)
    # Every team's: council staff with no entry of their own.
    return Q()


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Each status's GOV.UK tag: its colour and its words.
STATUS_TAGS = {
    Enquiry.Status.OPEN: ("govuk-tag--blue", "Open"),
    Enquiry.Status.AWAITING_PROVIDER: ("govuk-tag--yellow", "Waiting for provider"),
    Enquiry.Status.RESOLVED: ("govuk-tag--grey", "Resolved"),
}


def describe_rows(rows: list[dict]) -> list[dict]:
    """Give each row of a queue page its promised date written out ("9 Dec 2026") and its status tag.

    Done here rather than by template filters: the queue is timed by the benchmark, and a filter and a choice
    of tags on every row cost more than the rest of the row.
    """
    for row in rows:
        due = row["due_on"]
        row["due_text"] = f"{due.day} {_MONTHS[due.month - 1]} {due.year}"
        row["status_class"], row["status_label"] = STATUS_TAGS[row["status"]]
    return rows
