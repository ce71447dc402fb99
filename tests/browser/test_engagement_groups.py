"""Engagement groups in a real Chromium: the engagement manager adds a new version of a group's terms."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.tests.factories import OfficerFactory
from engagement.models import TermsOfReference
from engagement.tests.factories import EngagementGroupFactory, TermsOfReferenceFactory
from engagement.tests.factories_groups import MaturityAssessmentFactory
from portal import roles
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager():
    return CouncilUserFactory(
        email="erin@council.example.org",
        roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER],
        full_name="Erin Engage",
    )


@pytest.fixture
def forum():
    """A forum whose terms are overdue for review, assessed twice."""
    today = timezone.localdate()
    group = EngagementGroupFactory(
        name="Mid Provider Forum", slug="mid-provider-forum", chair=OfficerFactory(full_name="Chris Chair")
    )
    TermsOfReferenceFactory(
        group=group,
        version=1,
        purpose="To share news and raise issues in Mid.",
        approved_on=today - dt.timedelta(days=400),
        review_on=today - dt.timedelta(days=35),
    )
    MaturityAssessmentFactory(group=group, assessed_on=today - dt.timedelta(days=365))
    MaturityAssessmentFactory(group=group, clear_purpose=3, provider_voice=3)
    EngagementGroupFactory(name="Care Sector Group", slug="care-sector-group", kind="sector")
    return group


def _fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_engagement_manager_adds_a_new_version_of_a_groups_terms(live_server, watched_page, manager, forum):
    page = watched_page.page
    sign_in(page, live_server, manager.email)

    page.goto(f"{live_server.url}/engagement/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement groups")
    expect(page.locator("main table")).to_contain_text("Overdue")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_role("link", name="Mid Provider Forum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mid Provider Forum")
    expect(page.locator("main")).to_contain_text("Overdue for review")
    expect(page.locator("main")).to_contain_text("Chris Chair")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_role("button", name="Add a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms of reference, version 2")
    # The text starts as a copy of version 1.
    expect(page.get_by_label("Purpose")).to_have_value("To share news and raise issues in Mid.")
    assert_loaded_cleanly_and_accessible(watched_page)

    # A review date before the approval date is refused with an error summary.
    today = timezone.localdate()
    _fill_date(page, "Date approved", today)
    _fill_date(page, "Review by", today - dt.timedelta(days=1))
    page.get_by_role("button", name="Save new version").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The review date must be after the approval date")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_label("Purpose").fill("To share news, raise issues and plan together in Mid.")
    _fill_date(page, "Review by", today + dt.timedelta(days=365))
    page.get_by_role("button", name="Save new version").click()
    page.wait_for_url(f"{live_server.url}/engagement/groups/mid-provider-forum/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Version 2 of the terms of reference saved"
    )
    expect(page.locator("main")).to_contain_text("plan together in Mid")
    expect(page.locator("main")).not_to_contain_text("Overdue for review")
    assert_loaded_cleanly_and_accessible(watched_page)

    assert list(TermsOfReference.objects.filter(group=forum).values_list("version", flat=True)) == [2, 1]
