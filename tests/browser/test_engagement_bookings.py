"""Forum places in a real Chromium: a provider finds its area's forum, books two people and cancels one."""

import pytest
from playwright.sync_api import expect

from directory.tests.factories import ProviderOrganisationFactory, area
from engagement.models import Booking
from engagement.tests.factories_bookings import forum
from portal.models import OutboxMessage
from portal.tests.factories import ProviderUserFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mid_provider():
    provider = ProviderOrganisationFactory(name="Meadow Home Care Ltd")
    provider.areas.set([area("mid")])
    return ProviderUserFactory(email="manager@meadow.example.org", provider_organisation=provider)


@pytest.fixture
def forums():
    mid = forum(title="Mid provider forum", capacity=10, cap_per_provider=3)
    mid.areas.set([area("mid")])
    west = forum(title="West provider forum")
    west.areas.set([area("west")])
    return {"mid": mid, "west": west}


def test_provider_books_two_places_at_its_areas_forum_and_cancels_one(
    live_server, watched_page, mid_provider, forums
):
    page = watched_page.page
    sign_in(page, live_server, mid_provider.email)

    # The forward plan, narrowed to the provider's area.
    page.goto(f"{live_server.url}/engagement/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forward plan")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Area").select_option(label="Mid")
    page.get_by_role("button", name="Show activities").click()
    expect(page.get_by_role("link", name="West provider forum")).to_have_count(0)
    page.get_by_role("link", name="Mid provider forum").click()

    # The activity page shows the places and the way to book.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mid provider forum")
    places = page.locator("section", has=page.get_by_role("heading", name="Places"))
    expect(places).to_contain_text("10 of 10")
    assert_loaded_cleanly_and_accessible(watched_page)
    places.get_by_role("button", name="Book a place").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Book places")
    assert_loaded_cleanly_and_accessible(watched_page)
    first = page.get_by_role("group", name="First person")
    first.get_by_label("Full name").fill("Ada Carer")
    first.get_by_label("Email address").fill("ada@meadow.example.org")
    second = page.get_by_role("group", name="Second person (optional)")
    second.get_by_label("Full name").fill("Ben Carer")
    second.get_by_label("Email address").fill("ben@meadow.example.org")
    page.get_by_role("button", name="Book", exact=True).click()

    # Both are booked and listed in "your bookings".
    page.wait_for_url(f"{live_server.url}/engagement/bookings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bookings")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Ada Carer and Ben Carer have places at Mid provider forum"
    )
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Ada Carer")).to_contain_text("Confirmed")
    expect(rows.filter(has_text="Ben Carer")).to_contain_text("Confirmed")
    assert_loaded_cleanly_and_accessible(watched_page)

    rows.filter(has_text="Ben Carer").get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel Ben Carer’s booking")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("button", name="Cancel booking").click()

    page.wait_for_url(f"{live_server.url}/engagement/bookings/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Ben Carer’s booking for Mid provider forum was cancelled"
    )
    expect(rows.filter(has_text="Ben Carer")).to_contain_text("Cancelled")
    expect(rows.filter(has_text="Ada Carer")).to_contain_text("Confirmed")
    assert_loaded_cleanly_and_accessible(watched_page)
    assert dict(Booking.objects.values_list("attendee_name", "status")) == {
        "Ada Carer": Booking.Status.CONFIRMED,
        "Ben Carer": Booking.Status.CANCELLED,
    }
    # A confirmation each, and Ben's cancellation.
    assert OutboxMessage.objects.count() == 3
