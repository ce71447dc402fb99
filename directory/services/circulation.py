"""Circulating the contact list: make the PDF once, record one delivery per recipient, send in chunks.

The delivery rows are written in the same transaction as the run, so they are the run's outbox: the worker
sends each pending row, and a run that was interrupted (worker killed, broker restarted) carries on from its
pending rows when `resume_circulations` runs (at worker start-up and every few minutes). A row is claimed
(pending -> sending, committed) just before its message's end is sent, and only a pending row is ever sent;
the database allows one row per address in a run. So nobody receives the same run twice: a worker that stops
after the claim leaves a row that is settled as "unconfirmed", never re-sent (see circulation_smtp).
"""

import logging
import smtplib
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Min
from django.template.loader import render_to_string
from django.utils import timezone

from directory.models import CirculationDelivery, CirculationRun, ContactListVersion
from directory.selectors.circulation import providers_with_recipients, run_progress
from directory.services import circulation_smtp
from portal.outbox.services import RawEmail
from portal.working_days import first_working_day_of_month

logger = logging.getLogger(__name__)

Status = CirculationDelivery.Status
_PLACEHOLDER_TO = "recipient@circulation.invalid"
_PLACEHOLDER_ID = "DELIVERYID"
# The mail server could not be reached, or said "try later": the delivery is retried with back-off.
_TEMPORARY = (ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


class CirculationError(Exception):
    """A circulation cannot be started or changed as asked."""


def circulation_start(*, started_by=None, scheduled: bool = False) -> CirculationRun:
    """Make this quarter's PDF once, then a run with one pending delivery per recipient; sending starts on commit."""
    from directory.services.contact_list import contact_list_version_create

    if CirculationRun.objects.filter(status=CirculationRun.Status.SENDING).exists():
        raise CirculationError(
            "A circulation is already being sent. Wait for it to finish before starting another."
        )
    version = contact_list_version_create(made_by=started_by)
    with transaction.atomic():
        _lock_circulations()
        if CirculationRun.objects.filter(status=CirculationRun.Status.SENDING).exists():
            raise CirculationError(
                "A circulation is already being sent. Wait for it to finish before starting another."
            )
        run = CirculationRun.objects.create(version=version, started_by=started_by, scheduled=scheduled)
        deliveries, report = _plan_deliveries(run)
        CirculationDelivery.objects.bulk_create(deliveries, batch_size=2000)
        run.providers_without_recipients = report
        run.save(update_fields=["providers_without_recipients", "updated_at"])
        _finish_if_done(run)
        transaction.on_commit(lambda: _queue_sending(run.pk))
    return run


def _lock_circulations() -> None:
    # Two officers pressing "start" at once must not make two runs; SQLite serialises writers anyway.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('circulation_start'))")


def _plan_deliveries(run: CirculationRun) -> tuple[list[CirculationDelivery], list[dict]]:
    deliveries: list[CirculationDelivery] = []
    report: list[dict] = []
    seen: dict[str, str] = {}
    for provider in providers_with_recipients():
        if not provider.recipients:
            report.append(
                {"id": provider.pk, "name": provider.name, "reason": "Nobody is nominated to receive it"}
            )
            continue
        valid = 0
        for person in provider.recipients:
            address = person.email.strip()
            if address.lower() in seen:
                valid += 1  # reached through the delivery already planned for this address
                continue
            seen[address.lower()] = provider.name
            delivery = CirculationDelivery(run=run, provider=provider, person=person, email=address)
            try:
                validate_email(address)
                valid += 1
            except ValidationError:
                delivery.status = Status.FAILED
                delivery.error = f"'{address}' is not a valid email address"
            deliveries.append(delivery)
        if not valid:
            report.append(
                {"id": provider.pk, "name": provider.name, "reason": "No valid email address to send to"}
            )
    return deliveries, report


def _queue_sending(run_id: int) -> None:
    from directory.tasks import send_circulation

    try:
        send_circulation.apply_async((run_id,), retry=False)
    except Exception:  # noqa: BLE001 - the broker being down must not fail the officer's action
        logger.warning("Could not queue circulation %s; it resumes on the next sweep", run_id, exc_info=True)


def circulation_due_chunks(*, run_id: int) -> list[list[int]]:
    """The pending deliveries that are due now, in chunks of CIRCULATION_CHUNK_SIZE.

    First, deliveries left "handed to the mail server" by a worker that stopped are settled as unconfirmed.
    """
    circulation_settle_interrupted(run_id=run_id)
    now = timezone.now()
    ids = list(
        CirculationDelivery.objects.filter(run_id=run_id, status=Status.PENDING)
        .exclude(next_attempt_at__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.CIRCULATION_CHUNK_SIZE
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _settle_after() -> timedelta:
    # A live worker hears the server's answer within EMAIL_TIMEOUT of ending the message.
    return timedelta(seconds=settings.EMAIL_TIMEOUT + 5)


def circulation_settle_interrupted(*, run_id: int) -> int:
    """Deliveries handed to the mail server long enough ago that no worker is still waiting for its answer."""
    settled = CirculationDelivery.objects.filter(
        run_id=run_id, status=Status.SENDING, sent_at__lt=timezone.now() - _settle_after()
    ).update(
        status=Status.UNCONFIRMED,
        error="The worker stopped while the mail server was taking this message. It may have arrived, so it "
        "was not sent again.",
    )
    if settled:
        logger.warning("Run %s: %s deliveries interrupted mid-hand-over, not sent again", run_id, settled)
        _finish_if_done(CirculationRun.objects.get(pk=run_id))
    return settled


def circulation_chunk_send(*, run_id: int, delivery_ids: list[int]) -> dict[str, int]:
    """Send one chunk over one mail-server connection; each delivery is claimed just before its message ends."""
    run = CirculationRun.objects.select_related("version").get(pk=run_id)
    templates = _message_templates(run)
    outcomes = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0, "unconfirmed": 0}
    deliveries = list(
        CirculationDelivery.objects.filter(pk__in=delivery_ids, status=Status.PENDING)
        .order_by("pk")
        .only("pk", "email", "attempts")
    )
    outcomes["skipped"] = len(set(delivery_ids)) - len(deliveries)
    mail = get_connection(backend=settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
    try:
        _open(mail)
        for delivery in deliveries:
            if getattr(mail, "connection", True) is None:
                _open(mail)  # hung up after an abandoned or unanswered message
            outcome = _deliver(delivery, templates, mail)
            outcomes[outcome] += 1
            if outcome == "retry" and getattr(mail, "connection", True) is None:
                break  # the server is unreachable: the rest wait for the next attempt
    finally:
        mail.close()
    _finish_if_done(run)
    return outcomes


def _open(mail) -> None:
    """One connection for the whole chunk; if the server is down, the first delivery records why."""
    try:
        mail.open()
    except _TEMPORARY + (OSError, smtplib.SMTPException):
        logger.warning("Mail server unreachable at the start of a circulation chunk", exc_info=True)


def _deliver(delivery: CirculationDelivery, templates: dict[str, bytes], mail) -> str:
    claimed = False

    def claim() -> bool:
        # Committed before the message's end is sent: from here on, it is never sent again.
        nonlocal claimed
        claimed = (
            CirculationDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(
                status=Status.SENDING, sent_at=timezone.now(), attempts=F("attempts") + 1
            )
            == 1
        )
        return claimed

    try:
        smtp = getattr(mail, "connection", None)
        if isinstance(smtp, smtplib.SMTP):
            circulation_smtp.message_hand_over(
                smtp,
                sender=settings.DEFAULT_FROM_EMAIL,
                recipient=delivery.email,
                stuffed=_personalised(templates["smtp"], delivery),
                claim=claim,
            )
        elif getattr(mail, "connection", True) is None:
            raise smtplib.SMTPServerDisconnected("The mail server could not be reached")
        else:  # a development backend (files, memory): nothing to lose between claim and send
            if not claim():
                raise circulation_smtp.NotClaimed
            message = _personalised(templates["raw"], delivery)
            mail.send_messages([RawEmail(message, settings.DEFAULT_FROM_EMAIL, [delivery.email])])
    except circulation_smtp.NotClaimed:
        mail.close()
        return "skipped"
    except circulation_smtp.AnswerLost as error:
        mail.close()
        _settle(
            delivery,
            Status.UNCONFIRMED,
            f"The mail server's answer never came ({error}); it may have arrived",
        )
        return "unconfirmed"
    except Exception as error:  # noqa: BLE001 - every failed attempt is recorded against its delivery
        return _record_failure(delivery, error, mail, claimed=claimed)
    _record_sent(delivery)
    return "sent"


def _record_sent(delivery: CirculationDelivery) -> None:
    """Sending -> sent, without waiting for the disk: if PostgreSQL itself crashed before writing it, the row
    would stay "sending" and be settled as unconfirmed, which is true. The claim is never written this way."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        CirculationDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), error=""
        )


def _settle(delivery: CirculationDelivery, status: str, error: str) -> None:
    CirculationDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=status, error=error
    )


def _record_failure(delivery: CirculationDelivery, error: Exception, mail, *, claimed: bool) -> str:
    """A refusal: the message was not taken, whether or not it had been claimed; retry or fail it, in one update."""
    text = f"{type(error).__name__}: {error}"[:2000]
    temporary = (
        isinstance(error, _TEMPORARY)
        or (isinstance(error, smtplib.SMTPResponseException) and 400 <= error.smtp_code < 500)
        or (
            isinstance(error, smtplib.SMTPRecipientsRefused)
            and all(400 <= code < 500 for code, _ in error.recipients.values())
        )
    )
    if isinstance(error, _TEMPORARY):
        mail.close()
    row = CirculationDelivery.objects.filter(
        pk=delivery.pk, status=Status.SENDING if claimed else Status.PENDING
    )
    # This attempt, whether or not the claim had counted it yet; the chunk read `attempts` before sending.
    attempts_made = delivery.attempts + 1
    if temporary and attempts_made < settings.CIRCULATION_MAX_ATTEMPTS:
        row.update(
            status=Status.PENDING,
            attempts=attempts_made,
            error=text,
            sent_at=None,
            next_attempt_at=timezone.now() + timedelta(seconds=30 * 2 ** (attempts_made - 1)),
        )
        return "retry"
    row.update(status=Status.FAILED, attempts=attempts_made, error=text, sent_at=None)
    return "failed"


# The last run's message, kept by the worker process between chunks: (run pk, version pk) -> templates.
_TEMPLATES: dict[tuple[int, int], dict[str, bytes]] = {}


def _message_templates(run: CirculationRun) -> dict[str, bytes]:
    """The run's message written out, and made ready for SMTP, once per worker process and run.

    Each recipient's copy differs from it only in two header values.
    """
    key = (run.pk, run.version_id)
    if key not in _TEMPLATES:
        raw = _message_template(run)
        _TEMPLATES.clear()
        _TEMPLATES[key] = {"raw": raw, "smtp": circulation_smtp.dot_stuffed(raw)}
    return _TEMPLATES[key]


def _message_template(run: CirculationRun) -> bytes:
    """The run's email written out once, with placeholders for the recipient, so the PDF is encoded once."""
    version = run.version
    context = {"version": version, "site_url": settings.SITE_URL, "council_name": settings.COUNCIL_NAME}
    message = EmailMessage(
        subject=f"{settings.COUNCIL_NAME} contact list, {version.version_date:%-d %B %Y}",
        body=render_to_string("directory/emails/contact_list_circulation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_PLACEHOLDER_TO],
        headers={"Message-ID": f"<circulation.{run.pk}.{_PLACEHOLDER_ID}@{_domain()}>"},
    )
    with version.file.open("rb") as pdf:
        message.attach(f"contact-list-{version.version_date:%Y-%m-%d}.pdf", pdf.read(), "application/pdf")
    return message.message().as_bytes(linesep="\r\n")


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def _personalised(template: bytes, delivery: CirculationDelivery) -> bytes:
    address = delivery.email.encode("ascii", errors="strict") if delivery.email.isascii() else None
    if address is None:
        raise ValueError(f"'{delivery.email}' cannot be written in an email header as it is")
    return template.replace(_PLACEHOLDER_TO.encode(), address, 1).replace(
        _PLACEHOLDER_ID.encode(), str(delivery.pk).encode(), 1
    )


def _finish_if_done(run: CirculationRun) -> None:
    progress = run_progress(run)
    if not progress["is_finished"]:
        return
    status = (
        CirculationRun.Status.COMPLETE_WITH_FAILURES
        if progress["failed"] or progress["unconfirmed"]
        else CirculationRun.Status.COMPLETE
    )
    CirculationRun.objects.filter(pk=run.pk, status=CirculationRun.Status.SENDING).update(
        status=status, finished_at=timezone.now(), updated_at=timezone.now()
    )


def circulation_follow_up_in(*, run_id: int) -> float | None:
    """Seconds until the run needs looking at again (0: deliveries are due now), or None when nothing waits.

    Besides deliveries due now, something waits when a delivery is backing off after a temporary failure, or
    was left handed to the mail server by a worker that stopped: it is settled once no live worker could still
    be waiting for the server's answer.
    """
    deliveries = CirculationDelivery.objects.filter(run_id=run_id)
    now = timezone.now()
    if deliveries.filter(status=Status.PENDING).exclude(next_attempt_at__gt=now).exists():
        return 0.0
    moments = [
        deliveries.filter(status=Status.PENDING).aggregate(first=Min("next_attempt_at"))["first"],
        (deliveries.filter(status=Status.SENDING).aggregate(first=Min("sent_at"))["first"] or None),
    ]
    if moments[1] is not None:
        moments[1] += _settle_after()
    due = [moment for moment in moments if moment is not None]
    return max(0.0, (min(due) - now).total_seconds()) if due else None


def circulation_resend_failures(*, run: CirculationRun, started_by=None) -> int:
    """Put a run's failed deliveries back to pending and send them again."""
    with transaction.atomic():
        count = run.deliveries.filter(status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=None
        )
        if not count:
            raise CirculationError("There are no failed deliveries to send again.")
        CirculationRun.objects.filter(pk=run.pk).update(
            status=CirculationRun.Status.SENDING, finished_at=None, updated_at=timezone.now()
        )
        logger.info("%s re-sent %s failed deliveries of run %s", started_by, count, run.pk)
        transaction.on_commit(lambda: _queue_sending(run.pk))
    return count


def circulation_unfinished_run_ids(*, idle_for: timedelta = timedelta(0)) -> list[int]:
    """Runs still sending that have sent nothing for `idle_for`: the periodic sweep leaves busy runs alone."""
    runs = CirculationRun.objects.filter(status=CirculationRun.Status.SENDING)
    if idle_for:
        runs = runs.exclude(deliveries__sent_at__gte=timezone.now() - idle_for)
    return list(runs.values_list("pk", flat=True).distinct())


def circulation_start_if_quarter_due(*, today: date) -> CirculationRun | None:
    """Start the quarter's scheduled run on the first working day of January, April, July and October, once."""
    if today.month not in (1, 4, 7, 10) or today != first_working_day_of_month(today):
        return None
    # The schedule fires on several mornings; a scheduled run in the last month means this one is done.
    if CirculationRun.objects.filter(
        scheduled=True, created_at__gte=timezone.now() - timedelta(days=31)
    ).exists():
        return None
    return circulation_start(scheduled=True)


def latest_version() -> ContactListVersion | None:
    return ContactListVersion.objects.order_by("-created_at").first()
