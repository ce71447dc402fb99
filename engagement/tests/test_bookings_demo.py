"""The demo's bookings: forums part-filled or full with a waiting list, the same every time, never twice."""

from collections import Counter

import pytest
from django.db.models import Count, Q

from directory import demo as directory_demo
from engagement.demo import bookings as demo_bookings
from engagement.demo import plan as demo_plan
from engagement.models import Activity, Booking
from engagement.selectors.bookings import activity_figures, booking_refusal

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING = Booking.Status.CONFIRMED, Booking.Status.WAITING


@pytest.fixture
def plan():
    directory_demo.seed_directory(scale=1)
    demo_plan.seed_plan(scale=1)


def _snapshot() -> list[tuple]:
    return list(
        Booking.objects.order_by("activity_id", "requested_at", "pk").values_list(
            "activity_id", "provider_id", "attendee_name", "attendee_email", "status", "attended"
        )
    )


def test_demo_bookings_fill_forums_within_their_places_with_waiting_lists(plan):
    created = demo_bookings.seed_bookings(scale=1)

    assert created["bookings"] == Booking.objects.count() > 0
    activities = Activity.objects.filter(takes_bookings=True).annotate(
        confirmed=Count("bookings", filter=Q(bookings__status=CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=WAITING)),
    )
    assert all(activity.confirmed <= activity.capacity for activity in activities)
    full_with_waiting_list = [a for a in activities if a.confirmed == a.capacity and a.waiting]
    assert full_with_waiting_list
    for activity in activities.filter(cap_per_provider__isnull=False):
        per_provider = Counter(
            Booking.objects.filter(activity=activity, status=CONFIRMED).values_list("provider_id", flat=True)
        )
        assert max(per_provider.values(), default=0) <= activity.cap_per_provider
    assert not Booking.objects.filter(activity__status=Activity.Status.CANCELLED).exists()
    # Past activities have their attendance recorded; upcoming ones not yet.
    assert Booking.objects.filter(activity__status=Activity.Status.HELD, attended=True).exists()
    assert not Booking.objects.filter(
        activity__status=Activity.Status.PLANNED, attended__isnull=False
    ).exists()


def test_every_demo_booking_is_one_the_provider_could_have_made(plan):
    demo_bookings.seed_bookings(scale=1)

    for booking in Booking.objects.filter(status=CONFIRMED).select_related("activity")[:200]:
        figures = activity_figures(activity=booking.activity, provider_id=booking.provider_id)
        refusal = booking_refusal(activity=booking.activity, figures=figures, now=booking.activity.starts_at)
        # Only the time may refuse it now (past, or bookings since closed), never the audience.
        assert refusal is None or "only for" not in refusal


def test_the_demo_provider_has_a_booking_or_two_and_a_forum_it_may_book(plan):
    demo_bookings.seed_bookings(scale=1)

    provider = directory_demo.demo_provider()
    own = Booking.objects.filter(provider=provider)
    assert 1 <= own.count() <= 2
    assert set(own.values_list("activity__kind", flat=True)) == {Activity.Kind.PROVIDER_FORUM}
    forum = demo_bookings.demo_bookable_forum()
    figures = activity_figures(activity=forum, provider_id=provider.pk)
    assert forum.takes_bookings and figures.confirmed < forum.capacity


def test_demo_bookings_are_the_same_every_time_and_a_second_run_adds_nothing(plan):
    demo_bookings.seed_bookings(scale=1)
    first = _snapshot()

    assert demo_bookings.seed_bookings(scale=1) == {"bookings": 0}
    assert _snapshot() == first
    Booking.objects.all().delete()
    demo_bookings.seed_bookings(scale=1)
    assert [row[:5] for row in _snapshot()] == [row[:5] for row in first]
