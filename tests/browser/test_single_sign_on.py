"""Council sign-in in a real Chromium, through a real local identity provider; axe-core on each portal page."""

import re

import pytest
from playwright.sync_api import expect

from portal.tests.factories import OfficerFactory
from tests.browser.test_sign_in_accessibility import assert_loaded_cleanly_and_accessible, describe
from tests.identity_provider.server import running_identity_provider, switch_on_council_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNCIL_DOMAIN = "council.example.org"
BUTTON = "Sign in with your council account"

identity_provider = pytest.fixture(scope="module", name="identity_provider")(running_identity_provider)


@pytest.fixture(autouse=True)
def council_sign_in(settings, identity_provider):
    switch_on_council_sign_in(settings, identity_provider, domain=COUNCIL_DOMAIN)
    return identity_provider


def sign_in_with_council_account(page, live_server, account: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name=BUTTON, exact=True).click()
    page.get_by_label("Council account").fill(account)
    page.get_by_role("button", name="Continue").click()


def test_an_officer_signs_in_through_the_identity_provider_under_the_sites_policy(
    live_server, watched_page_under_csp, council_sign_in
):
    officer = OfficerFactory(email=f"browser.officer@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    page = watched_page_under_csp.page

    sign_in_with_council_account(page, live_server, officer.email)

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome"))
    assert watched_page_under_csp.watch.problems == [], watched_page_under_csp.watch.report()


def test_the_sign_in_page_and_each_refusal_are_accessible(
    live_server, watched_page, council_sign_in, settings
):
    council_sign_in.add_account("someone@elsewhere.example.org")
    page = watched_page.page
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("button", name=BUTTON, exact=True)).to_be_visible()
    expect(page.get_by_label("Email address")).to_be_visible()
    assert_loaded_cleanly_and_accessible(watched_page)

    sign_in_with_council_account(page, live_server, "someone@elsewhere.example.org")

    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.locator("main")).to_contain_text("Only council email addresses")
    # The refusal is a 403 (a response and its console line): the only problems the watch should see.
    problems = watched_page.watch.problems
    assert problems
    assert all("403" in problem and "/sign-in/council-account/callback/" in problem for problem in problems)
    violations = watched_page.blocking_accessibility_violations()
    assert violations == [], describe(violations)

    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name=BUTTON, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.locator("main")).to_contain_text("cannot be reached")
    violations = watched_page.blocking_accessibility_violations()
    assert violations == [], describe(violations)
