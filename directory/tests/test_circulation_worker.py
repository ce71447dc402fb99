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
    """Takes a moment over each message, as a busy mail server does, and keeps what it accepts."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.messages = []
        self.lock = threading.Lock()
        self.pausing = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        # The pause comes before the message is sent: a client that dies here never sends it.
        self.pausing.set()
        try:
            await asyncio.sleep(self.seconds)
        finally:
            self.pausing.clear()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_mail_server():
    handler = SlowMailServer(seconds=0.05)
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
