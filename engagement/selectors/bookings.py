"""Reads for forum places: who may book an activity, how many places are left, and the lists of bookings."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from engagement.models import Activity, Booking

CONFIRMED = Booking.Status.CONFIRMED
WAITING = Booking.Status.WAITING
CANCELLED = Booking.Status.CANCELLED


@dataclass(frozen=True)
class Figures:
    """An activity's places and, for one provider, what decides whether it may book."""

    confirmed: int
    waiting: int
    provider_confirmed: int
    provider_tier: int | None
    area_names: list[str]
    shares_area: bool
    service_type_names: list[str]
    shares_service_type: bool


# The default table names of Booking, ProviderOrganisation, Area, ServiceType and their many-to-many links.
FIGURES_SQL = """
    SELECT
        COUNT(*) FILTER (WHERE b.status = %(confirmed)s),
        COUNT(*) FILTER (WHERE b.status = %(waiting)s),
        COUNT(*) FILTER (WHERE b.status = %(confirmed)s AND b.provider_id = %(provider)s),
        (SELECT p.tier FROM directory_providerorganisation p WHERE p.id = %(provider)s),
        ARRAY(
            SELECT a.name FROM directory_area a
            JOIN engagement_activity_areas aa ON aa.area_id = a.id
            WHERE aa.activity_id = %(activity)s ORDER BY a.name
        ),
        EXISTS(
            SELECT 1 FROM engagement_activity_areas aa
            JOIN directory_providerorganisation_areas pa ON pa.area_id = aa.area_id
            WHERE aa.activity_id = %(activity)s AND pa.providerorganisation_id = %(provider)s
        ),
        ARRAY(
            SELECT t.name FROM directory_servicetype t
            JOIN engagement_activity_service_types act ON act.servicetype_id = t.id
            WHERE act.activity_id = %(activity)s ORDER BY t.name
        ),
        EXISTS(
            SELECT 1 FROM engagement_activity_service_types act
            JOIN directory_providerorganisation_service_types pt ON pt.servicetype_id = act.servicetype_id
            WHERE act.activity_id = %(activity)s AND pt.providerorganisation_id = %(provider)s
        )
    FROM engagement_booking b
    WHERE b.activity_id = %(activity)s
"""


def activity_figures(*, activity: Activity, provider_id: int | None) -> Figures:
    """Everything about an activity's places and a provider's eligibility, in one query.

    Written in SQL for PostgreSQL: it runs on every activity page and every booking, and as one ORM query of
    eight subqueries it cost several times the database's own time just to build. Elsewhere (SQLite, in local
    development) the ORM reads the same in a few queries.
    """
    if connection.vendor != "postgresql":
        return _activity_figures_portable(activity=activity, provider_id=provider_id)
    with connection.cursor() as cursor:
        cursor.execute(
            FIGURES_SQL,
            {"activity": activity.pk, "provider": provider_id, "confirmed": CONFIRMED, "waiting": WAITING},
        )
        row = cursor.fetchone()
    return Figures(*row)


def _activity_figures_portable(*, activity: Activity, provider_id: int | None) -> Figures:
    from directory.models import ProviderOrganisation

    bookings = Booking.objects.filter(activity=activity)
    counts = bookings.aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        waiting=Count("pk", filter=Q(status=WAITING)),
        provider_confirmed=Count("pk", filter=Q(status=CONFIRMED, provider_id=provider_id)),
    )
    provider = ProviderOrganisation.objects.filter(pk=provider_id).first() if provider_id else None
    areas = list(activity.areas.order_by("name").values_list("pk", "name"))
    service_types = list(activity.service_types.order_by("name").values_list("pk", "name"))
    return Figures(
        confirmed=counts["confirmed"],
        waiting=counts["waiting"],
        provider_confirmed=counts["provider_confirmed"],
        provider_tier=provider.tier if provider else None,
        area_names=[name for _, name in areas],
        shares_area=bool(provider and provider.areas.filter(pk__in=[pk for pk, _ in areas]).exists()),
        service_type_names=[name for _, name in service_types],
        shares_service_type=bool(
            provider and provider.service_types.filter(pk__in=[pk for pk, _ in service_types]).exists()
        ),
    )


def _tiers(tiers: list[int]) -> str:
    names = [f"Tier {tier}" for tier in tiers]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _time(local: dt.datetime) -> str:
    """Like "10am", "5:30pm" or "midday", as GOV.UK writes times."""
    if local.minute == 0 and local.hour in (0, 12):
        return "midday" if local.hour == 12 else "midnight"
    return date_format(local, "g:iA").replace(":00", "").lower()


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j F Y')} at {_time(local)}"


def when_text(activity: Activity) -> str:
    """Like "Wednesday 20 January 2027, 10am to 12pm"."""
    starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    return f"{date_format(starts, 'l j F Y')}, {_time(starts)} to {_time(ends)}"


def _audience_refusal(activity: Activity, figures: Figures) -> str | None:
    if figures.provider_tier not in activity.audience_tiers:
        if not activity.audience_tiers:
            return "This activity is not open to providers"
        return (
            f"This activity is only for {_tiers(activity.audience_tiers)} providers. "
            f"Your organisation is Tier {figures.provider_tier}"
        )
    if figures.area_names and not figures.shares_area:
        return f"This activity is only for providers in {_listed(figures.area_names)}"
    if figures.service_type_names and not figures.shares_service_type:
        return f"This activity is only for {_listed(figures.service_type_names).lower()} providers"
    return None


def booking_refusal(*, activity: Activity, figures: Figures, now: dt.datetime) -> str | None:
    """Why the provider in `figures` cannot book a place at the activity now, or None if it can.

    A full activity is not refused: new bookings join its waiting list.
    """
    if not activity.takes_bookings:
        return "This activity does not take bookings"
    if activity.status == Activity.Status.CANCELLED:
        return "This activity has been cancelled"
    if activity.status == Activity.Status.HELD or activity.starts_at <= now:
        return "This activity has already taken place"
    refusal = _audience_refusal(activity, figures)
    if refusal:
        return refusal
    if activity.bookings_open_at and now < activity.bookings_open_at:
        return f"Bookings for this activity open on {_when(activity.bookings_open_at)}"
    if activity.bookings_close_at and now >= activity.bookings_close_at:
        return f"Bookings for this activity closed on {_when(activity.bookings_close_at)}"
    return None


def cancellation_refusal(*, activity: Activity, now: dt.datetime) -> str | None:
    if activity.starts_at <= now:
        return "This activity has already taken place, so its bookings cannot be cancelled"
    if activity.cancel_by and now >= activity.cancel_by:
        return (
            f"The deadline for cancelling was {_when(activity.cancel_by)}. "
            "Contact the activity's organiser if the person cannot come"
        )
    return None


def deadline_text(moment: dt.datetime | None) -> str:
    return _when(moment) if moment else ""


@dataclass
class Places:
    """What the activity page shows about places: passed to `bookings/includes/activity_places.html`."""

    activity: Activity
    capacity: int
    confirmed: int
    waiting: int
    is_provider: bool = False
    refusal: str | None = None
    provider_confirmed: int = 0
    # Left unevaluated: read only by a page that shows them.
    own_bookings: QuerySet[Booking] | list[Booking] = field(default_factory=list)
    can_see_attendees: bool = False

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def can_book(self) -> bool:
        return self.is_provider and self.refusal is None

    @property
    def provider_places_left(self) -> int | None:
        cap = self.activity.cap_per_provider
        return None if cap is None else max(cap - self.provider_confirmed, 0)

    @property
    def cancel_by(self) -> str:
        return deadline_text(self.activity.cancel_by)


def activity_places(*, activity: Activity, user) -> Places | None:
    """Places at an activity as `user` sees them; None if the activity takes no bookings. Constant queries."""
    if not activity.takes_bookings:
        return None
    provider_id = getattr(user, "provider_organisation_id", None) if user.is_authenticated else None
    figures = activity_figures(activity=activity, provider_id=provider_id)
    places = Places(
        activity=activity,
        capacity=activity.capacity or 0,
        confirmed=figures.confirmed,
        waiting=figures.waiting,
    )
    if provider_id:
        places.is_provider = True
        places.refusal = booking_refusal(activity=activity, figures=figures, now=timezone.now())
        places.provider_confirmed = figures.provider_confirmed
        places.own_bookings = with_waiting_position(
            Booking.objects.filter(activity=activity, provider_id=provider_id).exclude(status=CANCELLED)
        )
    else:
        places.can_see_attendees = user.has_perm("engagement.view_booking")
    return places


def with_waiting_position(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate `waiting_position`: 1 for the first on the activity's waiting list; None for other statuses."""
    ahead = (
        Booking.objects.filter(activity=OuterRef("activity"), status=WAITING)
        .filter(
            Q(requested_at__lt=OuterRef("requested_at"))
            | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("activity")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return bookings.annotate(
        waiting_position=Case(
            When(status=WAITING, then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1),
            default=None,
            output_field=IntegerField(),
        )
    ).order_by("requested_at", "pk")


def bookings_of_provider(*, provider_id: int | None, past: bool = False) -> QuerySet[Booking]:
    """A provider's own bookings: upcoming ones soonest first, or past ones latest first."""
    if not provider_id:
        return Booking.objects.none()
    now = timezone.now()
    bookings = with_waiting_position(
        Booking.objects.filter(provider_id=provider_id).select_related("activity", "booked_by")
    )
    if past:
        return bookings.filter(activity__starts_at__lt=now).order_by(
            "-activity__starts_at", "activity_id", "requested_at", "pk"
        )
    return bookings.filter(activity__starts_at__gte=now).order_by(
        "activity__starts_at", "activity_id", "requested_at", "pk"
    )


def bookings_cancellable_by(user) -> QuerySet[Booking]:
    """The bookings a user may cancel: their own organisation's. Anyone else's is not found."""
    provider_id = getattr(user, "provider_organisation_id", None) if user.is_authenticated else None
    if not provider_id:
        return Booking.objects.none()
    return Booking.objects.filter(provider_id=provider_id).select_related("activity", "provider")


def bookable_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(takes_bookings=True)


def attendees(*, activity: Activity) -> QuerySet[Booking]:
    """An activity's bookings for its officers: confirmed first, then the waiting list in order, then cancelled."""
    order = {CONFIRMED: 0, WAITING: 1, CANCELLED: 2}
    return (
        with_waiting_position(Booking.objects.filter(activity=activity))
        .select_related("provider", "booked_by")
        .annotate(
            status_order=Case(
                *(When(status=status, then=Value(rank)) for status, rank in order.items()),
                output_field=IntegerField(),
            )
        )
        .order_by("status_order", "requested_at", "pk")
    )


def attendee_counts(*, activity: Activity) -> dict[str, int]:
    return {
        row["status"]: row["number"]
        for row in Booking.objects.filter(activity=activity)
        .order_by()
        .values("status")
        .annotate(number=Count("pk"))
    }


def confirmed_booking_ids(*, activity: Activity) -> list[int]:
    return list(Booking.objects.filter(activity=activity, status=CONFIRMED).values_list("pk", flat=True))
