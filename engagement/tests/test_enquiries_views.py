"""Enquiry pages: raising, the provider's list, the enquiry with its timeline, and each step an officer takes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from engagement.models import Enquiry, EnquiryEvent
from engagement.services.enquiries import enquiry_note, enquiry_raise, enquiry_resolve
from engagement.tests.factories_enquiries import (
    EnquiryAttachmentFactory,
    EnquiryEventFactory,
    EnquiryFactory,
    late_payments_desk,
)
from portal.models import OutboxMessage
from portal.tests.factories import DirectorFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, the count and the page of enquiries with who has them.
ENQUIRY_LIST_MAX_QUERIES = 4
# Session, user, roles, permissions, the enquiry, its events with their authors, their attachments.
ENQUIRY_PAGE_MAX_QUERIES = 8

Kind = EnquiryEvent.Kind


@pytest.fixture
def desk(provider_a):
    return late_payments_desk(provider_a)


@pytest.fixture
def enquiry(desk) -> Enquiry:
    return enquiry_raise(
        provider=desk["provider"],
        raised_by=desk["raiser"],
        topic=desk["topic"],
        area=desk["area"],
        service_type=desk["service_type"],
        subject="Invoice 4471 not paid",
        message="Our invoice for March is six weeks late.",
    )


def _raise_form(**changes) -> dict:
    return {
        "topic": "payments-and-invoices",
        "area": "mid",
        "service_type": "home-care",
        "subject": "Invoice 4471 not paid",
        "message": "Our invoice for March is six weeks late.",
        **changes,
    }


def _text(response) -> str:
    return response.content.decode()


# Raising


def test_the_raise_page_starts_from_the_providers_own_area_and_service_type(client, desk):
    client.force_login(desk["raiser"])

    response = client.get(reverse("engagement:enquiry-raise"))

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["area"].value(), form["service_type"].value()) == ("mid", "home-care")


def test_a_provider_raises_an_enquiry_and_sees_its_reference_who_has_it_and_the_date(client, desk):
    client.force_login(desk["raiser"])

    response = client.post(reverse("engagement:enquiry-raise"), _raise_form(), follow=True)

    enquiry = Enquiry.objects.get()
    assert response.redirect_chain == [(reverse("engagement:enquiry-detail", args=[enquiry.pk]), 302)]
    page = _text(response)
    due = f"{enquiry.due_on:%A} {enquiry.due_on.day} {enquiry.due_on:%B %Y}"
    assert f"Enquiry {enquiry.reference} sent. Pat Payments has it and will answer by {due}" in page
    assert "The council will answer by" in page
    assert (enquiry.provider, enquiry.raised_by, enquiry.assigned_officer) == (
        desk["provider"],
        desk["raiser"],
        desk["officer"],
    )


def test_an_empty_message_is_shown_as_an_error(client, desk):
    client.force_login(desk["raiser"])

    response = client.post(reverse("engagement:enquiry-raise"), _raise_form(message="   "))

    assert response.status_code == 200
    assert response.context["form"].errors["message"] == ["Enter your message"]
    assert "govuk-error-summary" in _text(response)
    assert not Enquiry.objects.exists()


def test_a_forbidden_attachment_is_shown_as_an_error_against_the_files(client, desk):
    client.force_login(desk["raiser"])
    program = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")

    response = client.post(reverse("engagement:enquiry-raise"), _raise_form(attachments=[program]))

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "invoice.pdf is not a real PDF. Save it as a PDF and attach it again"
    ]
    assert not Enquiry.objects.exists()


def test_an_enquiry_nobody_answers_is_refused_with_a_link_to_the_finder(client, desk):
    client.force_login(desk["raiser"])

    response = client.post(reverse("engagement:enquiry-raise"), _raise_form(area="west"))

    assert response.status_code == 200
    page = _text(response)
    assert "Nobody at the council answers Payments and invoices for home care in West yet" in page
    finder = (
        reverse("directory:finder") + "?topic=payments-and-invoices&amp;area=west&amp;service_type=home-care"
    )
    assert f'href="{finder}"' in page
    assert not Enquiry.objects.exists()


def test_a_follow_up_starts_from_the_earlier_enquiry(client, desk, enquiry):
    client.force_login(desk["raiser"])

    response = client.get(reverse("engagement:enquiry-raise"), {"follow_up": enquiry.pk})

    form = response.context["form"]
    assert form["subject"].value() == f"Follow-up to {enquiry.reference}: Invoice 4471 not paid"
    assert form["topic"].value() == "payments-and-invoices"
    assert enquiry.reference in form["message"].value()


def test_another_providers_enquiry_cannot_be_followed_up(client, enquiry, provider_b):
    client.force_login(ProviderUserFactory(provider_organisation=provider_b))

    response = client.get(reverse("engagement:enquiry-raise"), {"follow_up": enquiry.pk})

    assert response.context["form"]["subject"].value() is None


# The provider's list


def test_a_provider_lists_only_its_own_organisations_enquiries(client, desk, enquiry, provider_b):
    EnquiryFactory(provider=provider_b, subject="Provider B's own question")
    client.force_login(desk["raiser"])

    response = client.get(reverse("engagement:enquiry-list"))

    assert [listed.pk for listed in response.context["enquiries"]] == [enquiry.pk]
    assert "Provider B's own question" not in _text(response)


def test_council_staff_are_sent_to_their_queue(client, desk):
    client.force_login(desk["officer_user"])

    response = client.get(reverse("engagement:enquiry-list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:enquiry-queue")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_reads_a_fixed_number_of_queries(client, provider_a, rows, django_assert_max_num_queries):
    user = ProviderUserFactory(provider_organisation=provider_a)
    EnquiryFactory.create_batch(rows // 2, provider=provider_a)
    EnquiryFactory.create_batch(rows - rows // 2, provider=provider_a, assigned_officer=None)
    client.force_login(user)

    with django_assert_max_num_queries(ENQUIRY_LIST_MAX_QUERIES):
        response = client.get(reverse("engagement:enquiry-list"))

    assert response.context["page_obj"].paginator.count == rows


# The enquiry's page


def test_the_provider_sees_the_timeline_without_internal_notes(client, desk, enquiry):
    enquiry_note(enquiry=enquiry, author=desk["officer_user"], text="SECRET: chased finance twice")
    client.force_login(desk["raiser"])

    response = client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk]))

    page = _text(response)
    assert "SECRET" not in page
    assert "Internal note" not in page
    assert [event.kind for event in response.context["timeline"]] == [Kind.RAISED, Kind.ASSIGNED]
    assert "Our invoice for March is six weeks late." in page
    assert "Pat Payments" in page


def test_council_staff_see_internal_notes_marked_as_not_shown_to_the_provider(client, desk, enquiry):
    enquiry_note(enquiry=enquiry, author=desk["officer_user"], text="SECRET: chased finance twice")
    client.force_login(desk["officer_user"])

    response = client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk]))

    page = _text(response)
    assert "SECRET: chased finance twice" in page
    assert "Not shown to the provider" in page


def test_another_provider_gets_a_404_for_the_enquiry_and_its_steps(client, enquiry, provider_b):
    client.force_login(ProviderUserFactory(provider_organisation=provider_b))

    assert client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk])).status_code == 404
    assert (
        client.post(reverse("engagement:enquiry-reply", args=[enquiry.pk]), {"message": "Hi"}).status_code
        == 404
    )
    assert not enquiry.events.filter(kind=Kind.PROVIDER_REPLY).exists()


def test_an_overdue_enquiry_is_marked_for_council_staff(client, desk, enquiry):
    Enquiry.objects.filter(pk=enquiry.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(desk["officer_user"])

    response = client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk]))

    assert "Overdue" in _text(response)


@pytest.mark.parametrize("events", [3, 30])
def test_the_enquiry_page_reads_a_fixed_number_of_queries(
    client, desk, events, django_assert_max_num_queries
):
    enquiry = EnquiryFactory(provider=desk["provider"], raised_by=desk["raiser"])
    for number in range(events):
        event = EnquiryEventFactory(enquiry=enquiry, author=desk["officer_user"], text=f"Reply {number}")
        EnquiryAttachmentFactory(enquiry=enquiry, event=event)
    client.force_login(desk["officer_user"])

    with django_assert_max_num_queries(ENQUIRY_PAGE_MAX_QUERIES):
        response = client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk]))

    assert len(response.context["timeline"]) == events


# Steps


def test_the_provider_replies_and_the_officer_is_emailed(client, desk, enquiry):
    client.force_login(desk["raiser"])
    OutboxMessage.objects.all().delete()

    response = client.post(reverse("engagement:enquiry-reply", args=[enquiry.pk]), {"message": "Any news?"})

    assert response.status_code == 302
    assert enquiry.events.get(kind=Kind.PROVIDER_REPLY).text == "Any news?"
    assert OutboxMessage.objects.get().recipients == ["pat.payments@council.example.org"]


def test_the_officer_replies_with_an_attachment(client, desk, enquiry):
    client.force_login(desk["officer_user"])
    remittance = SimpleUploadedFile("remittance.pdf", b"%PDF-1.4 remittance", content_type="application/pdf")

    response = client.post(
        reverse("engagement:enquiry-reply", args=[enquiry.pk]),
        {"message": "Paid today, remittance attached.", "attachments": [remittance]},
    )

    assert response.status_code == 302
    reply = enquiry.events.get(kind=Kind.REPLY)
    assert [attachment.original_name for attachment in reply.attachments.all()] == ["remittance.pdf"]


def test_a_reply_with_no_message_is_shown_as_an_error(client, desk, enquiry):
    client.force_login(desk["raiser"])

    response = client.post(reverse("engagement:enquiry-reply", args=[enquiry.pk]), {"message": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["message"] == ["Enter your message"]


def test_replying_to_a_resolved_enquiry_says_so_and_offers_a_new_one(client, desk, enquiry):
    enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Paid on 4 March.")
    client.force_login(desk["raiser"])
    follow_up = f"{reverse('engagement:enquiry-raise')}?follow_up={enquiry.pk}"

    page = client.get(reverse("engagement:enquiry-reply", args=[enquiry.pk]))
    sent = client.post(reverse("engagement:enquiry-reply", args=[enquiry.pk]), {"message": "Not received"})

    for response in (page, sent):
        assert response.status_code == 200
        assert "This enquiry was resolved on" in _text(response)
        assert f'href="{follow_up}"' in _text(response)
    assert sent.context["form"].non_field_errors() == [
        f"This enquiry was resolved on {timezone.localdate().day} {timezone.localdate():%B %Y}, so you cannot "
        f"reply to it. If you still need help, raise a new enquiry and mention {enquiry.reference}"
    ]
    assert not enquiry.events.filter(kind=Kind.PROVIDER_REPLY).exists()


def test_an_officer_passes_the_enquiry_on(client, desk, enquiry):
    other = OfficerFactory(full_name="Robin Receivables")
    client.force_login(desk["officer_user"])

    response = client.post(
        reverse("engagement:enquiry-reassign", args=[enquiry.pk]),
        {"officer": other.pk, "reason": "Robin covers home care"},
        follow=True,
    )

    assert f"{enquiry.reference} is now with Robin Receivables" in _text(response)
    enquiry.refresh_from_db()
    assert enquiry.assigned_officer == other


def test_passing_on_to_both_an_officer_and_a_team_is_an_error(client, desk, enquiry):
    other = OfficerFactory()
    client.force_login(desk["officer_user"])

    response = client.post(
        reverse("engagement:enquiry-reassign", args=[enquiry.pk]),
        {"officer": other.pk, "team": other.team.pk, "reason": "Either"},
    )

    assert response.context["form"].errors["officer"] == ["Choose an officer or a team, not both"]


def test_an_officer_asks_for_more_information_and_the_page_shows_the_clock_on_hold(client, desk, enquiry):
    client.force_login(desk["officer_user"])

    client.post(
        reverse("engagement:enquiry-request-information", args=[enquiry.pk]), {"message": "Which invoice?"}
    )
    client.force_login(desk["raiser"])
    response = client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk]))

    assert "On hold: waiting for more information from you" in _text(response)
    assert "Send the information" in _text(response)
    reply_page = client.get(reverse("engagement:enquiry-reply", args=[enquiry.pk]))
    assert "Pat Payments asked on" in _text(reply_page)
    assert "Which invoice?" in _text(reply_page)


def test_an_officer_resolves_the_enquiry(client, desk, enquiry):
    client.force_login(desk["officer_user"])

    response = client.post(reverse("engagement:enquiry-resolve", args=[enquiry.pk]), {"message": "Paid."})

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.RESOLVED


def test_an_internal_note_can_still_be_added_once_resolved(client, desk, enquiry):
    enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Paid.")
    client.force_login(desk["officer_user"])

    response = client.post(
        reverse("engagement:enquiry-note", args=[enquiry.pk]), {"text": "Provider was happy"}
    )

    assert response.status_code == 302
    assert enquiry.events.get(kind=Kind.INTERNAL_NOTE).is_internal


def test_a_director_reads_but_cannot_answer(client, enquiry):
    client.force_login(DirectorFactory())

    assert client.get(reverse("engagement:enquiry-detail", args=[enquiry.pk])).status_code == 200
    assert (
        client.post(reverse("engagement:enquiry-reply", args=[enquiry.pk]), {"message": "Hi"}).status_code
        == 403
    )
