"""A circulation's progress page in a real Chromium: accessible, and refreshed by its script under the CSP."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from directory.models import CirculationDelivery, CirculationRun
from directory.tests.factories import ProviderOrganisationFactory
from directory.tests.factories_circulation import run_with_deliveries
from portal.tests.factories import OfficerFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = CirculationDelivery.Status


@pytest.fixture
def officer():
    return OfficerFactory(email="olive.officer@council.example.org", full_name="Olive Officer")


@pytest.fixture
def run_part_sent(officer):
    """Eight deliveries: four sent, one failed, three waiting; one provider had nobody to send to."""
    nobody = ProviderOrganisationFactory(name="Nobody Nominated Care Ltd")
    return run_with_deliveries(
        sent=4,
        failed=1,
        pending=3,
        started_by=officer,
        version__version_date=date(2026, 1, 2),
        providers_without_recipients=[
            {"id": nobody.pk, "name": nobody.name, "reason": "Nobody is nominated to receive it"}
        ],
    )


def open_progress(page: Page, live_server, run: CirculationRun) -> None:
    page.goto(f"{live_server.url}/directory/circulations/{run.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact list of 2 January 2026")


def expect_bar(page: Page, *, percent: int, sent: str, failed_x: str, failed: str) -> None:
    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_have_attribute("aria-valuenow", str(percent))
    expect(page.locator("[data-bar=sent]")).to_have_attribute("width", sent)
    expect(page.locator("[data-bar=failed]")).to_have_attribute("x", failed_x)
    expect(page.locator("[data-bar=failed]")).to_have_attribute("width", failed)


def test_the_progress_page_is_accessible_and_its_bar_matches_the_counts(
    live_server, watched_page, officer, run_part_sent
):
    page = watched_page.page
    sign_in(page, live_server, officer.email)

    open_progress(page, live_server, run_part_sent)

    expect_bar(page, percent=62, sent="50.00%", failed_x="50.00%", failed="12.50%")
    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_have_attribute("aria-valuetext", "62% done: 4 sent, 1 failed and 3 waiting, of 8")
    expect(page.locator("[data-progress=sent]")).to_have_text("4")
    expect(page.locator("[data-progress=failed]")).to_have_text("1")
    expect(page.locator("[data-progress=pending]")).to_have_text("3")
    expect(page.locator("[data-progress=total]")).to_have_text("8")
    # The bar is drawn: the sent part is half the bar's width.
    bar_box = bar.bounding_box()
    sent_box = page.locator("[data-bar=sent]").bounding_box()
    assert bar_box and sent_box
    assert sent_box["width"] == pytest.approx((bar_box["width"] - 4) / 2, abs=2)
    failures = page.get_by_role("table", name="1 failed delivery")
    expect(failures).to_contain_text("SMTPRecipientsRefused")
    expect(page.get_by_role("button", name="Re-send to failures")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nobody Nominated Care Ltd")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_role("link", name="All circulations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact list circulations")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_role("button", name="Start a circulation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a circulation")
    expect(page.locator("main")).to_contain_text("is still being sent")
    assert_loaded_cleanly_and_accessible(watched_page)


def test_the_progress_page_refreshes_itself_under_the_content_security_policy(
    live_server, watched_page_under_csp, officer, run_part_sent
):
    page = watched_page_under_csp.page
    sign_in(page, live_server, officer.email)
    open_progress(page, live_server, run_part_sent)

    # The script took over from the "Refresh" link: it ran under the page's own CSP.
    expect(page.locator("[data-progress=refresh-note]")).to_have_text(re.compile("update every few seconds"))

    sent_now = list(run_part_sent.deliveries.filter(status=Status.PENDING).values_list("pk", flat=True)[:2])
    CirculationDelivery.objects.filter(pk__in=sent_now).update(status=Status.SENT)
    expect(page.locator("[data-progress=sent]")).to_have_text("6")
    expect(page.locator("[data-progress=pending]")).to_have_text("1")
    expect_bar(page, percent=88, sent="75.00%", failed_x="75.00%", failed="12.50%")

    run_part_sent.deliveries.filter(status=Status.PENDING).update(status=Status.SENT)
    CirculationRun.objects.filter(pk=run_part_sent.pk).update(
        status=CirculationRun.Status.COMPLETE_WITH_FAILURES
    )
    # The run has finished: the page reloads itself to show the final status, and stops asking.
    expect(page.locator("h1 .govuk-tag")).to_have_text("Complete with failures")
    expect(page.locator("[data-progress=refresh-note]")).to_have_count(0)
    expect_bar(page, percent=100, sent="87.50%", failed_x="87.50%", failed="12.50%")
    assert watched_page_under_csp.watch.problems == [], (
        f"{page.url} broke under its own CSP:\n{watched_page_under_csp.watch.report()}"
    )
