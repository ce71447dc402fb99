"""A circulation sent by a real Celery worker on Redis, which is killed mid-run and restarted."""

import asyncio
import os
import signal
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from directory.models import CirculationDelivery, CirculationRun
from directory.services import circulation
from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, ProviderPersonFactory
from tests.celery_worker import queued_to, wait_for

pytestmark = pytest.mark.worker

RECIPIENTS = 60


class SlowMailServer:
    """Takes a moment over each message, as a busy mail server does, and keeps what it accepts.

    It pauses either on each recipient (before the message is sent: a client that dies then never sends it) or
    once it holds the whole message (before it answers: a client that dies then never hears that it arrived).
    """

    def __init__(self, seconds: float, *, pause_on: str = "RCPT"):
        self.seconds = seconds
        self.pause_on = pause_on
        self.messages = []
        self.lock = threading.Lock()
        self.pausing = threading.Event()

    async def _pause(self, stage: str) -> None:
        if stage != self.pause_on:
            return
        self.pausing.set()
        try:
            await asyncio.sleep(self.seconds)
        finally:
            self.pausing.clear()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        await self._pause("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(envelope)
        await self._pause("DATA")
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_mail_server(request):
    seconds, pause_on = getattr(request, "param", (0.05, "RCPT"))
    handler = SlowMailServer(seconds=seconds, pause_on=pause_on)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def test_a_killed_worker_resumes_the_run_and_every_recipient_gets_exactly_one_message(
    start_worker, slow_mail_server, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    OfficerFactory(full_name="Rosalind Safeguarding")
    for provider in ProviderOrganisationFactory.create_batch(RECIPIENTS):
        ProviderPersonFactory(provider=provider)
    environment = {
        "EMAIL_PORT": str(slow_mail_server.port),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "CIRCULATION_CHUNK_SIZE": "10",
    }
    first = start_worker(beat=False, environment=environment)

    with queued_to(first), transaction.atomic():
        run = circulation.circulation_start()
    sent = CirculationDelivery.objects.filter(run=run, status=CirculationDelivery.Status.SENT)
    wait_for(
        lambda: sent.count() >= 15, seconds=60, worker=first, what="the first worker did not start sending"
    )
    # Killed while the server is taking a recipient: that message has not been sent.
    assert slow_mail_server.pausing.wait(timeout=10)
    os.killpg(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    sent_before_restart = sent.count()
    assert sent_before_restart < RECIPIENTS, "the worker finished before it could be killed"

    second = start_worker(first.queue, beat=False, environment=environment)
    wait_for(
        lambda: (
            CirculationRun.objects.filter(pk=run.pk).exclude(status=CirculationRun.Status.SENDING).exists()
        ),
        seconds=90,
        worker=second,
        what="the restarted worker did not finish the run",
    )
    time.sleep(1)  # long enough for a duplicate to arrive

    received = sorted(address for envelope in slow_mail_server.messages for address in envelope.rcpt_tos)
    expected = sorted(run.deliveries.values_list("email", flat=True))
    assert len(expected) == RECIPIENTS
    assert received == expected, "every recipient gets exactly one message"
    run.refresh_from_db()
    assert run.status == CirculationRun.Status.COMPLETE
    assert sent.count() == RECIPIENTS


@pytest.mark.parametrize("slow_mail_server", [(30, "DATA")], indirect=True)
def test_a_worker_killed_before_the_server_answers_never_sends_that_message_again(
    start_worker, slow_mail_server, settings, tmp_path
):
    """The server holds the whole message but the worker dies before hearing so: it may have arrived."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    OfficerFactory(full_name="Rosalind Safeguarding")
    for provider in ProviderOrganisationFactory.create_batch(3):
        ProviderPersonFactory(provider=provider)
    # EMAIL_TIMEOUT bounds how long a live worker waits for an answer, so how soon the row can be settled.
    environment = {
        "EMAIL_PORT": str(slow_mail_server.port),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "EMAIL_TIMEOUT": "1",
    }
    first = start_worker(beat=False, environment=environment)
    with queued_to(first), transaction.atomic():
        run = circulation.circulation_start()
    assert slow_mail_server.pausing.wait(timeout=60), "the first message never reached the server"
    os.killpg(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    handed_over = run.deliveries.get(status=CirculationDelivery.Status.SENDING)
    slow_mail_server.seconds = 0  # the server is quick again for the rest

    second = start_worker(first.queue, beat=False, environment=environment)
    wait_for(
        lambda: (
            CirculationRun.objects.filter(pk=run.pk).exclude(status=CirculationRun.Status.SENDING).exists()
        ),
        seconds=60,
        worker=second,
        what="the restarted worker did not settle and finish the run",
    )
    time.sleep(1)  # long enough for a duplicate to arrive

    received = sorted(address for envelope in slow_mail_server.messages for address in envelope.rcpt_tos)
    assert received == sorted(run.deliveries.values_list("email", flat=True)), "each exactly once"
    handed_over.refresh_from_db()
    assert handed_over.status == CirculationDelivery.Status.UNCONFIRMED
    assert "may have arrived" in handed_over.error
    run.refresh_from_db()
    assert run.status == CirculationRun.Status.COMPLETE_WITH_FAILURES
    assert run.deliveries.filter(status=CirculationDelivery.Status.SENT).count() == 2
    # Re-sending the failures leaves it alone: sending it again could reach the recipient twice.
    with pytest.raises(circulation.CirculationError):
        circulation.circulation_resend_failures(run=run)
