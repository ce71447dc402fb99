"""Stored hostile values in what the portal sends and prints: emails keep their headers, the PDF shows text."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from directory.contact_list import contact_list_pdf
from directory.tests import factories
from engagement.models import Enquiry
from engagement.services.enquiry_reminders import enquiry_reminders_send
from engagement.tests.factories_enquiries import late_payments_desk
from portal.models import OutboxMessage
from tests.hostile.conftest import INJECTED, MARKUP, email_problems

pytestmark = pytest.mark.django_db

SUBJECT = f"Invoice 4471\r\nBcc: {INJECTED}\nX-Injected: yes {MARKUP}"
WEDNESDAY = dt.date(2026, 11, 25)


def test_a_subject_with_line_breaks_and_markup_cannot_add_headers_to_any_email(client, provider_a):
    desk = late_payments_desk(provider_a)
    client.force_login(desk["raiser"])
    response = client.post(
        reverse("engagement:enquiry-raise"),
        {
            "topic": desk["topic"].slug,
            "area": desk["area"].slug,
            "service_type": desk["service_type"].slug,
            "subject": SUBJECT,
            "message": MARKUP,
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert "\n" in enquiry.subject  # kept as typed: every email must cope with it
    # Due the next working day, so the morning job warns the officer about it.
    Enquiry.objects.filter(pk=enquiry.pk).update(due_on=WEDNESDAY + dt.timedelta(days=1))

    assert enquiry_reminders_send(today=WEDNESDAY)["warned"] == 1

    messages = OutboxMessage.objects.all()
    assert len(messages) >= 2  # the acknowledgement and the warning
    assert email_problems(messages) == []
    assert all(INJECTED not in message.recipients for message in messages)


def test_the_email_check_finds_an_injected_header():
    """`email_problems` is what the fuzzing of every form also runs on every email it caused."""
    raw = f"Subject: Hi\r\nBcc: {INJECTED}\r\nContent-Type: text/html\r\n\r\n{MARKUP}".encode()

    found = email_problems([OutboxMessage(subject="Hi", recipients=[INJECTED], message=raw)])

    assert found == ["'Hi': a header was injected", "'Hi': markup in its HTML part"]


def test_a_stored_name_with_markup_is_printed_as_text_in_the_contact_list_pdf():
    team = factories.TeamFactory(name="<b>Evil</b> & Co Team", mailbox="evil@council.example.org")
    officer = factories.OfficerFactory(
        full_name="<b>Evil</b> & Co", job_title='<img src="https://example.org/x.png">Lead', team=team
    )
    factories.ResponsibilityFactory(officer=officer, team=team, areas=[factories.area("mid")])

    pdf, _ = contact_list_pdf(as_of=dt.date(2026, 10, 1), changes_since=None)

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "<b>Evil</b> & Co" in flat
    assert "<b>Evil</b> & Co Team" in flat
    # A long cell wraps where the layout puts it: compare without any spaces.
    assert '<imgsrc="https://example.org/x.png">Lead' in "".join(text.split())
    assert "&amp;" not in flat and "&lt;" not in flat
