"""The outbox: mail is recorded with the action that caused it and delivered to a real SMTP server."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.models import OutboxMessage
from portal.outbox.services import outbox_flush, outbox_message_deliver
from portal.tests.factories import UserFactory
from tests.celery_worker import celery_conf

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RefusingHandler:
    """Refuses `refused@...` for good (550) and `busy@...` for now (450); accepts everyone else."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("refused@"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("busy@"):
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def refusing_smtp():
    handler = RefusingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_closed_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mail_to_refusing_smtp(settings, refusing_smtp):
    settings.EMAIL_HOST = refusing_smtp.hostname
    settings.EMAIL_PORT = refusing_smtp.port
    refusing_smtp.handler.messages.clear()
    return refusing_smtp.handler


def _make_due(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def _send_committed(django_capture_on_commit_callbacks, **kwargs) -> OutboxMessage:
    kwargs = {"subject": "Provider forum", "message": "See you there.", "from_email": None, **kwargs}
    with django_capture_on_commit_callbacks(execute=True):
        assert mail.send_mail(**kwargs) == 1
    return OutboxMessage.objects.latest("pk")


def test_email_in_rolled_back_transaction_is_neither_recorded_nor_sent(
    db, smtp_sink, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail.send_mail("Booking confirmed", "Body", None, ["manager@provider-a.example.org"])
        raise RuntimeError("the booking failed after the email was written")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert smtp_sink.messages == []


def test_committed_email_is_delivered_once_with_subject_recipients_and_attachments(
    db, smtp_sink, django_capture_on_commit_callbacks
):
    email = mail.EmailMessage(
        subject="Forward plan – March forum",
        body="The forward plan and the attendance list are attached.",
        to=["manager@provider-a.example.org"],
        cc=["deputy@provider-a.example.org"],
        bcc=["officer@council.example.org"],
    )
    email.attach("forward-plan.pdf", PDF, "application/pdf")
    email.attach("attendance.csv", "name,organisation\nZoë Brontë,Provider A\n", "text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        assert email.send() == 1

    assert len(smtp_sink.messages) == 1
    envelope = smtp_sink.messages[0]
    assert sorted(envelope.rcpt_tos) == [
        "deputy@provider-a.example.org",
        "manager@provider-a.example.org",
        "officer@council.example.org",
    ]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["Subject"] == "Forward plan – March forum"
    assert received["To"] == "manager@provider-a.example.org"
    assert received["Cc"] == "deputy@provider-a.example.org"
    assert received["Bcc"] is None
    assert received.get_body(("plain",)).get_content().strip() == email.body
    attachments = {part.get_filename(): part.get_content() for part in received.iter_attachments()}
    assert attachments.keys() == {"forward-plan.pdf", "attendance.csv"}
    assert attachments["forward-plan.pdf"] == PDF
    # Text travels with CRLF line endings, as SMTP requires.
    assert attachments["attendance.csv"].splitlines() == ["name,organisation", "Zoë Brontë,Provider A"]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_delivering_the_same_message_twice_sends_it_once(db, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        mail.send_mail("Enquiry received", "Body", None, ["manager@provider-a.example.org"])
    message = OutboxMessage.objects.get()

    assert outbox_message_deliver(message_id=message.pk) == "sent"
    assert outbox_message_deliver(message_id=message.pk) == "skipped"

    assert len(smtp_sink.messages) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_unreachable_smtp_server_leaves_message_pending_until_the_sweep_delivers_it(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = _closed_port()

    message = _send_committed(django_capture_on_commit_callbacks, recipient_list=["a@provider-a.example.org"])

    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox_flush() == {}, "a message is not retried before its back-off has passed"

    settings.EMAIL_PORT = smtp_sink.port
    _make_due(message)
    assert outbox_flush() == {"sent": 1}

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["a@provider-a.example.org"]]


def test_sweep_stops_at_the_first_unreachable_attempt_and_keeps_the_rest_pending(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = _closed_port()
    messages = [
        _send_committed(django_capture_on_commit_callbacks, recipient_list=[f"p{n}@provider-a.example.org"])
        for n in range(3)
    ]
    for message in messages:
        _make_due(message)

    assert outbox_flush() == {"unreachable": 1}

    settings.EMAIL_PORT = smtp_sink.port
    for message in messages:
        _make_due(message)
    assert outbox_flush() == {"sent": 3}
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_sink.messages) == [
        f"p{n}@provider-a.example.org" for n in range(3)
    ]


def test_permanent_refusal_marks_message_failed(
    db, mail_to_refusing_smtp, django_capture_on_commit_callbacks
):
    message = _send_committed(
        django_capture_on_commit_callbacks, recipient_list=["refused@provider-a.example.org"]
    )

    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error
    _make_due(message)
    assert outbox_flush() == {}
    assert mail_to_refusing_smtp.messages == []


def test_temporary_refusal_is_retried_later(db, mail_to_refusing_smtp, django_capture_on_commit_callbacks):
    message = _send_committed(
        django_capture_on_commit_callbacks, recipient_list=["busy@provider-a.example.org"]
    )

    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "450" in message.last_error
    assert message.next_attempt_at > timezone.now()


def test_message_to_an_invalid_address_is_marked_failed(db, smtp_sink, django_capture_on_commit_callbacks):
    # Two addresses pasted into one field: Django records it, but cannot put it on the wire.
    message = _send_committed(
        django_capture_on_commit_callbacks,
        recipient_list=["Jo Bloggs <jo@provider-a.example.org>, sam@provider-a.example.org"],
    )

    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "Invalid address" in message.last_error
    assert smtp_sink.messages == []


def test_message_is_marked_failed_after_the_last_temporary_failure(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.EMAIL_PORT = _closed_port()
    message = _send_committed(django_capture_on_commit_callbacks, recipient_list=["a@provider-a.example.org"])

    _make_due(message)
    assert outbox_flush() == {"unreachable": 1}
    _make_due(message)
    assert outbox_flush() == {"failed": 1}

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    settings.EMAIL_PORT = smtp_sink.port
    _make_due(message)
    assert outbox_flush() == {}
    assert smtp_sink.messages == []


def test_broker_down_does_not_fail_the_action_and_the_sweep_delivers_later(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    with celery_conf(task_always_eager=False, broker_url=UNREACHABLE_BROKER):
        message = _send_committed(
            django_capture_on_commit_callbacks, recipient_list=["a@provider-a.example.org"]
        )

    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 0
    assert smtp_sink.messages == []

    assert outbox_flush() == {"sent": 1}
    assert len(smtp_sink.messages) == 1


def test_password_reset_sends_one_email_with_a_working_link(
    db, client, smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory(email="manager@provider-a.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "Manager@provider-a.example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(smtp_sink.messages) == 1
    envelope = smtp_sink.messages[0]
    assert envelope.rcpt_tos == ["manager@provider-a.example.org"]
    body = message_from_bytes(envelope.content, policy=policy.default).get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing(
    db, client, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()
    assert smtp_sink.messages == []
