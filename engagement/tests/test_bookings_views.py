"""Forum places on screen for providers: booking, "your bookings" and cancelling."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import Activity, Booking
from engagement.tests.factories import BookingFactory
from engagement.tests.factories_bookings import book, forum, past, person
from portal.models import OutboxMessage
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, the provider's name, the count and the page of bookings with their activities.
MY_BOOKINGS_MAX_QUERIES = 5
# Session, user, the activity, its figures and the provider's eligibility, the provider's name.
BOOK_PAGE_MAX_QUERIES = 5
# Booking: session, user, the activity, the provider, the activity locked, its figures, anyone already booked,
# and the transaction's savepoint and its release (the test's own transaction is around it)...
BOOKING_MAX_QUERIES = 9
# ...and for each person: the booking, its history and the email in the outbox.
BOOKING_QUERIES_PER_PERSON = 3

CONFIRMED, WAITING, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITING, Booking.Status.CANCELLED


@pytest.fixture
def booker(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="booker@provider-a.example.org")


def _form(*people: tuple[str, str]) -> dict:
    data = {}
    for number, (name, email) in enumerate(people, start=1):
        data[f"name_{number}"] = name
        data[f"email_{number}"] = email
    return data


# Booking


def test_a_provider_books_two_people_for_its_own_organisation_whatever_the_form_says(
    client, booker, provider_a, provider_b
):
    activity = forum(title="Mid provider forum")
    client.force_login(booker)

    page = client.get(reverse("engagement:book", args=[activity.pk])).content.decode()
    assert "Book places" in page
    assert "20 of 20" in page
    response = client.post(
        reverse("engagement:book", args=[activity.pk]),
        {**_form(person(1), person(2)), "provider": provider_b.pk},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("engagement:my-bookings"), 302)]
    assert set(Booking.objects.values_list("provider", "booked_by", "status")) == {
        (provider_a.pk, booker.pk, CONFIRMED)
    }
    page = response.content.decode()
    assert "Person 1 and Person 2 have places at Mid provider forum" in page
    assert OutboxMessage.objects.count() == 2


def test_a_booking_beyond_the_places_says_who_has_a_place_and_who_waits(client, booker):
    activity = forum(capacity=2, title="Small forum")
    client.force_login(booker)

    response = client.post(
        reverse("engagement:book", args=[activity.pk]), _form(person(1), person(2), person(3)), follow=True
    )

    assert (
        "Person 1 and Person 2 have places at Small forum; there are no more places, so Person 3 is on the "
        "waiting list and will be emailed if a place comes up" in response.content.decode()
    )


def test_booking_a_full_activity_says_the_people_are_on_the_waiting_list(client, booker):
    activity = forum(capacity=1, title="Full forum")
    BookingFactory(activity=activity)
    client.force_login(booker)

    page = client.get(reverse("engagement:book", args=[activity.pk])).content.decode()
    assert "This activity is full. Anyone you book now joins the waiting list" in page
    response = client.post(reverse("engagement:book", args=[activity.pk]), _form(person(1)), follow=True)

    assert "Full forum is full: Person 1 is on the waiting list" in response.content.decode()
    assert Booking.objects.get(attendee_name="Person 1").status == WAITING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the name and email address of at least one person"),
        (_form(("Person 1", "")), "Enter the email address of the first person"),
        (_form(("", "p@example.org")), "Enter the full name of the first person"),
        (_form(("Person 1", "not-an-email")), "Enter an email address in the correct format"),
        (
            _form(("Person 1", "p@example.org"), ("Person 2", "P@example.org")),
            "The second person has the same email address as the first",
        ),
    ],
    ids=["no one", "no email", "no name", "bad email", "same person twice"],
)
def test_bad_booking_input_gets_an_error_summary(client, booker, data, message):
    activity = forum()
    client.force_login(booker)

    response = client.post(reverse("engagement:book", args=[activity.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert not Booking.objects.exists()


def test_booking_someone_who_already_has_a_place_gets_an_error_summary(client, booker):
    activity = forum()
    book(activity, booker, person(1))
    client.force_login(booker)

    response = client.post(reverse("engagement:book", args=[activity.pk]), _form(person(1)))

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Person 1 (person1@provider-a.example.org) already has a place or is on the waiting list" in page
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Activity.Status.CANCELLED}, "This activity has been cancelled"),
        (
            {"bookings_close_at": timezone.now() - dt.timedelta(days=1)},
            "Bookings for this activity closed on",
        ),
        ({"for_tier_three": False}, "This activity is only for Tier 1 and Tier 2 providers"),
    ],
    ids=["cancelled", "closed", "ineligible"],
)
def test_an_activity_that_cannot_be_booked_says_why_and_refuses_a_booking(client, booker, changes, message):
    activity = forum()
    Activity.objects.filter(pk=activity.pk).update(**changes)
    client.force_login(booker)

    page = client.get(reverse("engagement:book", args=[activity.pk])).content.decode()
    assert message in page
    assert 'name="name_1"' not in page
    response = client.post(reverse("engagement:book", args=[activity.pk]), _form(person(1)))

    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_the_booking_page_asks_the_same_queries_however_many_are_booked(
    client, booker, provider_a, django_assert_max_num_queries
):
    activity = forum(capacity=100)
    BookingFactory.create_batch(3, activity=activity, provider=provider_a)
    client.force_login(booker)
    with django_assert_max_num_queries(BOOK_PAGE_MAX_QUERIES):
        client.get(reverse("engagement:book", args=[activity.pk]))

    BookingFactory.create_batch(30, activity=activity)
    BookingFactory.create_batch(30, activity=activity, status=WAITING)
    with django_assert_max_num_queries(BOOK_PAGE_MAX_QUERIES):
        response = client.get(reverse("engagement:book", args=[activity.pk]))

    assert "67 of 100" in response.content.decode()


def test_booking_asks_the_same_queries_however_many_are_booked_and_three_writes_a_person(
    client, booker, provider_a, django_assert_max_num_queries
):
    activity = forum(capacity=200)
    BookingFactory.create_batch(40, activity=activity)
    BookingFactory.create_batch(5, activity=activity, provider=provider_a)
    client.force_login(booker)
    url = reverse("engagement:book", args=[activity.pk])

    with django_assert_max_num_queries(BOOKING_MAX_QUERIES + BOOKING_QUERIES_PER_PERSON):
        assert client.post(url, _form(person(1))).status_code == 302
    with django_assert_max_num_queries(BOOKING_MAX_QUERIES + 2 * BOOKING_QUERIES_PER_PERSON):
        assert client.post(url, _form(person(2), person(3))).status_code == 302

    assert Booking.objects.filter(activity=activity).count() == 48
    assert OutboxMessage.objects.count() == 3


def test_an_activity_without_places_cannot_be_booked(client, booker):
    activity = forum(takes_bookings=False, capacity=None)
    client.force_login(booker)

    assert client.get(reverse("engagement:book", args=[activity.pk])).status_code == 404


# Your bookings


def test_your_bookings_lists_only_your_organisations_without_a_query_per_row(
    client, booker, provider_a, provider_b, django_assert_max_num_queries
):
    client.force_login(booker)
    activities = [forum(capacity=2) for _ in range(3)]
    for activity in activities:
        BookingFactory(activity=activity, provider=provider_b, attendee_name="Someone from B")
    for number, activity in enumerate(activities):
        BookingFactory(activity=activity, provider=provider_a, attendee_name=f"A person {number}")
    with django_assert_max_num_queries(MY_BOOKINGS_MAX_QUERIES):
        few = client.get(reverse("engagement:my-bookings"))
    assert few.context["page_obj"].paginator.count == 3

    for activity in [forum(capacity=1) for _ in range(27)]:
        BookingFactory(activity=activity, provider=provider_b, attendee_name="Someone from B")
        BookingFactory(
            activity=activity, provider=provider_a, status=WAITING, attendee_name="Waiting A person"
        )
    with django_assert_max_num_queries(MY_BOOKINGS_MAX_QUERIES):
        many = client.get(reverse("engagement:my-bookings"))

    page = many.content.decode()
    assert many.context["page_obj"].paginator.count == 30
    assert "Someone from B" not in page
    assert "Waiting list: number 1" in page
    assert "A person 0" in page


def test_past_bookings_are_listed_apart_without_a_cancel_link(client, booker, provider_a):
    upcoming = BookingFactory(activity=forum(title="Upcoming forum"), provider=provider_a)
    earlier_booking = BookingFactory(activity=past(forum(title="Past forum")), provider=provider_a)
    client.force_login(booker)

    current = client.get(reverse("engagement:my-bookings")).content.decode()
    earlier = client.get(reverse("engagement:my-bookings"), {"show": "past"}).content.decode()

    assert "Upcoming forum" in current and "Past forum" not in current
    assert reverse("engagement:booking-cancel", args=[upcoming.pk]) in current
    assert "Past forum" in earlier and "Upcoming forum" not in earlier
    assert reverse("engagement:booking-cancel", args=[earlier_booking.pk]) not in earlier


# Cancelling


def test_a_provider_cancels_its_own_booking_and_the_next_waiting_gets_the_place(client, booker, provider_b):
    activity = forum(capacity=1)
    (booking,) = book(activity, booker, person(1))
    waiting = BookingFactory(activity=activity, provider=provider_b, status=WAITING)
    client.force_login(booker)

    page = client.get(reverse("engagement:booking-cancel", args=[booking.pk])).content.decode()
    assert "Person 1 will lose their place" in page
    response = client.post(reverse("engagement:booking-cancel", args=[booking.pk]), follow=True)

    assert response.redirect_chain == [(reverse("engagement:my-bookings"), 302)]
    assert f"Person 1’s booking for {activity.title} was cancelled" in response.content.decode()
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert (booking.status, waiting.status) == (CANCELLED, CONFIRMED)


def test_provider_cannot_see_or_cancel_another_providers_booking(client, provider_b, booker):
    (booking,) = book(forum(), booker, person(1))
    client.force_login(ProviderUserFactory(provider_organisation=provider_b))

    assert client.get(reverse("engagement:booking-cancel", args=[booking.pk])).status_code == 404
    assert client.post(reverse("engagement:booking-cancel", args=[booking.pk])).status_code == 404
    assert "Person 1" not in client.get(reverse("engagement:my-bookings")).content.decode()
    booking.refresh_from_db()
    assert booking.status == CONFIRMED


def test_cancelling_after_the_deadline_says_so_and_changes_nothing(client, booker):
    activity = forum()
    (booking,) = book(activity, booker, person(1))
    Activity.objects.filter(pk=activity.pk).update(cancel_by=timezone.now() - dt.timedelta(hours=1))
    client.force_login(booker)

    page = client.get(reverse("engagement:booking-cancel", args=[booking.pk])).content.decode()
    assert "The deadline for cancelling was" in page
    assert "Cancel booking</button>" not in page
    response = client.post(reverse("engagement:booking-cancel", args=[booking.pk]))

    assert "govuk-error-summary" in response.content.decode()
    assert "The deadline for cancelling was" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == CONFIRMED
