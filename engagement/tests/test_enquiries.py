"""Provider enquiries: routing, the promised date in working days (with a paused clock), each step and its emails."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from directory.tests.factories import OfficerFactory, area
from engagement.models import Enquiry, EnquiryEvent, EnquiryTarget
from engagement.services.enquiries import (
    EnquiryError,
    NobodyAnswersError,
    enquiry_note,
    enquiry_raise,
    enquiry_reassign,
    enquiry_reply,
    enquiry_request_information,
    enquiry_resolve,
)
from engagement.tests.factories_enquiries import late_payments_desk
from portal import roles
from portal.models import OutboxMessage
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db

Kind = EnquiryEvent.Kind


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    """A moment in London."""
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@pytest.fixture
def desk(provider_a):
    return late_payments_desk(provider_a)


def _raise(desk, *, now=None, **changes) -> Enquiry:
    fields = {
        "provider": desk["provider"],
        "raised_by": desk["raiser"],
        "topic": desk["topic"],
        "area": desk["area"],
        "service_type": desk["service_type"],
        "subject": "Invoice 4471 not paid",
        "message": "Our invoice for March is six weeks late.",
        "attachments": [],
        "now": now,
        **changes,
    }
    return enquiry_raise(**fields)


def _body(message: OutboxMessage) -> str:
    return message_from_bytes(bytes(message.message), policy=policy.default).get_body().get_content()


def _messages_to(address: str) -> list[OutboxMessage]:
    return [message for message in OutboxMessage.objects.order_by("pk") if address in message.recipients]


# Routing


def test_an_enquiry_goes_to_the_officer_who_answers_the_topic_with_their_team(desk):
    enquiry = _raise(desk)

    assert (enquiry.assigned_officer, enquiry.assigned_team) == (desk["officer"], desk["team"])
    assert enquiry.status == Enquiry.Status.OPEN
    assert enquiry.reference == f"ENQ-{timezone.localdate().year}-{enquiry.pk:06d}"
    assert list(enquiry.events.values_list("kind", "text")) == [
        (Kind.RAISED, "Our invoice for March is six weeks late."),
        (Kind.ASSIGNED, "Sent to Pat Payments"),
    ]


def test_the_reference_is_made_of_the_year_and_the_enquirys_key(desk):
    enquiry = _raise(desk, now=at(2025, 4, 11))

    assert enquiry.reference == f"ENQ-2025-{enquiry.pk:06d}"
    assert Enquiry.objects.get(reference=enquiry.reference) == enquiry


def test_the_deputy_stays_out_of_it_while_the_officer_is_in_post(desk):
    desk["officer"].deputy = OfficerFactory(full_name="Dee Deputy")
    desk["officer"].save()

    assert _raise(desk).assigned_officer == desk["officer"]


def test_the_deputy_answers_when_the_officer_is_no_longer_in_post(desk):
    deputy = OfficerFactory(full_name="Dee Deputy")
    desk["officer"].deputy = deputy
    desk["officer"].active_to = timezone.localdate() - dt.timedelta(days=1)
    desk["officer"].save()

    enquiry = _raise(desk)

    assert (enquiry.assigned_officer, enquiry.assigned_team) == (deputy, desk["team"])


def test_the_team_has_it_when_nobody_in_particular_answers(desk):
    desk["officer"].active_to = timezone.localdate() - dt.timedelta(days=1)
    desk["officer"].save()

    enquiry = _raise(desk)

    assert (enquiry.assigned_officer, enquiry.assigned_team) == (None, desk["team"])
    assert enquiry.events.get(kind=Kind.ASSIGNED).text == "Sent to Provider Payments"
    assert [message.recipients for message in OutboxMessage.objects.order_by("pk")][1] == [
        "provider.payments@council.example.org"
    ]


def test_an_enquiry_nobody_answers_is_refused_with_whom_to_call_instead(desk):
    lead = OfficerFactory(full_name="Morgan Market", market_lead="strategic", phone="0300 555 0199")

    with pytest.raises(NobodyAnswersError) as refused:
        _raise(desk, area=area("west"))

    assert refused.value.message == (
        "Nobody at the council answers Payments and invoices for home care in West yet, so your enquiry cannot "
        f"be sent. Please call {lead.full_name}, strategic lead for the care market, on 0300 555 0199, or use "
        "“Who do I contact about…?” to find someone"
    )
    assert not Enquiry.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_enquiry_is_refused_when_the_officer_has_left_and_the_team_has_closed(desk):
    desk["officer"].active_to = timezone.localdate() - dt.timedelta(days=1)
    desk["officer"].save()
    desk["team"].is_active = False
    desk["team"].save()

    with pytest.raises(NobodyAnswersError, match="call your usual council contact"):
        _raise(desk)

    assert not Enquiry.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"), [("subject", "Enter a subject"), ("message", "Enter your message")]
)
def test_an_empty_subject_or_message_is_refused(desk, field, message):
    with pytest.raises(EnquiryError, match=message) as refused:
        _raise(desk, **{field: "  \n "})

    assert refused.value.field == field
    assert not Enquiry.objects.exists()


def test_a_provider_user_cannot_raise_an_enquiry_for_another_provider(desk, provider_b):
    with pytest.raises(EnquiryError, match="your own organisation"):
        _raise(desk, provider=provider_b)


# The promised date, in working days


def test_the_promised_date_skips_weekends_and_easter(desk):
    """Ten working days from Friday 11 April 2025 step over Good Friday and Easter Monday."""
    enquiry = _raise(desk, now=at(2025, 4, 11))

    assert enquiry.due_on == dt.date(2025, 4, 29)


def test_an_enquiry_raised_at_the_weekend_counts_from_the_monday(desk):
    friday = _raise(desk, now=at(2025, 4, 11, 16))
    saturday = _raise(desk, now=at(2025, 4, 12, 9))
    sunday_night = _raise(desk, now=at(2025, 4, 13, 23))

    assert friday.due_on == saturday.due_on == sunday_night.due_on == dt.date(2025, 4, 29)


def test_a_topics_own_target_is_used_across_christmas(desk):
    EnquiryTarget.objects.create(topic=desk["topic"], working_days=5)

    enquiry = _raise(desk, now=at(2025, 12, 22))

    # Christmas Day and Boxing Day, then the weekend: the fifth working day is New Year's Eve.
    assert enquiry.due_on == dt.date(2025, 12, 31)


def test_the_default_target_comes_from_the_settings(desk, settings):
    settings.ENQUIRY_DEFAULT_TARGET_WORKING_DAYS = 2

    assert _raise(desk, now=at(2025, 3, 6)).due_on == dt.date(2025, 3, 10)


def test_asking_for_more_information_pauses_the_clock_and_the_answer_moves_the_date_on(desk):
    enquiry = _raise(desk, now=at(2025, 3, 3))  # Monday: due Monday 17 March
    assert enquiry.due_on == dt.date(2025, 3, 17)

    enquiry_request_information(
        enquiry=enquiry, requested_by=desk["officer_user"], message="Which invoice?", now=at(2025, 3, 5)
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.AWAITING_PROVIDER
    assert enquiry.paused_since == at(2025, 3, 5)
    assert enquiry.first_response_at == at(2025, 3, 5)

    # Answered the next Tuesday: paused Thursday, Friday, Monday and Tuesday, four working days.
    event = enquiry_reply(enquiry=enquiry, author=desk["raiser"], message="Invoice 4471", now=at(2025, 3, 11))

    enquiry.refresh_from_db()
    assert event.kind == Kind.INFORMATION_GIVEN
    assert enquiry.status == Enquiry.Status.OPEN
    assert enquiry.paused_since is None
    assert enquiry.due_on == dt.date(2025, 3, 21)


def test_a_pause_over_a_bank_holiday_weekend_counts_only_working_days(desk):
    EnquiryTarget.objects.create(topic=desk["topic"], working_days=3)
    enquiry = _raise(desk, now=at(2025, 4, 30))  # Thursday 1, Friday 2, (bank holiday Monday 5) Tuesday 6 May
    assert enquiry.due_on == dt.date(2025, 5, 6)

    enquiry_request_information(
        enquiry=enquiry, requested_by=desk["officer_user"], message="Which home?", now=at(2025, 5, 1)
    )
    enquiry_reply(enquiry=enquiry, author=desk["raiser"], message="Meadow House", now=at(2025, 5, 6))

    enquiry.refresh_from_db()
    # Paused Friday 2 and Tuesday 6 May: the date moves on two working days.
    assert enquiry.due_on == dt.date(2025, 5, 8)


def test_information_given_on_the_day_it_was_asked_for_does_not_move_the_date(desk):
    enquiry = _raise(desk, now=at(2025, 3, 3))
    enquiry_request_information(
        enquiry=enquiry, requested_by=desk["officer_user"], message="Which invoice?", now=at(2025, 3, 5, 9)
    )
    enquiry_reply(enquiry=enquiry, author=desk["raiser"], message="4471", now=at(2025, 3, 5, 15))

    enquiry.refresh_from_db()
    assert enquiry.due_on == dt.date(2025, 3, 17)


def test_resolving_while_waiting_for_the_provider_ends_the_pause(desk):
    enquiry = _raise(desk, now=at(2025, 3, 3))
    enquiry_request_information(
        enquiry=enquiry, requested_by=desk["officer_user"], message="Which invoice?", now=at(2025, 3, 5)
    )

    enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Found it", now=at(2025, 3, 7))

    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.paused_since, enquiry.resolved_at) == (
        Enquiry.Status.RESOLVED,
        None,
        at(2025, 3, 7),
    )
    assert enquiry.due_on == dt.date(2025, 3, 19)


def test_the_council_cannot_ask_twice_while_waiting(desk):
    enquiry = _raise(desk)
    enquiry_request_information(enquiry=enquiry, requested_by=desk["officer_user"], message="Which invoice?")

    with pytest.raises(EnquiryError, match="You already asked Provider A Care Ltd for more information"):
        enquiry_request_information(enquiry=enquiry, requested_by=desk["officer_user"], message="And?")


# Replies, passing on, notes and resolving


def test_the_first_council_reply_is_the_first_response_and_is_emailed_to_the_provider(desk):
    enquiry = _raise(desk, now=at(2025, 3, 3))
    OutboxMessage.objects.all().delete()

    enquiry_reply(enquiry=enquiry, author=desk["officer_user"], message="Paid today.", now=at(2025, 3, 4))
    enquiry_reply(
        enquiry=enquiry, author=desk["officer_user"], message="Remittance sent.", now=at(2025, 3, 6)
    )

    enquiry.refresh_from_db()
    assert enquiry.first_response_at == at(2025, 3, 4)
    assert enquiry.status == Enquiry.Status.OPEN
    first = OutboxMessage.objects.order_by("pk").first()
    assert first.recipients == [desk["raiser"].email]
    assert first.subject == f"A reply to your enquiry {enquiry.reference}: Invoice 4471 not paid"
    assert "Paid today." in _body(first)


def test_a_providers_reply_goes_to_the_officer_and_its_colleague_then_hears_back(desk):
    enquiry = _raise(desk)
    colleague = ProviderUserFactory(
        email="owner@provider-a.example.org", provider_organisation=desk["provider"]
    )
    OutboxMessage.objects.all().delete()

    event = enquiry_reply(enquiry=enquiry, author=colleague, message="Any news?")
    enquiry_reply(enquiry=enquiry, author=desk["officer_user"], message="Paid.")

    assert event.kind == Kind.PROVIDER_REPLY
    to_officer, to_provider = OutboxMessage.objects.order_by("pk")
    assert to_officer.recipients == ["pat.payments@council.example.org"]
    assert to_officer.subject == f"Provider A Care Ltd replied: {enquiry.reference}"
    assert to_provider.recipients == [desk["raiser"].email, "owner@provider-a.example.org"]


def test_passing_on_needs_a_reason_and_tells_the_new_officer(desk):
    enquiry = _raise(desk)
    other = OfficerFactory(full_name="Robin Receivables", email="robin@council.example.org")
    with pytest.raises(EnquiryError, match="Enter why") as refused:
        enquiry_reassign(enquiry=enquiry, reassigned_by=desk["officer_user"], officer=other, reason=" ")
    assert refused.value.field == "reason"

    enquiry = enquiry_reassign(
        enquiry=enquiry, reassigned_by=desk["officer_user"], officer=other, reason="Robin handles home care"
    )

    assert (enquiry.assigned_officer, enquiry.assigned_team) == (other, other.team)
    event = enquiry.events.get(kind=Kind.REASSIGNED)
    assert event.text == "Passed from Pat Payments to Robin Receivables.\nRobin handles home care"
    assert not event.is_internal
    message = _messages_to("robin@council.example.org")[0]
    assert message.subject == f"Enquiry passed to you: {enquiry.reference} from Provider A Care Ltd"
    assert "Robin handles home care" in _body(message)


def test_passing_on_to_a_team_leaves_no_officer(desk):
    enquiry = _raise(desk)
    other = OfficerFactory()

    enquiry = enquiry_reassign(
        enquiry=enquiry, reassigned_by=desk["officer_user"], team=other.team, reason="For the team"
    )

    assert (enquiry.assigned_officer, enquiry.assigned_team) == (None, other.team)
    assert _messages_to(other.team.mailbox)


@pytest.mark.parametrize("problem", ["neither", "both", "left", "same"])
def test_passing_on_to_nobody_or_to_someone_unable_is_refused(desk, problem):
    enquiry = _raise(desk)
    other = OfficerFactory(
        active_to=timezone.localdate() - dt.timedelta(days=1) if problem == "left" else None
    )
    to = {
        "neither": {},
        "both": {"officer": other, "team": other.team},
        "left": {"officer": other},
        "same": {"officer": desk["officer"]},
    }[problem]

    with pytest.raises(EnquiryError) as refused:
        enquiry_reassign(enquiry=enquiry, reassigned_by=desk["officer_user"], reason="Because", **to)

    assert refused.value.field == "officer"
    enquiry.refresh_from_db()
    assert enquiry.assigned_officer == desk["officer"]


def test_a_resolved_enquiry_cannot_be_replied_to_and_the_provider_is_told_to_raise_a_new_one(desk):
    enquiry = _raise(desk)
    enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Paid on 4 March.")

    with pytest.raises(EnquiryError, match=f"raise a new enquiry and mention {enquiry.reference}"):
        enquiry_reply(enquiry=enquiry, author=desk["raiser"], message="Not received")
    with pytest.raises(EnquiryError, match="can no longer be changed"):
        enquiry_reply(enquiry=enquiry, author=desk["officer_user"], message="Also")
    with pytest.raises(EnquiryError, match="already resolved"):
        enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Again")

    assert enquiry.events.filter(kind__in=[Kind.REPLY, Kind.PROVIDER_REPLY]).count() == 0
    assert enquiry.events.filter(kind=Kind.RESOLVED).count() == 1


def test_resolving_emails_the_provider_the_answer(desk):
    enquiry = _raise(desk)
    OutboxMessage.objects.all().delete()

    enquiry = enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Paid on 4 March.")

    assert enquiry.status == Enquiry.Status.RESOLVED
    message = OutboxMessage.objects.get()
    assert message.subject == f"Your enquiry {enquiry.reference} is resolved"
    assert "Paid on 4 March." in _body(message)


def test_internal_notes_are_never_emailed(desk):
    """Through a whole enquiry, the note's words reach no email."""
    enquiry = _raise(desk)
    enquiry_note(enquiry=enquiry, author=desk["officer_user"], text="SECRET: finance queried this provider")
    enquiry_request_information(enquiry=enquiry, requested_by=desk["officer_user"], message="Which invoice?")
    enquiry_reply(enquiry=enquiry, author=desk["raiser"], message="4471")
    enquiry_reassign(
        enquiry=enquiry, reassigned_by=desk["officer_user"], officer=OfficerFactory(), reason="Cover"
    )
    enquiry_reply(enquiry=enquiry, author=desk["officer_user"], message="Paid")
    enquiry_resolve(enquiry=enquiry, resolved_by=desk["officer_user"], message="Done")

    assert OutboxMessage.objects.count() == 7
    assert not [message for message in OutboxMessage.objects.all() if b"SECRET" in bytes(message.message)]
    note = enquiry.events.get(kind=Kind.INTERNAL_NOTE)
    assert note.is_internal


def test_a_provider_user_cannot_add_an_internal_note(desk):
    enquiry = _raise(desk)

    with pytest.raises(EnquiryError, match="Only council staff"):
        enquiry_note(enquiry=enquiry, author=desk["raiser"], text="Hello")


def test_another_providers_user_cannot_reply(desk, provider_b):
    enquiry = _raise(desk)

    with pytest.raises(EnquiryError, match="your own organisation"):
        enquiry_reply(
            enquiry=enquiry, author=ProviderUserFactory(provider_organisation=provider_b), message="Hi"
        )


# Emails


def test_raising_acknowledges_the_provider_and_tells_the_officer(desk):
    enquiry = _raise(desk, now=at(2025, 4, 11))

    acknowledgement, assignment = OutboxMessage.objects.order_by("pk")
    assert acknowledgement.recipients == [desk["raiser"].email]
    assert acknowledgement.subject == f"We have your enquiry {enquiry.reference}: Invoice 4471 not paid"
    body = _body(acknowledgement)
    assert "Pat Payments has it. We will answer by Tuesday 29 April 2025." in body
    assert f"/engagement/enquiries/{enquiry.pk}/" in body
    assert assignment.recipients == ["pat.payments@council.example.org"]
    assert assignment.subject == f"New enquiry: {enquiry.reference} from Provider A Care Ltd"
    assert "Our invoice for March is six weeks late." in _body(assignment)


def test_the_acknowledgement_reaches_a_real_smtp_server_once_committed(
    desk, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _raise(desk)

    assert sorted(tuple(envelope.rcpt_tos) for envelope in smtp_sink.messages) == [
        (desk["raiser"].email,),
        ("pat.payments@council.example.org",),
    ]


def test_a_raiser_who_can_no_longer_sign_in_is_not_emailed(desk):
    enquiry = _raise(desk)
    desk["raiser"].is_active = False
    desk["raiser"].save()
    OutboxMessage.objects.all().delete()

    enquiry_reply(enquiry=enquiry, author=desk["officer_user"], message="Paid")

    assert not OutboxMessage.objects.exists()


# Roles


@pytest.mark.parametrize(
    ("make_user", "permission", "granted"),
    [
        (lambda: CouncilUserFactory(), "engagement.change_enquiry", True),
        (lambda: CouncilUserFactory(), "engagement.add_enquiryevent", True),
        (lambda: CouncilUserFactory(), "engagement.view_enquiryattachment", True),
        (lambda: CouncilUserFactory(roles=[roles.DIRECTORY_EDITOR]), "engagement.change_enquiry", True),
        (
            lambda: CouncilUserFactory(roles=[roles.ENGAGEMENT_MANAGER]),
            "engagement.change_enquiryevent",
            True,
        ),
        (lambda: DirectorFactory(), "engagement.view_enquiry", True),
        (lambda: DirectorFactory(), "engagement.change_enquiry", False),
        (lambda: DirectorFactory(), "engagement.view_enquiryattachment", False),
        (lambda: ProviderUserFactory(), "engagement.view_enquiry", False),
    ],
)
def test_roles_hold_the_enquiry_permissions(make_user, permission, granted):
    assert make_user().has_perm(permission) is granted
