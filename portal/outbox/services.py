"""Recording and delivering outbox messages."""

import logging
import smtplib
from datetime import timedelta
from email import message_from_bytes

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from portal.models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_message_record(*, email_message: EmailMessage) -> OutboxMessage:
    """Store a message to send; the delivery task is queued when the surrounding transaction commits."""
    message = OutboxMessage.objects.create(
        subject=str(email_message.subject)[:998],
        from_email=email_message.from_email or settings.DEFAULT_FROM_EMAIL,
        recipients=list(email_message.recipients()),
        message=email_message.message().as_bytes(linesep="\r\n"),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _queue_delivery(message.pk))
    return message


def _queue_delivery(message_id: int) -> None:
    from portal.tasks import deliver_outbox_message

    try:
        # No publish retries: with the broker down the user's request must not wait; the sweep delivers it.
        deliver_outbox_message.apply_async((message_id,), retry=False)
    except Exception:  # noqa: BLE001 - the broker being down must not fail the user's action
        logger.warning(
            "Could not queue outbox message %s; the sweep will deliver it", message_id, exc_info=True
        )


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** (attempts - 1), 60 * 60 * 6))


def outbox_message_deliver(*, message_id: int) -> str:
    """Send one pending message now. Safe to call twice: a sent or failed message is never sent again."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return "skipped"
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:  # noqa: BLE001 - an attempt that raised must still be counted
            return _record_failure(message, error)
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "attempts", "last_error", "updated_at"])
        return "sent"


def _send(message: OutboxMessage) -> None:
    raw = bytes(message.message)
    connection = get_connection(backend=settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
    connection.send_messages([RawEmail(raw, message.from_email, message.recipients)])


# The mail server could not be reached at all: every other message would fail the same way now.
_UNREACHABLE = (ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def _is_permanent(error: Exception) -> bool:
    """A 5xx reply will not change on a later attempt; connection failures and 4xx replies may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Raised when every recipient was refused, each with its own reply: "450 mailbox busy" is temporary.
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    # An address Django cannot put on the wire ("Invalid address") fails the same way every time.
    return isinstance(error, ValueError)


def _record_failure(message: OutboxMessage, error: Exception) -> str:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.FAILED
        outcome = "failed"
    else:
        message.next_attempt_at = timezone.now() + _retry_delay(message.attempts)
        outcome = "unreachable" if isinstance(error, _UNREACHABLE) else "retry"
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "updated_at"])
    logger.warning("Outbox message %s: %s (%s)", message.pk, outcome, message.last_error)
    return outcome


def outbox_due_message_ids(*, limit: int = 500) -> list[int]:
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_flush() -> dict[str, int]:
    """Deliver every message that is due, one at a time; used by the periodic sweep.

    Stops at the first message the mail server could not be reached for: the rest would wait out the same
    timeout one by one, and the next sweep tries again.
    """
    outcomes: dict[str, int] = {}
    for message_id in outbox_due_message_ids():
        outcome = outbox_message_deliver(message_id=message_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == "unreachable":
            break
    return outcomes


class RawMessage:
    """The stored bytes, in the shape Django's mail backends read a message in."""

    def __init__(self, raw: bytes):
        self._raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\r\n") -> bytes:
        return self._raw

    def get_charset(self):
        return None


class RawEmail(EmailMessage):
    """Sends an RFC 5322 message, already written out, byte for byte through any Django email backend."""

    def __init__(self, raw: bytes, from_email: str, recipients: list[str]):
        parsed = message_from_bytes(raw)
        super().__init__(subject=parsed.get("Subject", ""), from_email=from_email, to=recipients)
        self.raw = raw
        self._recipients = recipients

    def recipients(self) -> list[str]:
        return self._recipients

    def message(self, *args, **kwargs):
        return RawMessage(self.raw)
