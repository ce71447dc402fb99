"""Forum places for officers and on the activity page: attendees, attendance, the CSV, and places left."""

import csv
import io

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from engagement.models import Activity, Booking
from engagement.selectors.bookings import activity_places
from engagement.tests.factories import BookingFactory
from engagement.tests.factories_bookings import forum, past
from portal import roles
from portal.tests.factories import DirectorFactory, OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, user and group permissions, the activity, the counts, the count and the page.
ATTENDEES_MAX_QUERIES = 9
# The activity's figures and eligibility in one query, and the provider's own bookings.
ACTIVITY_PLACES_MAX_QUERIES = 2

CONFIRMED, WAITING, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITING, Booking.Status.CANCELLED


@pytest.fixture
def booker(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="booker@provider-a.example.org")


@pytest.fixture
def officer():
    return OfficerFactory(email="officer@council.example.org")


# Attendees


def test_officers_see_attendees_without_a_query_per_row(client, officer, django_assert_max_num_queries):
    activity = forum(capacity=40)
    client.force_login(officer)
    BookingFactory.create_batch(3, activity=activity)
    with django_assert_max_num_queries(ATTENDEES_MAX_QUERIES):
        few = client.get(reverse("engagement:attendees", args=[activity.pk]))
    assert few.context["page_obj"].paginator.count == 3

    BookingFactory.create_batch(20, activity=activity)
    BookingFactory.create_batch(5, activity=activity, status=WAITING)
    BookingFactory.create_batch(2, activity=activity, status=CANCELLED)
    with django_assert_max_num_queries(ATTENDEES_MAX_QUERIES):
        many = client.get(reverse("engagement:attendees", args=[activity.pk]))

    assert many.context["page_obj"].paginator.count == 30
    statuses = [booking.status for booking in many.context["bookings"]]
    assert statuses == [CONFIRMED] * 23 + [WAITING] * 5 + [CANCELLED] * 2
    assert "Waiting list: number 5" in many.content.decode()


def test_an_officer_records_who_came_after_the_activity(client, officer):
    activity = forum()
    came, missed = BookingFactory.create_batch(2, activity=activity)
    waiting = BookingFactory(activity=activity, status=WAITING)
    past(activity)
    client.force_login(officer)
    page = client.get(reverse("engagement:attendees", args=[activity.pk])).content.decode()
    assert "Save attendance" in page

    response = client.post(
        reverse("engagement:attendees", args=[activity.pk]),
        {"shown": [came.pk, missed.pk], "attended": [came.pk]},
        follow=True,
    )

    assert "Attendance saved (2 changes)" in response.content.decode()
    assert [Booking.objects.get(pk=b.pk).attended for b in (came, missed, waiting)] == [True, False, None]


def test_attendance_is_not_recorded_before_the_activity_nor_by_a_director(client, officer):
    activity = forum()
    booking = BookingFactory(activity=activity)
    client.force_login(officer)
    page = client.get(reverse("engagement:attendees", args=[activity.pk])).content.decode()
    assert "You can record who came once the activity has started" in page
    response = client.post(
        reverse("engagement:attendees", args=[activity.pk]), {"shown": [booking.pk], "attended": [booking.pk]}
    )
    assert response.status_code == 302
    past(activity)
    client.force_login(DirectorFactory())

    assert (
        "Save attendance"
        not in client.get(reverse("engagement:attendees", args=[activity.pk])).content.decode()
    )
    forbidden = client.post(
        reverse("engagement:attendees", args=[activity.pk]), {"shown": [booking.pk], "attended": [booking.pk]}
    )
    assert forbidden.status_code == 403
    booking.refresh_from_db()
    assert booking.attended is None


def test_the_attendees_csv_has_each_booking_with_formulas_made_harmless(client, officer, provider_a):
    activity = forum(title="Mid provider forum")
    BookingFactory(
        activity=activity,
        provider=provider_a,
        attendee_name="=HYPERLINK(1)",
        attendee_email="a@x.example.org",
    )
    BookingFactory(activity=activity, provider=provider_a, attendee_name="Wendy Wait", status=WAITING)
    attended = BookingFactory(activity=activity, provider=provider_a, attendee_name="Carl Came")
    Booking.objects.filter(pk=attended.pk).update(attended=True)
    client.force_login(officer)

    response = client.get(reverse("engagement:attendees-csv", args=[activity.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert "mid-provider-forum" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Email", "Provider", "Status", "Waiting list position", "Attended"]
    assert rows[1] == ["'=HYPERLINK(1)", "a@x.example.org", "Provider A Care Ltd", "Confirmed", "", ""]
    assert rows[2][0] == "Carl Came" and rows[2][5] == "Yes"
    assert rows[3][0] == "Wendy Wait" and rows[3][3:5] == ["On the waiting list", "1"]


# The activity page's places


def _places_html(activity: Activity, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    places = activity_places(activity=activity, user=user)
    return render_to_string(
        "engagement/bookings/includes/activity_places.html",
        {"activity": activity, "places": places, "user": user},
        request=request,
    )


def test_the_activity_page_shows_places_left_and_a_book_button_with_constant_queries(
    booker, provider_a, django_assert_max_num_queries
):
    activity = forum(capacity=5, cap_per_provider=3)
    BookingFactory.create_batch(2, activity=activity)
    BookingFactory(activity=activity, provider=provider_a, attendee_name="Our Person")
    BookingFactory(activity=activity, provider=provider_a, attendee_name="Gone", status=CANCELLED)

    with django_assert_max_num_queries(ACTIVITY_PLACES_MAX_QUERIES):
        places = activity_places(activity=activity, user=booker)
        own = [booking.attendee_name for booking in places.own_bookings]
    BookingFactory.create_batch(20, activity=activity, status=WAITING)
    with django_assert_max_num_queries(ACTIVITY_PLACES_MAX_QUERIES):
        more = activity_places(activity=activity, user=booker)
        list(more.own_bookings)

    assert (places.places_left, places.waiting, places.provider_confirmed, own) == (2, 0, 1, ["Our Person"])
    assert (more.places_left, more.waiting, more.can_book) == (2, 20, True)
    html = _places_html(activity, booker)
    assert "2 of 5" in html
    assert "20 people" in html
    assert "Up to 3 (your organisation has 1)" in html
    assert reverse("engagement:book", args=[activity.pk]) in html


def test_the_activity_page_says_why_a_provider_cannot_book(booker):
    activity = forum(for_tier_three=False, for_tier_two=False)

    places = activity_places(activity=activity, user=booker)

    assert places.can_book is False
    html = _places_html(activity, booker)
    assert "This activity is only for Tier 1 providers. Your organisation is Tier 3." in html
    assert reverse("engagement:book", args=[activity.pk]) not in html


def test_officers_see_a_link_to_the_attendees_and_no_book_button(officer):
    activity = forum()
    BookingFactory(activity=activity)

    html = _places_html(activity, officer)

    assert reverse("engagement:attendees", args=[activity.pk]) in html
    assert reverse("engagement:book", args=[activity.pk]) not in html


def test_the_activity_page_includes_the_places(client, booker):
    activity = forum()
    client.force_login(booker)

    page = client.get(reverse("engagement:activity-detail", args=[activity.pk])).content.decode()

    assert "Places left" in page
    assert reverse("engagement:book", args=[activity.pk]) in page


def test_engagement_managers_are_officers_for_attendees(client):
    activity = forum()
    client.force_login(OfficerFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER]))

    assert client.get(reverse("engagement:attendees", args=[activity.pk])).status_code == 200
