"""Market direction in a real Chromium: the engagement manager writes and publishes a commissioning intention, a
subscribed provider is emailed and finds it, and every page on the way is axe-core clean."""

import pytest
from playwright.sync_api import expect

from directory.tests.factories import OfficerFactory, area, service_type
from market.models import CommissioningIntention, Published
from market.tests.factories import (
    FeeExplanationFactory,
    OpportunityFactory,
    StatementFactory,
    SubscriptionFactory,
    in_days,
)
from portal import roles
from portal.models import OutboxMessage
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory
from tests.browser.page_types import open_as
from tests.browser.test_sign_in_accessibility import assert_loaded_cleanly_and_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_manager_publishes_an_intention_and_a_subscribed_provider_finds_it(browser, live_server, provider_a):
    OfficerFactory(full_name="Casey Commissioner", job_title="Head of commissioning")
    StatementFactory(title="Adult social care market position statement")
    OpportunityFactory(title="Supported living framework reopens")
    FeeExplanationFactory(service_type=service_type("home-care"), year="2026 to 2027")
    manager = CouncilUserFactory(
        email="mo@council.example.org", roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER]
    )
    provider_user = ProviderUserFactory(email="pat@provider-a.example.org", provider_organisation=provider_a)
    SubscriptionFactory(user=provider_user, service_types=[service_type("home-care")], areas=[area("west")])

    as_manager = open_as(browser, live_server, manager)
    page = as_manager.page
    try:
        page.goto(f"{live_server.url}/market/keep/intention/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Write a commissioning intention")
        assert_loaded_cleanly_and_accessible(as_manager.watched)
        page.get_by_role("button", name="Save as draft").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
        assert_loaded_cleanly_and_accessible(as_manager.watched)

        page.get_by_label("Title").fill("More home care in the west")
        page.get_by_label("Type of service").select_option(label="Home care")
        page.get_by_label("West").check()
        page.get_by_label("Buy more").check()
        page.get_by_label("What and why").fill("People in the west wait longest for home care.")
        page.get_by_label("When, in words").fill("From April next year")
        _fill_date(page, "From", in_days(150))
        page.get_by_label("Owner").select_option(label="Casey Commissioner, Head of commissioning")
        _fill_date(page, "Review date", in_days(400))
        page.get_by_role("button", name="Save as draft").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("More home care in the west")
        expect(page.locator("main")).to_contain_text("Draft")
        assert_loaded_cleanly_and_accessible(as_manager.watched)

        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Publish More home care")
        assert_loaded_cleanly_and_accessible(as_manager.watched)
        page.get_by_role("button", name="Publish").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
        for path in ("/market/", "/market/keep/", "/market/opportunities/", "/market/fees/"):
            page.goto(f"{live_server.url}{path}")
            assert_loaded_cleanly_and_accessible(as_manager.watched)
    finally:
        as_manager.close()

    intention = CommissioningIntention.objects.get(title="More home care in the west")
    assert intention.status == Published.Status.PUBLISHED
    assert OutboxMessage.objects.filter(recipients=["pat@provider-a.example.org"]).count() == 1

    as_provider = open_as(browser, live_server, provider_user)
    page = as_provider.page
    try:
        page.goto(f"{live_server.url}/market/?area=west")
        expect(page.get_by_role("heading", level=1)).to_have_text("Market direction")
        assert_loaded_cleanly_and_accessible(as_provider.watched)
        page.get_by_role("link", name="More home care in the west").click()
        expect(page.locator("main")).to_contain_text("People in the west wait longest")
        assert_loaded_cleanly_and_accessible(as_provider.watched)

        page.goto(f"{live_server.url}/market/fees/")
        assert_loaded_cleanly_and_accessible(as_provider.watched)
        page.get_by_role("link", name="2026 to 2027").click()
        assert_loaded_cleanly_and_accessible(as_provider.watched)
        page.get_by_role("link", name="Ask about fees").click()
        expect(page.get_by_label("Fees and pricing")).to_be_checked()

        page.goto(f"{live_server.url}/market/subscription/")
        assert_loaded_cleanly_and_accessible(as_provider.watched)
        page.goto(f"{live_server.url}/market/opportunities/")
        assert_loaded_cleanly_and_accessible(as_provider.watched)
    finally:
        as_provider.close()
