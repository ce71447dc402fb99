"""The New Deal in a real Chromium: a provider reads the current principles and signs up for its organisation, and
the coverage a director sees moves."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.tests.factories import ProviderOrganisationFactory
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from principles.models import ProviderSignUp
from principles.tests.factories import PrinciplesVersionFactory, ProviderSignUpFactory
from tests.browser.page_types import open_as
from tests.browser.test_sign_in_accessibility import assert_loaded_cleanly_and_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_user():
    """Riverside signed version 1; Hillview has signed version 2 already, so half the providers have."""
    now = timezone.now()
    first = PrinciplesVersionFactory(number=1, published_at=now - dt.timedelta(days=300), what_changed="")
    second = PrinciplesVersionFactory(
        number=2,
        title="Working together for people who need care",
        body="We share information early.\n\nWe pay on time and explain fees.",
        what_changed="Adds a principle on paying on time.",
        published_at=now - dt.timedelta(days=10),
    )
    riverside = ProviderOrganisationFactory(name="Riverside Home Care Ltd")
    ProviderSignUpFactory(version=first, organisation=riverside)
    ProviderSignUpFactory(
        version=second, organisation=ProviderOrganisationFactory(name="Hillview Care Homes")
    )
    return ProviderUserFactory(
        email="rosa@riverside.example.org", full_name="Rosa Rivers", provider_organisation=riverside
    )


def test_a_provider_reads_the_principles_signs_up_and_the_coverage_moves(browser, live_server, provider_user):
    director = open_as(browser, live_server, DirectorFactory())
    provider = open_as(browser, live_server, provider_user)
    try:
        director.page.goto(f"{live_server.url}/new-deal/coverage/")
        expect(director.page.get_by_role("heading", level=1)).to_have_text("Who has signed up")
        expect(director.page.locator("#provider-share")).to_have_text("50%")
        assert_loaded_cleanly_and_accessible(director.watched)

        page = provider.page
        page.goto(f"{live_server.url}/new-deal/")
        expect(page.get_by_role("heading", level=1)).to_have_text("The New Deal")
        expect(page.locator("main")).to_contain_text("We pay on time and explain fees.")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Your organisation has not yet signed up to version 2."
        )
        assert_loaded_cleanly_and_accessible(provider.watched)

        page.get_by_role("link", name="sign up for your organisation").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign up to the New Deal")
        assert_loaded_cleanly_and_accessible(provider.watched)
        # Without the declaration, the error summary says what is missing.
        page.get_by_label("Your role in the organisation").fill("Nominated individual")
        page.get_by_role("button", name="Sign up for Riverside Home Care Ltd").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Confirm that you are entitled to act for your organisation"
        )
        assert_loaded_cleanly_and_accessible(provider.watched)
        page.get_by_label("I am entitled to act for Riverside Home Care Ltd").check()
        page.get_by_role("button", name="Sign up for Riverside Home Care Ltd").click()

        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Riverside Home Care Ltd has signed up to version 2 of the New Deal"
        )
        expect(page.locator("main")).to_contain_text("by Rosa Rivers (Nominated individual)")
        assert_loaded_cleanly_and_accessible(provider.watched)
        assert ProviderSignUp.objects.filter(
            version__number=2, organisation=provider_user.provider_organisation
        ).exists()

        director.page.reload()
        expect(director.page.locator("#provider-share")).to_have_text("100%")
    finally:
        director.close()
        provider.close()
