"""Reads for the forward plan: its pages, its calendar feeds and the ad hoc report."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import Area, ServiceType
from engagement.models import Activity, Booking, EngagementGroup
from portal.related_names import annotate_names, with_names

# A feed starts a month back, so a calendar keeps what happened lately.
FEED_LOOKBACK = dt.timedelta(days=31)


def activities_visible_to(user) -> QuerySet[Activity]:
    """The plan is open to everyone signed in; a cancelled activity stays in it, shown as cancelled."""
    return Activity.objects.all()


def start_of_today() -> dt.datetime:
    return start_of(timezone.localdate())


def month_start(day: dt.date, months: int = 0) -> dt.date:
    """The first day of the month `months` after (or before) `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# The audience's many-to-many relations, and the attribute that holds each one's names.
AUDIENCE_NAMES = {"areas": "area_names", "service_types": "service_type_names"}


def with_audience(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """On PostgreSQL each activity comes with `area_names` and `service_type_names`; elsewhere
    with_audience_names() reads them for a page's rows."""
    return annotate_names(activities, AUDIENCE_NAMES)


_TIERS = {1: "Tier One", 2: "Tier Two", 3: "Tier Three"}


def audience_text(activity: Activity) -> str:
    """Who an activity is for, in a line: "Tier One providers; Mid; home care"."""
    tiers = activity.audience_tiers
    who = "All tiers" if len(tiers) == 3 else ", ".join(_TIERS[tier] for tier in tiers) + " providers"
    areas = ", ".join(activity.area_names) or "all areas"
    service_types = ", ".join(activity.service_type_names).lower() or "every type of service"
    return f"{who}; {areas}; {service_types}"


_KINDS = dict(Activity.Kind.choices)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(moment: dt.datetime) -> str:
    # Spelt out here rather than by the template's date filter: the plan's rows are timed by the benchmark,
    # and three filters a row cost more than the rest of the row together.
    return f"{_WEEKDAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _when(activity: Activity) -> tuple[str, str]:
    """The day an activity is on, like "Tue 9 Dec 2026", and its hours, like "10:00 to 12:00", in London."""
    starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    until = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{_day(ends)}, {ends:%H:%M}"
    return _day(starts), f"{starts:%H:%M} to {until}"


def describe(activities) -> list[Activity]:
    """Give each activity what a page shows of it: `area_names`, `service_type_names`, `audience` (see
    audience_text), `kind_label`, and `day` and `hours` (see _when).

    The names come with the rows on PostgreSQL (with_audience); elsewhere they are read here, in two queries.
    """
    activities = with_names(list(activities), Activity, AUDIENCE_NAMES)
    for activity in activities:
        activity.audience = audience_text(activity)
        activity.kind_label = _KINDS[activity.kind]
        activity.day, activity.hours = _when(activity)
    return activities


# What a row of the plan shows; the printed plan also names the facilitator.
_PLAN_ROW_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "status",
    "for_tier_one",
    "for_tier_two",
    "for_tier_three",
    "is_ad_hoc",
    "ad_hoc_approved_at",
    "group__name",
)


def plan_activities(user, *, with_facilitator: bool = False) -> QuerySet[Activity]:
    """The plan's rows, reading only what a row shows, in the order they happen."""
    related, fields = ("group",), _PLAN_ROW_FIELDS
    if with_facilitator:
        related, fields = ("group", "facilitator"), (*fields, "facilitator__full_name")
    return with_audience(
        activities_visible_to(user).select_related(*related).only(*fields).order_by("starts_at", "pk")
    )


def activity_page(user) -> QuerySet[Activity]:
    return with_audience(
        activities_visible_to(user).select_related(
            "group", "facilitator", "facilitator__team", "ad_hoc_approved_by", "created_by"
        )
    )


def feed_activities(user, *, group: EngagementGroup | None = None) -> QuerySet[Activity]:
    """What a calendar subscription shows: from a month ago onward, the whole plan or one group's."""
    activities = activities_visible_to(user).filter(starts_at__gte=timezone.now() - FEED_LOOKBACK)
    if group is not None:
        activities = activities.filter(group=group)
    return activities.order_by("starts_at", "pk")


# A calendar app subscribes without a session: the feed's address carries a signed token naming the user.
# Each kind of feed has its own salt, so a token for one group's feed opens neither the plan's nor another's.
PLAN_FEED_SALT = "engagement.plan-feed"
GROUP_FEED_SALT = "engagement.group-feed"


def feed_token(user, *, group: EngagementGroup | None = None) -> str:
    if group is None:
        return signing.dumps(user.pk, salt=PLAN_FEED_SALT, compress=True)
    return signing.dumps([user.pk, group.pk], salt=GROUP_FEED_SALT, compress=True)


def feed_subscriber(token: str, *, group: EngagementGroup | None = None):
    """The active user a feed token was made for, or None if it is not a token for this feed."""
    try:
        if group is None:
            user_pk = signing.loads(token, salt=PLAN_FEED_SALT)
        else:
            user_pk, group_pk = signing.loads(token, salt=GROUP_FEED_SALT)
            if group_pk != group.pk:
                return None
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_pk, int):
        return None
    return get_user_model().objects.filter(pk=user_pk, is_active=True).first()


def feed_group(slug: str) -> EngagementGroup | None:
    return EngagementGroup.objects.filter(slug=slug).first()


def plan_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The areas and service types the plan can be narrowed to, as (slug, name) pairs, read in one query.

    Written out, as the who's-who search's are (directory/selectors/search.py): the ORM took longer to build the
    union than PostgreSQL to answer it.
    """
    sql = f"""
        SELECT 'area', slug, name FROM {Area._meta.db_table}
        UNION ALL SELECT 'service_type', slug, name FROM {ServiceType._meta.db_table}
    """  # noqa: S608 - the table names come from the models
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    choices: dict[str, list[tuple[str, str]]] = {"area": [], "service_type": []}
    for kind, slug, name in sorted(rows, key=lambda row: row[2]):
        choices[kind].append((slug, name))
    return choices


@dataclass(frozen=True)
class BookingCounts:
    confirmed: int = 0
    waiting: int = 0

    @property
    def live(self) -> int:
        return self.confirmed + self.waiting


def booking_counts(activity: Activity) -> BookingCounts:
    """How many places an activity has given and how many people wait for one."""
    counts = Booking.objects.filter(activity=activity).aggregate(
        confirmed=Count("pk", filter=Q(status=Booking.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Booking.Status.WAITING)),
    )
    return BookingCounts(**counts)


def ad_hoc_activities(*, awaiting: bool) -> QuerySet[Activity]:
    """Ad hoc activities waiting for the engagement manager (soonest first), or those approved (latest first)."""
    activities = Activity.objects.filter(is_ad_hoc=True, ad_hoc_approved_at__isnull=awaiting).select_related(
        "group", "facilitator", "created_by", "ad_hoc_approved_by"
    )
    return activities.order_by("starts_at", "pk") if awaiting else activities.order_by("-starts_at", "-pk")


@dataclass(frozen=True)
class QuarterCount:
    starts_on: dt.date
    activities: int
    ad_hoc: int
    approved: int

    @property
    def label(self) -> str:
        ends_on = self.starts_on.replace(month=self.starts_on.month + 2)
        return f"{date_format(self.starts_on, 'F')} to {date_format(ends_on, 'F Y')}"

    @property
    def awaiting(self) -> int:
        return self.ad_hoc - self.approved

    @property
    def ad_hoc_percent(self) -> int:
        return round(100 * self.ad_hoc / self.activities) if self.activities else 0


def ad_hoc_per_quarter() -> list[QuarterCount]:
    """For each calendar quarter with activities: how many there were, how many were ad hoc and approved.

    A cancelled activity counts: being ad hoc is about how it came into the plan, not whether it happened.
    """
    rows = (
        Activity.objects.annotate(quarter=TruncQuarter("starts_at"))
        .values("quarter")
        .annotate(
            activities=Count("pk"),
            ad_hoc=Count("pk", filter=Q(is_ad_hoc=True)),
            approved=Count("pk", filter=Q(is_ad_hoc=True, ad_hoc_approved_at__isnull=False)),
        )
        .order_by("quarter")
    )
    return [
        QuarterCount(
            starts_on=timezone.localtime(row["quarter"]).date(),
            activities=row["activities"],
            ad_hoc=row["ad_hoc"],
            approved=row["approved"],
        )
        for row in rows
    ]


def ad_hoc_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """An activity starting before this, added now, is ad hoc."""
    return (now or timezone.now()) + dt.timedelta(weeks=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD)
