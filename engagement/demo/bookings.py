"""Demo bookings and waiting lists for the forward plan's forums.

Runs after the plan is seeded. Every third activity that takes bookings is filled to capacity with a waiting
list, the others part-filled; past ones have their attendance recorded. The demo provider has a place or two.
An activity that has any booking already is left alone, so a second run adds nothing.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, When
from django.utils import timezone
from django.utils.text import slugify

from directory.demo import demo_provider
from directory.models import ProviderOrganisation
from engagement.models import Activity, Booking
from engagement.selectors.bookings import activity_figures, booking_refusal

_FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Femi", "Grace", "Harry", "Imran", "Jess",
    "Kofi", "Laura", "Mohammed", "Nina", "Oliver", "Priya", "Rhys", "Sophie", "Tom", "Zara",
]  # fmt: skip
_LAST_NAMES = [
    "Adams", "Begum", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Roberts", "Singh", "Taylor", "Walsh",
]  # fmt: skip
DEMO_PROVIDER_FORUMS = 2


@dataclass
class _Providers:
    """Each active provider's tier, areas and service types, read once."""

    ids: list[int]
    names: dict[int, str]
    tiers: dict[int, int]
    areas: dict[int, set[int]]
    service_types: dict[int, set[int]]

    @classmethod
    def load(cls) -> "_Providers":
        rows = (
            ProviderOrganisation.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "name", "tier")
        )
        areas: dict[int, set[int]] = defaultdict(set)
        for provider_id, area_id in ProviderOrganisation.areas.through.objects.values_list(
            "providerorganisation_id", "area_id"
        ):
            areas[provider_id].add(area_id)
        service_types: dict[int, set[int]] = defaultdict(set)
        for provider_id, type_id in ProviderOrganisation.service_types.through.objects.values_list(
            "providerorganisation_id", "servicetype_id"
        ):
            service_types[provider_id].add(type_id)
        return cls(
            ids=[pk for pk, _, _ in rows],
            names={pk: name for pk, name, _ in rows},
            tiers={pk: tier for pk, _, tier in rows},
            areas=areas,
            service_types=service_types,
        )

    def may_book(self, provider_id: int, audience: "_Audience") -> bool:
        return (
            self.tiers.get(provider_id) in audience.tiers
            and (not audience.areas or bool(audience.areas & self.areas[provider_id]))
            and (not audience.service_types or bool(audience.service_types & self.service_types[provider_id]))
        )

    def eligible(self, audience: "_Audience", *, start: int):
        """Providers who may book the activity, from a different starting point for each activity."""
        count = len(self.ids)
        for step in range(count):
            provider_id = self.ids[(start + step) % count]
            if self.may_book(provider_id, audience):
                yield provider_id


@dataclass(frozen=True)
class _Audience:
    tiers: list[int]
    areas: set[int]
    service_types: set[int]

    @classmethod
    def of(cls, activity: Activity) -> "_Audience":
        return cls(
            tiers=activity.audience_tiers,
            areas={area.pk for area in activity.areas.all()},
            service_types={service_type.pk for service_type in activity.service_types.all()},
        )


def _targets(activity: Activity, index: int, *, now: dt.datetime) -> tuple[int, int]:
    """How many confirmed places and how many on the waiting list the demo gives an activity."""
    capacity = activity.capacity or 0
    if activity.starts_at <= now:
        return capacity * 4 // 5, 0
    if index % 3 == 0:
        return capacity, min(2 + capacity // 10, 6)
    return capacity // (2 if index % 3 == 1 else 4), 0


class _Bookings:
    """The bookings for one activity, given places or waiting turns by the same rule as a real booking."""

    def __init__(self, activity: Activity, *, now: dt.datetime):
        self.activity = activity
        self.past = activity.starts_at <= now
        opens = activity.bookings_open_at or activity.starts_at - dt.timedelta(days=42)
        self.first_request = min(opens, now - dt.timedelta(days=2), activity.starts_at - dt.timedelta(days=1))
        self.per_provider: Counter[int] = Counter()
        self.made: list[Booking] = []

    @property
    def confirmed(self) -> int:
        return sum(self.per_provider.values())

    @property
    def waiting(self) -> int:
        return len(self.made) - self.confirmed

    def add(self, provider_id: int, provider_name: str) -> None:
        activity, number = self.activity, len(self.made)
        cap = activity.cap_per_provider
        has_place = self.confirmed < activity.capacity and (
            cap is None or self.per_provider[provider_id] < cap
        )
        if not has_place and self.past:
            return
        first = _FIRST_NAMES[(activity.pk + number) % len(_FIRST_NAMES)]
        last = _LAST_NAMES[(activity.pk * 7 + number) % len(_LAST_NAMES)]
        domain = slugify(provider_name)[:40] or "provider"
        self.made.append(
            Booking(
                activity=activity,
                provider_id=provider_id,
                attendee_name=f"{first} {last}",
                attendee_email=f"{first}.{last}.{number}@{domain}.example.org".lower(),
                status=Booking.Status.CONFIRMED if has_place else Booking.Status.WAITING,
                requested_at=self.first_request + dt.timedelta(minutes=7 * number),
                # Three in four came to a past activity.
                attended=(number % 4 != 3) if self.past else None,
            )
        )
        if has_place:
            self.per_provider[provider_id] += 1


def _activities_without_bookings() -> list[Activity]:
    return list(
        Activity.objects.filter(takes_bookings=True, capacity__isnull=False)
        .exclude(status=Activity.Status.CANCELLED)
        .filter(~Exists(Booking.objects.filter(activity=OuterRef("pk"))))
        .prefetch_related("areas", "service_types")
        .order_by("starts_at", "pk")
    )


def seed_bookings(*, scale: int) -> dict[str, int]:
    """Book demo providers' people onto the forums that have no bookings yet; returns how many were made."""
    activities = _activities_without_bookings()
    if not activities:
        return {"bookings": 0}
    now = timezone.now()
    providers = _Providers.load()
    home = demo_provider().pk
    demo_forums = 0
    bookings: list[Booking] = []
    for index, activity in enumerate(activities):
        planned = _Bookings(activity, now=now)
        audience = _Audience.of(activity)
        confirmed_target, waiting_target = _targets(activity, index, now=now)
        if (
            demo_forums < DEMO_PROVIDER_FORUMS
            and activity.kind == Activity.Kind.PROVIDER_FORUM
            and not planned.past
            and providers.may_book(home, audience)
        ):
            planned.add(home, providers.names[home])
            demo_forums += 1
        for provider_id in providers.eligible(audience, start=index * 37):
            if planned.confirmed >= confirmed_target and planned.waiting >= waiting_target:
                break
            if provider_id == home:
                continue
            # Some providers send two people.
            for _ in range(1 + (provider_id + index) % 2):
                planned.add(provider_id, providers.names[provider_id])
        bookings.extend(planned.made)
    Booking.objects.bulk_create(bookings, batch_size=2000)
    return {"bookings": len(bookings)}


def demo_bookable_forum() -> Activity:
    """An upcoming forum with places left that the demo provider may book now: the benchmark's."""
    provider_id = demo_provider().pk
    now = timezone.now()
    candidates = Activity.objects.filter(takes_bookings=True, starts_at__gt=now).exclude(
        status__in=[Activity.Status.CANCELLED, Activity.Status.HELD]
    )
    # Forums first, then any other activity that takes bookings.
    forums_first = Case(When(kind=Activity.Kind.PROVIDER_FORUM, then=0), default=1)
    for activity in candidates.order_by(forums_first, "starts_at", "pk")[:200]:
        figures = activity_figures(activity=activity, provider_id=provider_id)
        if figures.confirmed < activity.capacity and not booking_refusal(
            activity=activity, figures=figures, now=now
        ):
            return activity
    raise Activity.DoesNotExist("The demo plan has no activity with places the demo provider may book now")
