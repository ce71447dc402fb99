"""The who's-who in a real Chromium: a provider asks who to contact and reaches the right officer's page."""

import pytest
from playwright.sync_api import expect

from directory.tests.factories import (
    OfficerFactory,
    ProviderOrganisationFactory,
    ResponsibilityFactory,
    TeamFactory,
    area,
    service_type,
)
from portal.tests.factories import ProviderUserFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def home_care_provider():
    """A home care provider in Mid, whose safeguarding contact is Sam; Riley answers for care homes."""
    provider = ProviderOrganisationFactory(name="Meadow Home Care Ltd")
    provider.areas.set([area("mid")])
    provider.service_types.set([service_type("home-care")])
    team = TeamFactory(name="Safeguarding Adults Mid", mailbox="safeguarding.mid@council.example.org")
    sam = OfficerFactory(
        full_name="Sam Safeguarding", job_title="Safeguarding lead, community services", team=team
    )
    riley = OfficerFactory(
        full_name="Riley Residential", job_title="Safeguarding lead, care homes", team=team
    )
    ResponsibilityFactory(
        officer=riley, areas=[area("mid")], service_types=[service_type("residential-care")]
    )
    ResponsibilityFactory(officer=sam, areas=[area("mid")], service_types=[service_type("home-care")])
    user = ProviderUserFactory(email="manager@meadow.example.org", provider_organisation=provider)
    return {"user": user, "sam": sam}


def test_provider_finds_its_safeguarding_contact_and_reaches_their_page(
    live_server, watched_page, home_care_provider
):
    page = watched_page.page
    sign_in(page, live_server, home_care_provider["user"].email)

    page.locator("#navigation").get_by_role("link", name="Find a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who do I contact about…?")
    # The provider's own area and service type are chosen already: it asks in one step.
    expect(page.get_by_label("Mid")).to_be_checked()
    expect(page.get_by_label("Home care")).to_be_checked()
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_label("Safeguarding").check()
    page.get_by_role("button", name="Find a contact").click()
    answer = page.locator("#answer")
    expect(answer).to_contain_text("Sam Safeguarding")
    expect(answer).to_contain_text("safeguarding.mid@council.example.org")
    expect(answer).not_to_contain_text("Riley Residential")
    assert_loaded_cleanly_and_accessible(watched_page)

    answer.get_by_role("link", name="Sam Safeguarding").click()
    page.wait_for_url(f"{live_server.url}/directory/officers/{home_care_provider['sam'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Safeguarding")
    expect(page.locator("main")).to_contain_text("Safeguarding lead, community services")
    assert_loaded_cleanly_and_accessible(watched_page)

    # Printed, the page keeps the officer's details and leaves out the navigation and the footer.
    page.emulate_media(media="print")
    expect(page.locator("#navigation")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_whos_who_search_is_accessible_and_finds_by_topic(live_server, watched_page, home_care_provider):
    page = watched_page.page
    sign_in(page, live_server, home_care_provider["user"].email)

    page.locator("#navigation").get_by_role("link", name="Who's who").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who's who")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_label("Name, job title, team or topic").fill("community")
    page.get_by_role("button", name="Search").click()
    results = page.locator("main table")
    expect(results).to_contain_text("Sam Safeguarding")
    expect(results).not_to_contain_text("Riley Residential")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_label("Name, job title, team or topic").fill("")
    page.get_by_label("Topic they answer").select_option("Safeguarding")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main table caption")).to_have_text("2 officers found")
    assert_loaded_cleanly_and_accessible(watched_page)
