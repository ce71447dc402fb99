"""The forward plan's services: adding, changing and cancelling activities, and ad hoc approval."""

import datetime as dt

import pytest
from django.utils import timezone

from directory.tests import factories as directory_factories
from engagement.models import Activity, Booking
from engagement.services import plan as services
from engagement.services.plan import PlanError, PlanProblems
from engagement.tests.factories import ActivityFactory, BookingFactory, EngagementGroupFactory, in_days
from portal import roles
from portal.models import OutboxMessage
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db

AD_HOC_MESSAGE = "Give a reason: this activity is less than 6 weeks away, so it is ad hoc"


@pytest.fixture
def officer_user():
    return CouncilUserFactory(email="olu.officer@council.example.org", full_name="Olu Officer")


@pytest.fixture
def manager_user():
    return CouncilUserFactory(
        email="mira.manager@council.example.org", roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER]
    )


@pytest.fixture
def facilitator():
    return directory_factories.OfficerFactory(full_name="Fran Facilitator")


def values(facilitator, *, days: int = 60, **overrides) -> dict:
    starts_at = in_days(days)
    return {
        "title": "North East Provider Forum",
        "kind": Activity.Kind.PROVIDER_FORUM,
        "group": None,
        "description": "",
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(hours=2),
        "place": "Community Hub",
        "online_link": "",
        "facilitator": facilitator,
        "status": Activity.Status.PLANNED,
        "for_tier_one": True,
        "for_tier_two": True,
        "for_tier_three": True,
        "ad_hoc_reason": "",
        "takes_bookings": False,
        "capacity": None,
        "cap_per_provider": None,
        "bookings_open_at": None,
        "bookings_close_at": None,
        "cancel_by": None,
        **overrides,
    }


def _problems(**kwargs) -> dict:
    with pytest.raises(PlanProblems) as raised:
        services.activity_create(**kwargs)
    return raised.value.problems


# Adding to the plan


def test_an_activity_added_in_good_time_is_in_the_plan_not_ad_hoc(officer_user, facilitator):
    north_east = directory_factories.area("north-east")

    activity = services.activity_create(
        created_by=officer_user,
        areas=[north_east],
        **values(facilitator, days=43, ad_hoc_reason="Ignored: it is not ad hoc"),
    )

    activity.refresh_from_db()
    assert (activity.is_ad_hoc, activity.ad_hoc_reason, activity.created_by) == (False, "", officer_user)
    assert list(activity.areas.all()) == [north_east]
    assert activity.history.count() == 1
    assert activity.history.get().history_user == officer_user


def test_an_activity_less_than_the_weeks_ahead_away_is_ad_hoc_and_needs_a_reason(officer_user, facilitator):
    assert _problems(created_by=officer_user, **values(facilitator, days=20)) == {
        "ad_hoc_reason": AD_HOC_MESSAGE
    }

    activity = services.activity_create(
        created_by=officer_user, **values(facilitator, days=20, ad_hoc_reason="  The venue fell through.  ")
    )

    assert activity.is_ad_hoc
    assert activity.awaits_approval
    assert activity.ad_hoc_reason == "The venue fell through."


def test_how_many_weeks_ahead_the_plan_needs_is_a_setting(officer_user, facilitator, settings):
    settings.ENGAGEMENT_PLAN_WEEKS_AHEAD = 2

    in_good_time = services.activity_create(created_by=officer_user, **values(facilitator, days=20))
    with pytest.raises(PlanProblems, match="less than 2 weeks away, so it is ad hoc"):
        services.activity_create(created_by=officer_user, **values(facilitator, days=10))

    assert not in_good_time.is_ad_hoc


def test_every_broken_rule_is_reported_at_once(officer_user, facilitator):
    starts_at = in_days(60)

    problems = _problems(
        created_by=officer_user,
        **values(
            facilitator,
            ends_at=starts_at - dt.timedelta(hours=1),
            place="",
            for_tier_one=False,
            for_tier_two=False,
            for_tier_three=False,
            takes_bookings=True,
            bookings_close_at=starts_at + dt.timedelta(days=1),
            cancel_by=starts_at + dt.timedelta(days=1),
        ),
    )

    assert problems == {
        "ends_at": "The activity must end after it starts",
        "place": "Enter a place or an online link",
        "tiers": "Choose at least one tier of provider the activity is for",
        "capacity": "Enter how many places there are: an activity that takes bookings needs a capacity",
        "bookings_close_at": "Bookings must close before the activity starts",
        "cancel_by": "The cancellation deadline must be before the activity starts",
    }
    assert not Activity.objects.exists()


def test_an_activity_cannot_be_added_after_it_has_started_or_held_before_it_starts(officer_user, facilitator):
    assert _problems(created_by=officer_user, **values(facilitator, days=-1, ad_hoc_reason="Late"))[
        "starts_at"
    ] == ("The activity must start in the future")
    assert _problems(created_by=officer_user, **values(facilitator, status=Activity.Status.HELD)) == {
        "status": "An activity can only be marked as held once it has started"
    }


def test_places_per_provider_cannot_exceed_the_places_and_bookings_open_before_they_close(
    officer_user, facilitator
):
    starts_at = in_days(60)

    problems = _problems(
        created_by=officer_user,
        **values(
            facilitator,
            takes_bookings=True,
            capacity=10,
            cap_per_provider=11,
            bookings_open_at=starts_at - dt.timedelta(days=5),
            bookings_close_at=starts_at - dt.timedelta(days=6),
        ),
    )

    assert problems == {
        "cap_per_provider": "Places per provider cannot be more than the number of places",
        "bookings_open_at": "Bookings must open before they close",
    }


def test_a_newsletter_needs_no_place(officer_user, facilitator):
    issue = services.activity_create(
        created_by=officer_user, **values(facilitator, kind=Activity.Kind.NEWSLETTER, place="")
    )

    assert issue.place == ""


def test_an_activity_without_bookings_keeps_no_booking_details(officer_user, facilitator):
    activity = services.activity_create(
        created_by=officer_user, **values(facilitator, takes_bookings=False, capacity=40, cap_per_provider=2)
    )

    assert (activity.capacity, activity.cap_per_provider) == (None, None)


# Changing and cancelling


def _update(activity: Activity, user, facilitator, **overrides) -> Activity:
    current = values(facilitator, starts_at=activity.starts_at, ends_at=activity.ends_at)
    current.update(
        {
            "takes_bookings": activity.takes_bookings,
            "capacity": activity.capacity,
            "ad_hoc_reason": activity.ad_hoc_reason,
            **overrides,
        }
    )
    return services.activity_update(activity=activity, changed_by=user, **current)


def test_moving_an_ad_hoc_activity_later_does_not_make_it_planned_in_good_time(officer_user, facilitator):
    activity = services.activity_create(
        created_by=officer_user, **values(facilitator, days=10, ad_hoc_reason="A minister's visit")
    )
    later = in_days(120)

    moved = _update(
        activity, officer_user, facilitator, starts_at=later, ends_at=later + dt.timedelta(hours=1)
    )

    moved.refresh_from_db()
    assert moved.starts_at == later
    assert moved.is_ad_hoc
    with pytest.raises(PlanProblems) as raised:
        _update(moved, officer_user, facilitator, ad_hoc_reason="")
    assert raised.value.problems == {"ad_hoc_reason": AD_HOC_MESSAGE}


def test_moving_a_planned_activity_sooner_does_not_make_it_ad_hoc(officer_user, facilitator):
    activity = ActivityFactory(starts_at=in_days(60))
    sooner = in_days(5)

    moved = _update(
        activity, officer_user, facilitator, starts_at=sooner, ends_at=sooner + dt.timedelta(hours=2)
    )

    assert not moved.is_ad_hoc


def test_capacity_cannot_be_lowered_below_the_confirmed_places(officer_user, facilitator):
    forum = ActivityFactory(bookable=True, capacity=5)
    BookingFactory.create_batch(3, activity=forum)
    BookingFactory(activity=forum, status=Booking.Status.CANCELLED)
    BookingFactory(activity=forum, status=Booking.Status.WAITING)

    with pytest.raises(PlanProblems) as raised:
        _update(forum, officer_user, facilitator, capacity=2)
    lowered = _update(forum, officer_user, facilitator, capacity=3)

    assert raised.value.problems == {
        "capacity": "There are already 3 confirmed places; capacity cannot be lower"
    }
    assert lowered.capacity == 3


def test_an_activity_with_places_taken_keeps_taking_bookings(officer_user, facilitator):
    forum = ActivityFactory(bookable=True)
    BookingFactory(activity=forum)

    with pytest.raises(PlanProblems, match="must keep taking bookings: 1 person has a place"):
        _update(forum, officer_user, facilitator, takes_bookings=False)


def test_raising_the_capacity_gives_the_new_places_to_the_waiting_list(officer_user, facilitator):
    forum = ActivityFactory(bookable=True, capacity=2)
    BookingFactory.create_batch(2, activity=forum)
    first = BookingFactory(activity=forum, status=Booking.Status.WAITING, attendee_email="first@example.org")
    second = BookingFactory(
        activity=forum, status=Booking.Status.WAITING, attendee_email="second@example.org"
    )

    _update(forum, officer_user, facilitator, capacity=3)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Booking.Status.CONFIRMED, Booking.Status.WAITING)
    assert [message.recipients for message in OutboxMessage.objects.all()] == [["first@example.org"]]


def test_cancelling_needs_a_reason_and_cancels_every_place_with_an_email(
    officer_user, smtp_sink, django_capture_on_commit_callbacks
):
    forum = ActivityFactory(bookable=True)
    BookingFactory(activity=forum, attendee_email="ayo@provider.example.org")
    BookingFactory(activity=forum, status=Booking.Status.WAITING, attendee_email="bea@provider.example.org")

    with pytest.raises(PlanError, match="Enter why the activity is cancelled") as raised:
        services.activity_cancel(activity=forum, cancelled_by=officer_user, reason="  ")
    assert raised.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.activity_cancel(
            activity=forum, cancelled_by=officer_user, reason="Venue flooded"
        )

    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancellation_reason) == (Activity.Status.CANCELLED, "Venue flooded")
    assert set(forum.bookings.values_list("status", flat=True)) == {Booking.Status.CANCELLED}
    assert sorted(rcpt for envelope in smtp_sink.messages for rcpt in envelope.rcpt_tos) == [
        "ayo@provider.example.org",
        "bea@provider.example.org",
    ]
    assert cancelled.history.first().history_change_reason == "Cancelled"


def test_a_cancelled_activity_cannot_be_changed_or_cancelled_again(officer_user, facilitator):
    activity = ActivityFactory(status=Activity.Status.CANCELLED, cancellation_reason="Snow")

    with pytest.raises(PlanError, match="can no longer be changed"):
        _update(activity, officer_user, facilitator, title="Back on")
    with pytest.raises(PlanError, match="already cancelled"):
        services.activity_cancel(activity=activity, cancelled_by=officer_user, reason="Again")


def test_a_held_activity_cannot_be_cancelled(officer_user):
    activity = ActivityFactory(starts_at=in_days(-7), status=Activity.Status.HELD)

    with pytest.raises(PlanError, match="was held"):
        services.activity_cancel(activity=activity, cancelled_by=officer_user, reason="Oops")


# Ad hoc approval


def test_the_engagement_manager_approves_an_ad_hoc_activity_once(manager_user):
    activity = ActivityFactory(starts_at=in_days(10), is_ad_hoc=True, ad_hoc_reason="A minister's visit")

    approved = services.ad_hoc_activity_approve(activity=activity, approved_by=manager_user)
    with pytest.raises(PlanError, match="already approved on"):
        services.ad_hoc_activity_approve(activity=activity, approved_by=manager_user)

    approved.refresh_from_db()
    assert approved.ad_hoc_approved_by == manager_user
    assert approved.ad_hoc_approved_at is not None
    assert not approved.awaits_approval


def test_an_activity_planned_in_good_time_needs_no_approval(manager_user):
    with pytest.raises(PlanError, match="needs no approval"):
        services.ad_hoc_activity_approve(activity=ActivityFactory(), approved_by=manager_user)


def test_an_activity_may_belong_to_a_group(officer_user, facilitator):
    group = EngagementGroupFactory(name="Mid Provider Forum")

    activity = services.activity_create(created_by=officer_user, **values(facilitator, group=group))

    assert activity.group == group
    assert activity.created_at <= timezone.now()
