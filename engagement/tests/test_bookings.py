"""Forum places: booking, the waiting list, cancelling and recording attendance, with their emails."""

import datetime as dt

import pytest
from django.utils import timezone

from directory.tests.factories import area, service_type
from engagement.calendar import activity_uid
from engagement.models import Activity, Booking
from engagement.services import bookings as services
from engagement.services.bookings import (
    BookingError,
    attendance_record,
    booking_cancel,
    booking_create,
    bookings_cancel_for_activity,
    waiting_list_promote,
)
from engagement.tests.factories import BookingFactory, in_days
from engagement.tests.factories_bookings import (
    body,
    book,
    calendars,
    emails_to,
    forum,
    person,
    provider_with_user,
)
from portal.models import OutboxMessage
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITING, Booking.Status.CANCELLED


@pytest.fixture
def booker(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="booker@provider-a.example.org")


@pytest.fixture
def booker_b(provider_b):
    return ProviderUserFactory(provider_organisation=provider_b, email="booker@provider-b.example.org")


def _statuses(activity: Activity) -> list[tuple[str, str]]:
    return list(
        Booking.objects.filter(activity=activity)
        .order_by("requested_at", "pk")
        .values_list("attendee_name", "status")
    )


# Booking


def test_named_people_get_places_and_an_email_each_with_the_booker_copied(booker, provider_a):
    activity = forum(title="Mid provider forum", place="County Hall")

    bookings = book(activity, booker, person(1), person(2))

    assert [(b.provider, b.booked_by, b.status) for b in bookings] == [(provider_a, booker, CONFIRMED)] * 2
    first = emails_to("person1@provider-a.example.org")
    assert len(first) == 1
    assert first[0].recipients == ["person1@provider-a.example.org", "booker@provider-a.example.org"]
    assert first[0].subject.startswith("Place confirmed: Mid provider forum on ")
    assert "Provider A Care Ltd has booked you a place at Mid provider forum" in body(first[0])
    assert "Where: County Hall" in body(first[0])


def test_a_confirmation_carries_an_ics_of_the_activity(booker):
    activity = forum(title="Mid provider forum")

    book(activity, booker, person(1))

    (calendar,) = calendars(OutboxMessage.objects.get())
    assert str(calendar["method"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == activity_uid(activity)
    assert str(event["summary"]) == "Mid provider forum"
    assert event.decoded("dtstart") == activity.starts_at
    assert str(event["status"]) == "CONFIRMED"


def test_when_full_people_join_the_waiting_list_in_order_and_are_told_their_number(booker, booker_b):
    activity = forum(capacity=2)

    book(activity, booker, person(1), person(2), person(3))
    book(activity, booker_b, person(4, "b"))

    assert _statuses(activity) == [
        ("Person 1", CONFIRMED),
        ("Person 2", CONFIRMED),
        ("Person 3", WAITING),
        ("Person 4", WAITING),
    ]
    (waiting,) = emails_to("person4@provider-b.example.org")
    assert waiting.subject.startswith("Waiting list: ")
    assert "You are number 2 on the list" in body(waiting)
    # No calendar entry for a place not yet given.
    assert calendars(waiting) == []


def test_the_cap_per_provider_holds_and_the_rest_wait(booker, booker_b):
    activity = forum(capacity=10, cap_per_provider=2)

    book(activity, booker, person(1), person(2), person(3))
    book(activity, booker_b, person(4, "b"))

    assert _statuses(activity) == [
        ("Person 1", CONFIRMED),
        ("Person 2", CONFIRMED),
        ("Person 3", WAITING),
        ("Person 4", CONFIRMED),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Activity.Status.CANCELLED}, "This activity has been cancelled"),
        ({"status": Activity.Status.HELD}, "This activity has already taken place"),
        (
            {"starts_at": timezone.now() - dt.timedelta(hours=1), "ends_at": timezone.now()},
            "This activity has already taken place",
        ),
        ({"takes_bookings": False}, "This activity does not take bookings"),
        ({"bookings_open_at": in_days(7, hour=9)}, "Bookings for this activity open on "),
        (
            {"bookings_close_at": timezone.now() - dt.timedelta(minutes=1)},
            "Bookings for this activity closed on ",
        ),
        ({"for_tier_three": False, "for_tier_two": False}, "This activity is only for Tier 1 providers"),
    ],
    ids=["cancelled", "held", "past", "no bookings", "not open yet", "closed", "ineligible tier"],
)
def test_booking_a_closed_or_ineligible_activity_is_refused_with_a_clear_message(booker, changes, message):
    activity = forum()
    Activity.objects.filter(pk=activity.pk).update(**changes)

    with pytest.raises(BookingError, match=message):
        book(activity, booker, person(1))

    assert not Booking.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_tier_one_meeting_only_takes_tier_one_providers(booker):
    meeting = forum(kind=Activity.Kind.TIER_ONE_MEETING, for_tier_two=False, for_tier_three=False)
    tier_one, tier_one_user = provider_with_user("Tier One Care Ltd", tier_one=True)

    with pytest.raises(BookingError, match="only for Tier 1 providers. Your organisation is Tier 3"):
        book(meeting, booker, person(1))
    (booking,) = book(meeting, tier_one_user, ("Tess One", "tess@tier-one.example.org"))

    assert booking.provider == tier_one


def test_an_activity_for_some_areas_and_services_takes_only_providers_sharing_one(booker, provider_a):
    activity = forum()
    activity.areas.set([area("mid"), area("west")])
    activity.service_types.set([service_type("home-care")])

    with pytest.raises(BookingError, match="only for providers in Mid or West"):
        book(activity, booker, person(1))
    provider_a.areas.set([area("west")])
    with pytest.raises(BookingError, match="only for home care providers"):
        book(activity, booker, person(1))
    provider_a.service_types.set([service_type("home-care"), service_type("residential-care")])

    assert [b.status for b in book(activity, booker, person(1))] == [CONFIRMED]


def test_the_same_person_cannot_be_booked_twice(booker, booker_b):
    activity = forum()
    book(activity, booker, person(1))

    with pytest.raises(
        BookingError, match=r"Person 1 \(PERSON1@provider-a.example.org\) already has a place"
    ):
        book(activity, booker_b, ("Person 1", "PERSON1@provider-a.example.org"))
    with pytest.raises(BookingError, match="You entered person2@x.example.org more than once"):
        book(activity, booker, ("Person 2", "person2@x.example.org"), ("P Two", "Person2@x.example.org"))

    assert Booking.objects.count() == 1


def test_the_database_refuses_a_second_place_for_a_person_the_check_missed(booker, monkeypatch):
    """The unique constraint is the last guard: its refusal becomes the same clear message."""
    activity = forum()
    BookingFactory(activity=activity, attendee_email="Late@provider-a.example.org", status=WAITING)
    monkeypatch.setattr(services, "_refuse_people_already_booked", lambda activity, people: None)

    with pytest.raises(BookingError, match="already has a place or is on the waiting list"):
        book(activity, booker, ("Late Person", "late@provider-a.example.org"))

    assert Booking.objects.count() == 1


def test_a_cancelled_booking_does_not_stop_the_person_booking_again(booker):
    activity = forum()
    (booking,) = book(activity, booker, person(1))
    booking_cancel(booking=booking, cancelled_by=booker)

    (again,) = book(activity, booker, person(1))

    assert again.status == CONFIRMED


def test_a_provider_user_cannot_book_for_another_organisation(booker, provider_b):
    with pytest.raises(BookingError, match="your own organisation"):
        booking_create(activity=forum(), provider=provider_b, booked_by=booker, attendees=[person(1)])


def test_booking_no_one_is_refused(booker):
    with pytest.raises(BookingError, match="at least one person"):
        book(forum(), booker)


# Cancelling and the waiting list


def test_cancelling_a_place_promotes_the_next_on_the_waiting_list_with_an_email_and_ics(booker, booker_b):
    activity = forum(capacity=1, title="West forum")
    (first,) = book(activity, booker, person(1))
    book(activity, booker_b, person(2, "b"), person(3, "b"))
    OutboxMessage.objects.all().delete()

    booking_cancel(booking=first, cancelled_by=booker)

    assert _statuses(activity) == [("Person 1", CANCELLED), ("Person 2", CONFIRMED), ("Person 3", WAITING)]
    promoted = Booking.objects.get(attendee_name="Person 2")
    assert promoted.promoted_at is not None
    (cancelled_email,) = emails_to("person1@provider-a.example.org")
    assert cancelled_email.subject.startswith("Booking cancelled: West forum")
    assert str(calendars(cancelled_email)[0]["method"]) == "CANCEL"
    (promotion,) = emails_to("person2@provider-b.example.org")
    assert promotion.subject.startswith("A place has come up: West forum")
    assert promotion.recipients == ["person2@provider-b.example.org", "booker@provider-b.example.org"]
    (calendar,) = calendars(promotion)
    assert str(calendar["method"]) == "PUBLISH"
    assert emails_to("person3@provider-b.example.org") == []


def test_promotion_skips_a_provider_at_its_cap_and_keeps_its_turn(booker, booker_b):
    activity = forum(capacity=3, cap_per_provider=2)
    (a1, _) = book(activity, booker, person(1), person(2))
    book(activity, booker_b, person(3, "b"))
    book(activity, booker, person(4))  # waits: the activity is full
    book(activity, booker_b, person(5, "b"))  # waits behind Person 4

    booking_cancel(booking=Booking.objects.get(attendee_name="Person 3"), cancelled_by=booker_b)

    # Provider A has its two places, so Person 5 of provider B is promoted; Person 4 keeps first turn.
    statuses = dict(_statuses(activity))
    assert (statuses["Person 4"], statuses["Person 5"]) == (WAITING, CONFIRMED)
    booking_cancel(booking=a1, cancelled_by=booker)
    assert dict(_statuses(activity))["Person 4"] == CONFIRMED


def test_cancelling_a_waiting_turn_promotes_no_one(booker):
    activity = forum(capacity=1)
    book(activity, booker, person(1), person(2), person(3))

    booking_cancel(booking=Booking.objects.get(attendee_name="Person 2"), cancelled_by=booker)

    assert _statuses(activity) == [("Person 1", CONFIRMED), ("Person 2", CANCELLED), ("Person 3", WAITING)]
    assert "You are no longer on the waiting list" in body(emails_to("person2@provider-a.example.org")[-1])


def test_cancelling_after_the_deadline_is_refused(booker):
    activity = forum(cancel_by=timezone.now() - dt.timedelta(minutes=5))
    (booking,) = book(activity, booker, person(1))

    with pytest.raises(
        BookingError, match="The deadline for cancelling was .*Contact the activity's organiser"
    ):
        booking_cancel(booking=booking, cancelled_by=booker)

    booking.refresh_from_db()
    assert booking.status == CONFIRMED


def test_a_booking_cannot_be_cancelled_twice_nor_by_another_provider(booker, booker_b):
    (booking,) = book(forum(), booker, person(1))

    with pytest.raises(BookingError, match="your own organisation"):
        booking_cancel(booking=booking, cancelled_by=booker_b)
    booking_cancel(booking=booking, cancelled_by=booker)
    with pytest.raises(BookingError, match="already cancelled"):
        booking_cancel(booking=booking, cancelled_by=booker)


def test_more_places_promote_the_waiting_list_in_order(booker, booker_b):
    activity = forum(capacity=1)
    book(activity, booker, person(1), person(2))
    book(activity, booker_b, person(3, "b"), person(4, "b"))
    Activity.objects.filter(pk=activity.pk).update(capacity=3)

    assert waiting_list_promote(activity=activity) == 2

    assert _statuses(activity) == [
        ("Person 1", CONFIRMED),
        ("Person 2", CONFIRMED),
        ("Person 3", CONFIRMED),
        ("Person 4", WAITING),
    ]
    assert waiting_list_promote(activity=activity) == 0


def test_cancelling_the_activity_cancels_every_booking_with_a_cancel_ics(booker, booker_b):
    activity = forum(capacity=1, title="South forum")
    book(activity, booker, person(1))
    book(activity, booker_b, person(2, "b"))
    OutboxMessage.objects.all().delete()
    Activity.objects.filter(pk=activity.pk).update(
        status=Activity.Status.CANCELLED, cancellation_reason="The room flooded"
    )

    assert bookings_cancel_for_activity(activity=activity) == 2

    assert {status for _, status in _statuses(activity)} == {CANCELLED}
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [m.recipients[0] for m in messages] == [
        "person1@provider-a.example.org",
        "person2@provider-b.example.org",
    ]
    for message in messages:
        assert message.subject.startswith("Cancelled: South forum")
        assert "The room flooded" in body(message)
        (calendar,) = calendars(message)
        assert str(calendar["method"]) == "CANCEL"
        (event,) = calendar.walk("VEVENT")
        assert (str(event["uid"]), str(event["status"])) == (activity_uid(activity), "CANCELLED")
    assert bookings_cancel_for_activity(activity=activity) == 0


def test_a_booking_email_reaches_a_real_smtp_server_once_committed(
    booker, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(forum(), booker, person(1))

    assert [sorted(envelope.rcpt_tos) for envelope in smtp_sink.messages] == [
        ["booker@provider-a.example.org", "person1@provider-a.example.org"]
    ]
    assert b"Content-Type: text/calendar" in smtp_sink.messages[0].content
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


# Attendance


def test_officers_record_who_came_among_confirmed_bookings(booker):
    activity = forum(capacity=2)
    came, missed, waiting = book(activity, booker, person(1), person(2), person(3))
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )

    changed = attendance_record(
        activity=activity,
        booking_ids={came.pk, missed.pk, waiting.pk},
        attended_ids={came.pk, waiting.pk},
        recorded_by=None,
    )

    assert changed == 2
    assert dict(Booking.objects.values_list("attendee_name", "attended")) == {
        "Person 1": True,
        "Person 2": False,
        "Person 3": None,
    }


def test_attendance_cannot_be_recorded_before_the_activity(booker):
    activity = forum()
    (booking,) = book(activity, booker, person(1))

    with pytest.raises(BookingError, match="once the activity has started"):
        attendance_record(
            activity=activity, booking_ids={booking.pk}, attended_ids={booking.pk}, recorded_by=None
        )
