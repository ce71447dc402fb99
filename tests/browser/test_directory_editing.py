"""A directory editor corrects an officer's entry in a real Chromium: errors read clearly, success is confirmed."""

import re

import pytest
from playwright.sync_api import expect

from directory.tests import factories
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_entry(users):
    team = factories.TeamFactory(name="Safeguarding Adults Mid")
    factories.OfficerFactory(full_name="Dana Deputy", team=team, job_title="Safeguarding officer")
    factories.OfficerFactory(
        full_name="Colin Colleague", email="colin.colleague@council.example.org", team=team
    )
    return factories.OfficerFactory(
        full_name="Morgan Matrix",
        job_title="Safeguarding lead",
        email="morgan.matrix@council.example.org",
        team=team,
        owner=users["editor"],
    )


def sign_in_as_editor(page, live_server, users) -> None:
    sign_in(page, live_server, users["editor"].email)


def test_editor_corrects_an_officer_after_an_error_summary(live_server, watched_page, users, officer_entry):
    page = watched_page.page
    sign_in_as_editor(page, live_server, users)

    page.goto(f"{live_server.url}/directory/manage/officers/{officer_entry.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Morgan Matrix")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_label("Deputy").select_option(label="Morgan Matrix, Safeguarding lead")
    page.get_by_label("Email address").fill("Colin.Colleague@council.example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Save officer").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("An officer cannot be their own deputy.")
    expect(summary).to_contain_text("An officer with this email address already exists")
    expect(page).to_have_title(re.compile(r"^Error: Edit Morgan Matrix"))
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_label("Deputy").select_option(label="Dana Deputy, Safeguarding officer")
    page.get_by_label("Email address").fill("morgan.matrix@council.example.org")
    page.get_by_label("Job title").fill("Head of safeguarding")
    with page.expect_navigation():
        page.get_by_role("button", name="Save officer").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Changes to Morgan Matrix saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Morgan Matrix")
    expect(page.locator("#history ~ table")).to_contain_text("Head of safeguarding")
    officer_entry.refresh_from_db()
    assert (officer_entry.job_title, officer_entry.deputy.full_name) == (
        "Head of safeguarding",
        "Dana Deputy",
    )
    assert_loaded_cleanly_and_accessible(watched_page)


def test_needs_checking_page_is_accessible_and_an_entry_can_be_marked_checked(
    live_server, watched_page, users, officer_entry
):
    page = watched_page.page
    sign_in_as_editor(page, live_server, users)

    page.goto(f"{live_server.url}/directory/manage/needs-checking/?owner=mine")
    expect(page.get_by_role("heading", level=1)).to_have_text("Entries that need checking")
    expect(page.get_by_role("table", name="1 entry to check")).to_contain_text("Morgan Matrix")
    assert_loaded_cleanly_and_accessible(watched_page)

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Mark as checked\s*for Morgan Matrix$")).click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Morgan Matrix marked as checked today"
    )
    expect(page.locator("main")).to_contain_text("Nothing needs checking for this choice.")
    assert_loaded_cleanly_and_accessible(watched_page)
