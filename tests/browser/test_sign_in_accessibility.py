"""Signing in, in a real Chromium: every role reaches its home page, and each page passes axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from portal.models import User
from portal.second_step import services as second_step
from portal.tests.factories import PASSWORD
from tests.second_step import authenticator_for, next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{violation['impact']} {violation['id']}: {violation['help']} ({violation['helpUrl']})\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"])
        for violation in violations
    )


def assert_loaded_cleanly_and_accessible(watched) -> None:
    assert watched.watch.problems == [], f"{watched.page.url} did not load cleanly:\n{watched.watch.report()}"
    violations = watched.blocking_accessibility_violations()
    assert violations == [], f"axe-core found on {watched.page.url}:\n{describe(violations)}"


def open_sign_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def sign_in(page: Page, live_server, email: str, *, lands_on: str = "/") -> None:
    """Sign in through the pages, as a person would: the password, then, where the account takes the second step, the
    code its authenticator app shows (the account is given one first)."""
    user = User.objects.get(email__iexact=email)
    device = authenticator_for(user) if second_step.required_for(user) else None
    open_sign_in(page, live_server)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/sign-in/second-step/"))
        page.get_by_label("Code from your authenticator app").fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}{lands_on}")


def test_sign_in_page_is_accessible_and_loads_every_asset(live_server, watched_page):
    open_sign_in(watched_page.page, live_server)

    assert_loaded_cleanly_and_accessible(watched_page)


def test_empty_sign_in_shows_an_accessible_error_summary(live_server, watched_page):
    page = watched_page.page
    open_sign_in(page, live_server)

    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_loaded_cleanly_and_accessible(watched_page)


@pytest.mark.parametrize(
    ("role", "heading", "caption"),
    [
        pytest.param("officer", re.compile(r"^Welcome"), None, id="officer"),
        pytest.param("director", "Relationship overview", None, id="director"),
        pytest.param("provider_a", re.compile(r"^Welcome"), "Provider A Care Ltd", id="provider"),
        pytest.param("superuser", re.compile(r"^Welcome"), None, id="superuser"),
    ],
)
def test_each_role_signs_in_to_an_accessible_home_page(
    live_server, watched_page, users, role, heading, caption
):
    page = watched_page.page

    sign_in(page, live_server, users[role].email)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if caption:
        expect(page.locator("main .govuk-caption-l")).to_have_text(caption)
    assert_loaded_cleanly_and_accessible(watched_page)


def test_sign_in_page_scripts_run_under_the_content_security_policy(live_server, watched_page_under_csp):
    page = watched_page_under_csp.page
    open_sign_in(page, live_server)

    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    body_classes = page.evaluate("() => Array.from(document.body.classList)")
    assert "govuk-frontend-supported" in body_classes
    # GOV.UK Frontend marks each component it has started; that only happens if its module script ran.
    expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")
    expect(page.locator(".govuk-error-summary")).to_have_attribute("data-govuk-error-summary-init", "")
    assert watched_page_under_csp.watch.problems == [], (
        f"{page.url} broke under its own CSP:\n{watched_page_under_csp.watch.report()}"
    )
