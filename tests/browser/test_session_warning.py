"""The warning before a session ends, in a real Chromium under the site's Content-Security-Policy.

Nobody waits: the browser's clock (Playwright's) and the live server's (django.utils.timezone.now, patched in this
process, where the live server runs) are moved forward together, by the settings' own idle timeout and warning.
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import AXE_SCRIPT, STEP_TIMEOUT_MS, PageWatch
from tests.browser.page_types import AxeChecker
from tests.browser.test_sign_in_accessibility import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_MINUTES = 3
WARNING_MINUTES = 1
DIALOG_NAME = "You’re about to be signed out"


class Clocks:
    """The server's clock and the page's, moved forward together."""

    def __init__(self, monkeypatch):
        self.offset = dt.timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)
        self.page = None

    def advance(self, seconds: float) -> None:
        self.offset += dt.timedelta(seconds=seconds)
        self.page.clock.run_for(int(seconds * 1000))


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = IDLE_MINUTES
    settings.SESSION_WARNING_MINUTES = WARNING_MINUTES


@pytest.fixture
def signed_in_page(browser, live_server, users, short_sessions, monkeypatch):
    """An officer's page under the CSP, with axe-core given to it by Playwright (which the CSP does not stop)."""
    clocks = Clocks(monkeypatch)
    context = browser.new_context(bypass_csp=False)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.add_init_script(path=str(AXE_SCRIPT))
    client = Client()
    client.force_login(users["officer"])
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    page.clock.install()
    clocks.page = page
    yield page, clocks, watch
    context.close()


def _dialog(page):
    return page.get_by_role("dialog", name=DIALOG_NAME)


def test_the_warning_takes_the_focus_and_staying_signed_in_keeps_the_session(signed_in_page, live_server):
    page, clocks, watch = signed_in_page
    page.goto(f"{live_server.url}/directory/whos-who/")
    expect(_dialog(page)).to_be_hidden()

    clocks.advance((IDLE_MINUTES - WARNING_MINUTES) * 60 + 1)

    dialog = _dialog(page)
    expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text(re.compile(r"we will sign you out in \d+ (minute|second)"))
    violations = AxeChecker().blocking_violations(page)
    assert violations == [], describe(violations)
    # Tab stays in the dialog: the page behind it is inert.
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_focused()

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    # Past the end the session had before "Stay signed in", it is still signed in.
    clocks.advance(WARNING_MINUTES * 60)
    expect(_dialog(page)).to_be_hidden()
    response = page.goto(f"{live_server.url}/directory/whos-who/")
    assert response.status == 200 and "/sign-in/" not in page.url
    assert watch.problems == [], watch.report()


def test_waiting_it_out_signs_out_and_the_sign_in_page_says_why(signed_in_page, live_server):
    page, clocks, watch = signed_in_page
    page.goto(f"{live_server.url}/directory/whos-who/")
    clocks.advance((IDLE_MINUTES - WARNING_MINUTES) * 60 + 1)
    expect(_dialog(page)).to_be_visible()

    clocks.advance(WARNING_MINUTES * 60 + 2)

    expect(page).to_have_url(re.compile(r"/sign-in/\?next=%2Fdirectory%2Fwhos-who%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You were signed out because you had not used the portal for {IDLE_MINUTES} minutes."
    )
    assert watch.problems == [], watch.report()


def test_escape_means_stay_signed_in(signed_in_page, live_server):
    page, clocks, _ = signed_in_page
    page.goto(f"{live_server.url}/directory/whos-who/")
    clocks.advance((IDLE_MINUTES - WARNING_MINUTES) * 60 + 1)
    expect(_dialog(page)).to_be_visible()

    with page.expect_response(re.compile(r"/session/extend/$")) as extended:
        page.keyboard.press("Escape")

    assert extended.value.json()["seconds_left"] == IDLE_MINUTES * 60
    expect(_dialog(page)).to_be_hidden()


def test_the_accessibility_statement_passes_axe(live_server, watched_page):
    page = watched_page.page
    page.goto(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Accessibility statement"))

    violations = watched_page.blocking_accessibility_violations()

    assert violations == [], describe(violations)
    assert watched_page.watch.problems == [], watched_page.watch.report()


def test_near_the_absolute_lifetime_the_warning_offers_no_extension(signed_in_page, live_server, settings):
    page, clocks, watch = signed_in_page
    settings.SESSION_ABSOLUTE_HOURS = 2.5 / 60  # ends before the idle timeout would
    page.goto(f"{live_server.url}/directory/whos-who/")
    clocks.advance(1.5 * 60 + 1)

    dialog = _dialog(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("cannot stay signed in")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()

    clocks.advance(60 + 2)

    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You were signed out because you signed in more than"
    )
    assert watch.problems == [], watch.report()
