"""The demo forward plan: groups of every kind and a year of activities, the same on every run."""

import datetime as dt

import pytest
from django.utils import timezone

from directory.demo import seed_directory
from engagement.demo.plan import seed_plan
from engagement.models import Activity, EngagementGroup
from engagement.selectors.plan import month_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    seed_directory(scale=1)


def test_the_demo_plan_has_groups_of_every_kind_and_a_year_of_activities(county):
    created = seed_plan(scale=1)

    assert created["engagement_groups"] == EngagementGroup.objects.count() == 10
    kinds = set(EngagementGroup.objects.values_list("kind", flat=True))
    assert kinds == set(EngagementGroup.Kind.values) - {EngagementGroup.Kind.OTHER}
    forums = EngagementGroup.objects.filter(kind=EngagementGroup.Kind.AREA_FORUM)
    assert {forum.area.name for forum in forums} == {"North East", "Mid", "South", "West"}
    assert not EngagementGroup.objects.filter(chair__isnull=True).exists()
    assert created["activities"] == Activity.objects.count() > 150
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    today = timezone.localdate()
    first, last = (
        timezone.localtime(Activity.objects.order_by(order).first().starts_at).date()
        for order in ("starts_at", "-starts_at")
    )
    assert month_start(today, -3) <= first < month_start(today, -2)
    assert month_start(today, 8) <= last < month_start(today, 9)


def test_forums_take_bookings_and_past_activities_were_held(county):
    seed_plan(scale=1)

    forum_meetings = Activity.objects.filter(group__kind=EngagementGroup.Kind.AREA_FORUM)
    assert not forum_meetings.filter(takes_bookings=False).exists()
    assert not forum_meetings.filter(capacity__isnull=True).exists()
    assert all(meeting.areas.count() == 1 for meeting in forum_meetings.prefetch_related("areas"))
    past = Activity.objects.filter(starts_at__lt=timezone.now())
    assert set(past.values_list("status", flat=True)) <= {Activity.Status.HELD, Activity.Status.CANCELLED}
    assert Activity.objects.filter(status=Activity.Status.CANCELLED).exclude(cancellation_reason="").exists()
    tier_one = Activity.objects.filter(kind=Activity.Kind.TIER_ONE_MEETING)
    assert tier_one.exists()
    assert not tier_one.filter(for_tier_two=True).exists()


def test_some_activities_are_ad_hoc_with_reasons_some_approved_some_awaiting(county):
    seed_plan(scale=1)

    ad_hoc = Activity.objects.filter(is_ad_hoc=True)
    assert not ad_hoc.filter(ad_hoc_reason="").exists()
    assert ad_hoc.filter(ad_hoc_approved_at__isnull=False).exists()
    assert ad_hoc.filter(ad_hoc_approved_at__isnull=True).exists()
    # Only what was close when it was added can be ad hoc.
    cutoff = timezone.now() + dt.timedelta(weeks=6)
    assert not ad_hoc.filter(starts_at__gte=cutoff).exists()


def test_running_the_demo_again_adds_nothing(county):
    seed_plan(scale=1)
    before = list(Activity.objects.order_by("pk").values_list("pk", "title", "starts_at", "updated_at"))

    again = seed_plan(scale=1)

    assert again == {"engagement_groups": 0, "activities": 0, "ad_hoc_activities": 0}
    assert (
        list(Activity.objects.order_by("pk").values_list("pk", "title", "starts_at", "updated_at")) == before
    )


def test_a_larger_scale_adds_training_sessions_modestly(county):
    at_one = seed_plan(scale=1)["activities"]

    added = seed_plan(scale=3)["activities"]

    assert added == 12 * 4 * 2  # two more scale steps of four sessions a month, for a year
    assert EngagementGroup.objects.count() == 10
    assert at_one + added == Activity.objects.count()
