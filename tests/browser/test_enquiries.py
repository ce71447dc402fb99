"""Enquiries in a real Chromium: a provider asks about a late payment, the officer answers, the provider reads it.

Every enquiry page is checked with axe-core on the way: the provider's list, the raise form (with its errors),
the officers' queue, the enquiry, each step's page, and the directors' figures.
"""

import pytest
from playwright.sync_api import Page, expect

from directory.tests.factories import ProviderOrganisationFactory
from engagement.models import Enquiry, EnquiryEvent
from engagement.tests.factories_enquiries import late_payments_desk
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


@pytest.fixture
def desk():
    return late_payments_desk(ProviderOrganisationFactory(name="Meadow Home Care Ltd"))


def _sign_in(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, email)


def _open_step(watched, enquiry: Enquiry, name: str, heading: str) -> None:
    """Open one of the enquiry's steps, check the page, and come back to the enquiry."""
    page = watched.page
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_loaded_cleanly_and_accessible(watched)
    page.get_by_role("link", name=f"Back to {enquiry.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(enquiry.subject)


def test_provider_raises_a_late_payment_enquiry_the_officer_replies_and_the_provider_reads_it(
    live_server, watched_page, desk
):
    page = watched_page.page

    # The provider raises the enquiry, first forgetting the message.
    _sign_in(page, live_server, desk["raiser"].email)
    page.goto(f"{live_server.url}/engagement/enquiries/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your enquiries")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("button", name="Raise an enquiry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise an enquiry")
    expect(page.get_by_label("Mid")).to_be_checked()
    expect(page.get_by_label("Home care")).to_be_checked()
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Payments and invoices").check()
    page.get_by_label("Subject").fill("Invoice 4471 not paid")
    page.get_by_role("button", name="Send enquiry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your message")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Your message").fill("Our invoice for March is six weeks late.")
    page.get_by_label("Attach files (optional)").set_input_files(
        files=[{"name": "invoice-4471.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Send enquiry").click()

    # The provider sees the reference, who has it and the promised date at once.
    enquiry = Enquiry.objects.get()
    page.wait_for_url(f"{live_server.url}/engagement/enquiries/{enquiry.pk}/")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(f"Enquiry {enquiry.reference} sent. Pat Payments has it")
    expect(page.locator("#promised-date")).to_contain_text(f"{enquiry.due_on:%B %Y}")
    expect(page.locator("#timeline")).to_contain_text("invoice-4471.pdf")
    assert_loaded_cleanly_and_accessible(watched_page)

    # The responsible officer finds it in their queue.
    _sign_in(page, live_server, desk["officer_user"].email)
    page.goto(f"{live_server.url}/engagement/enquiries/queue/")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name=enquiry.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoice 4471 not paid")
    assert_loaded_cleanly_and_accessible(watched_page)
    for link, heading in [
        ("Pass on", "Pass on the enquiry"),
        ("Ask for more information", "Ask the provider for more information"),
        ("Resolve", "Resolve the enquiry"),
    ]:
        _open_step(watched_page, enquiry, link, heading)

    # An internal note, then the reply.
    page.get_by_role("link", name="Add an internal note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an internal note")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Internal note").fill("Finance say the payment run failed on 3 March.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline")).to_contain_text("Not shown to the provider")
    page.get_by_role("button", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_label("Your reply").fill("Invoice 4471 will be paid on Friday's payment run.")
    page.get_by_role("button", name="Send reply").click()
    expect(banner).to_contain_text("Your reply was sent to Meadow Home Care Ltd")
    assert_loaded_cleanly_and_accessible(watched_page)

    # The provider reads the reply, and nothing of the internal note.
    _sign_in(page, live_server, desk["raiser"].email)
    page.goto(f"{live_server.url}/engagement/enquiries/")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name=enquiry.reference).click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Invoice 4471 will be paid on Friday's payment run.")
    expect(timeline).not_to_contain_text("payment run failed")
    expect(timeline).not_to_contain_text("Internal note")
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("button", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply")
    assert_loaded_cleanly_and_accessible(watched_page)
    assert EnquiryEvent.objects.filter(enquiry=enquiry, kind=EnquiryEvent.Kind.REPLY).count() == 1


def test_an_enquiry_nobody_answers_is_refused_accessibly_with_a_way_to_the_finder(
    live_server, watched_page, desk
):
    page = watched_page.page
    _sign_in(page, live_server, desk["raiser"].email)
    page.goto(f"{live_server.url}/engagement/enquiries/new/")
    page.get_by_label("Payments and invoices").check()
    page.get_by_label("West").check()
    page.get_by_label("Subject").fill("Invoice 4471 not paid")
    page.get_by_label("Your message").fill("Our invoice for March is six weeks late.")
    page.get_by_role("button", name="Send enquiry").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Nobody at the council answers Payments and invoices for home care in West yet"
    )
    assert_loaded_cleanly_and_accessible(watched_page)
    page.get_by_role("link", name="Find who to contact about this instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who do I contact about…?")
    expect(page.locator("#answer")).to_contain_text("There is no named contact for this yet")
    assert not Enquiry.objects.exists()


def test_the_directors_figures_page_is_accessible(watched_page, live_server):
    from engagement.tests.factories_enquiries import EnquiryFactory
    from portal.tests.factories import DirectorFactory

    page = watched_page.page
    EnquiryFactory.create_batch(3)  # so that the chart and tables have bars and rows
    director = DirectorFactory(email="director@council.example.org")
    _sign_in(page, live_server, director.email)
    page.goto(f"{live_server.url}/engagement/enquiries/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquiry figures")
    assert_loaded_cleanly_and_accessible(watched_page)
