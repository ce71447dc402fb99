"""The second sign-in step in a real Chromium: setting up an app from the page's own key, saving the recovery codes,
a wrong code then the right one, a recovery code, and the administrators' reset page; every page passes axe-core."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from portal.second_step import services
from portal.tests.factories import PASSWORD, OfficerFactory, SuperuserFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    open_sign_in,
    sign_in,
)
from tests.second_step import authenticator_for, code_at, next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page: Page, live_server, email: str) -> None:
    open_sign_in(page, live_server)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def code_for_typed_key(key: str) -> str:
    device = TOTPDevice(key=b32decode(key + "=" * (-len(key) % 8)).hex())
    return code_at(device)[1]


def test_an_officer_sets_up_an_app_keeps_the_recovery_codes_and_signs_in_with_a_code(
    live_server, watched_page
):
    page = watched_page.page
    officer = OfficerFactory(email="new.starter@council.example.org")

    password_step(page, live_server, officer.email)

    page.wait_for_url(re.compile(r"/sign-in/second-step/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert page.evaluate("(image) => image.naturalWidth", qr.element_handle()) > 100, "the QR code loaded"
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator(".app-setup-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(code_for_typed_key(key))
    page.get_by_role("button", name="Set up").click()

    page.wait_for_url(re.compile(r"/sign-in/second-step/recovery-codes/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    recovery_code = page.locator(".app-recovery-codes code").first.inner_text()
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_url(f"{live_server.url}/")

    # Next time: a wrong code, then the right one.
    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server, officer.email)
    page.wait_for_url(re.compile(r"/sign-in/second-step/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_loaded_cleanly_and_accessible(watched_page)
    device = TOTPDevice.objects.get(user=officer)
    right = next_code(device)
    page.get_by_label("Code from your authenticator app").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not right")
    expect(summary).to_be_focused()
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Code from your authenticator app").fill(next_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")

    # And once with a recovery code, as after a lost phone.
    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server, officer.email)
    page.get_by_role("link", name="Use one of your recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a recovery code")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Recovery code").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 left")


def test_the_account_page_and_the_administrators_reset_are_accessible(live_server, watched_page):
    page = watched_page.page
    administrator = SuperuserFactory(email="admin@council.example.org")
    officer = OfficerFactory(email="lost.phone@council.example.org")
    authenticator_for(officer)
    authenticator_for(administrator)
    services.recovery_codes_renew(user=administrator)
    sign_in(page, live_server, administrator.email)

    page.locator("#navigation").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".govuk-summary-list")).to_contain_text("10 of 10")
    assert_loaded_cleanly_and_accessible(watched_page)

    page.get_by_role("link", name="Reset someone's second step").click()
    page.get_by_role("button", name="Reset second step").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Email address of the person").fill(officer.email)
    page.get_by_label("Why you are resetting it").fill("Lost phone; called back on the number we hold")
    page.get_by_label("I have checked that the request comes from this person").check()
    page.get_by_role("button", name="Reset second step").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"The second step of {officer.email} is reset"
    )
    expect(page.locator("main table")).to_contain_text("Lost phone")
    assert_loaded_cleanly_and_accessible(watched_page)
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_too_many_wrong_codes_show_an_accessible_pause_page(live_server, watched_page, settings):
    settings.AXES_FAILURE_LIMIT = 2
    page = watched_page.page
    officer = OfficerFactory(email="unlucky@council.example.org")
    device = authenticator_for(officer)
    wrong = f"{(int(next_code(device)) + 3) % 1_000_000:06d}"
    password_step(page, live_server, officer.email)
    for _ in range(2):
        page.get_by_label("Code from your authenticator app").fill(wrong)
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    page.get_by_label("Code from your authenticator app").fill(next_code(device))
    with page.expect_response(re.compile(r"/sign-in/second-step/")) as answer:
        page.get_by_role("button", name="Continue").click()

    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many wrong codes")
    violations = watched_page.blocking_accessibility_violations()
    assert violations == []
