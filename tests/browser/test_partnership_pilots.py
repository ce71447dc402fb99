"""Partnership pilots in a real Chromium: an officer agrees a pilot once its procurement is recorded, and a
provider sees it on the open register."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from partnerships.models import ProcurementRecord, Stage, StageChange
from partnerships.tests.factories import (
    PartnershipPilotFactory,
    ProviderPartnerFactory,
    StrategicReasonFactory,
)
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pilot():
    pilot = PartnershipPilotFactory(
        title="Home from hospital",
        slug="home-from-hospital",
        stage=Stage.SCOPING,
        lead_officer=OfficerFactory(full_name="Lee Lead"),
        commercial_details="Fixed price of £42,000 for the year.",
    )
    ProviderPartnerFactory(pilot=pilot, provider=ProviderOrganisationFactory(name="Riverside Home Care Ltd"))
    StrategicReasonFactory(pilot=pilot, explanation="Joins home care up with the hospital discharge team.")
    return pilot


def _sign_in(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, email)


def test_officer_agrees_a_pilot_once_procurement_is_recorded_and_a_provider_sees_it_on_the_register(
    live_server, watched_page, pilot
):
    page = watched_page.page
    officer = CouncilUserFactory(email="olive@council.example.org", full_name="Olive Officer")
    _sign_in(page, live_server, officer.email)

    page.goto(f"{live_server.url}/partnerships/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership pilots")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name="Home from hospital").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home from hospital")
    expect(page.locator("main")).to_contain_text("Scoping")
    assert_loaded_cleanly_and_accessible(watched_page)

    # Agreeing before the procurement is recorded is refused, with the reason in the error summary.
    page.get_by_role("link", name="Change stage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the pilot’s stage")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Move to agreed").check()
    page.get_by_role("button", name="Change stage").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Record the procurement route and decision before the pilot can be agreed"
    )
    assert_loaded_cleanly_and_accessible(watched_page)
    assert not StageChange.objects.filter(pilot=pilot, to_stage=Stage.AGREED).exists()

    page.get_by_role("link", name="record the procurement route and decision", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the procurement")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Variation of an existing contract").check()
    page.get_by_label("Decision", exact=True).fill(
        "Varied the home care framework contract; every framework provider was told and may join."
    )
    decided = timezone.localdate() - dt.timedelta(days=2)
    date = page.get_by_role("group", name="Date of the decision")
    date.get_by_label("Day").fill(str(decided.day))
    date.get_by_label("Month").fill(str(decided.month))
    date.get_by_label("Year").fill(str(decided.year))
    page.get_by_label("Decision maker").fill("Commissioning board")
    page.get_by_role("button", name="Save procurement record").click()
    assert ProcurementRecord.objects.get(pilot=pilot).decided_on == decided

    page.goto(f"{live_server.url}/partnerships/home-from-hospital/stage/")
    page.get_by_label("Move to agreed").check()
    page.get_by_role("button", name="Change stage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home from hospital")
    expect(page.locator("main")).to_contain_text("Agreed")
    change = StageChange.objects.get(pilot=pilot, to_stage=Stage.AGREED)
    assert (change.from_stage, change.changed_by) == (Stage.SCOPING, officer)

    # Any provider, partner or not, sees the pilot and why it was chosen; never its commercial details.
    provider_user = ProviderUserFactory(email="pat@elsewhere.example.org")
    _sign_in(page, live_server, provider_user.email)
    page.goto(f"{live_server.url}/partnerships/")
    row = page.get_by_role("row", name="Home from hospital")
    expect(row).to_contain_text("Agreed")
    expect(row).to_contain_text("Riverside Home Care Ltd")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name="Home from hospital").click()
    expect(page.locator("main")).to_contain_text("Joins home care up with the hospital discharge team.")
    expect(page.locator("main")).not_to_contain_text("£42,000")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name="How the pilot's stage has changed").click()
    expect(page.locator("main")).to_contain_text("Agreed")
    assert_loaded_cleanly_and_accessible(watched_page)


def test_a_partner_rates_the_relationship_and_the_lessons_and_evaluation_pages_are_accessible(
    live_server, watched_page, pilot
):
    from partnerships.tests.factories import (
        EvaluationFactory,
        LessonFactory,
        ObjectiveOutcomeFactory,
        RelationshipCheckFactory,
    )

    page = watched_page.page
    evaluation = EvaluationFactory(pilot=pilot)
    ObjectiveOutcomeFactory(evaluation=evaluation)
    LessonFactory(evaluation=evaluation, title="Agree shared measures before starting")
    pilot.stage = Stage.IN_DELIVERY
    pilot.save()
    today = timezone.localdate()
    RelationshipCheckFactory(pilot=pilot, opened_on=today, closes_on=today + dt.timedelta(days=14))
    partner_user = ProviderUserFactory(
        email="rita@riverside.example.org", provider_organisation=pilot.partners.get().provider
    )
    _sign_in(page, live_server, partner_user.email)

    page.goto(f"{live_server.url}/partnerships/lessons/")
    expect(page.locator("main")).to_contain_text("Agree shared measures before starting")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.goto(f"{live_server.url}/partnerships/home-from-hospital/evaluations/{evaluation.pk}/")
    expect(page.locator("main")).to_contain_text("Partly met")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.goto(f"{live_server.url}/partnerships/home-from-hospital/relationship/")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name="Answer the relationship check for Home from hospital").click()
    assert_loaded_cleanly_and_accessible(watched_page)
    for theme in ("Information sharing", "Trust", "Integrated working", "Managing conflict"):
        page.get_by_role("group", name=theme).get_by_label("4 – Very good").check()
    for good in page.locator("input[type=radio][value='3']").all():
        if not page.locator(f"input[name='{good.get_attribute('name')}']:checked").count():
            good.check()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert_loaded_cleanly_and_accessible(watched_page)
    (response,) = pilot.relationship_checks.get().responses.all()
    assert response.partner.provider == partner_user.provider_organisation
    assert sorted(response.ratings.values_list("rating", flat=True)) == [3, 3, 3, 3, 4, 4, 4, 4]
