"""A real Celery worker with embedded beat, on Redis, against the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from conftest import require_service
from portal.celery import app
from portal.models import Heartbeat, OutboxMessage

pytestmark = pytest.mark.worker

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _test_database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker needs a database it can share with the tests: PostgreSQL")
    credentials = f"{quote(database['USER'], safe='')}:{quote(database['PASSWORD'], safe='')}"
    address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{address}/{quote(database['NAME'], safe='')}"


def _wait_for(condition: Callable[[], bool], *, seconds: float, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.process.poll() is None, f"the worker exited:\n{worker.log_tail()}"
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds}s; worker log:\n{worker.log_tail()}")


@pytest.fixture
def broker_url():
    return require_service("Redis", os.environ.get("CELERY_BROKER_URL"))


@pytest.fixture
def start_worker(transactional_db, broker_url, smtp_sink, tmp_path):
    """Start `celery worker --beat` on a queue of its own; it is always stopped after the test."""
    workers: list[Worker] = []

    def start() -> Worker:
        queue = f"portal-test-{uuid.uuid4().hex[:12]}"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": _test_database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_HOST": smtp_sink.host,
            "EMAIL_PORT": str(smtp_sink.port),
        }
        log = tmp_path / f"{queue}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--beat",
            # Not -S: for `celery worker` that is --statedb, a file it would write in the working directory.
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "-Q",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ]
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(queue=queue, process=process, log=log)
        workers.append(worker)
        return worker

    yield start

    for worker in workers:
        _stop(worker.process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_beat_records_the_heartbeat_through_the_worker_and_healthz_turns_healthy(start_worker, client):
    # An administrator can change the schedule in the admin; here, every second instead of every minute.
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    heartbeat_task = PeriodicTask.objects.get(name="Record the worker heartbeat")
    heartbeat_task.interval = every_second
    heartbeat_task.save()
    assert client.get(reverse("healthz")).status_code == 503

    worker = start_worker()
    _wait_for(
        Heartbeat.objects.filter(source="beat").exists,
        seconds=30,
        worker=worker,
        what="no heartbeat was recorded",
    )
    first = Heartbeat.objects.get(source="beat").beat_at
    _wait_for(
        Heartbeat.objects.filter(source="beat", beat_at__gt=first).exists,
        seconds=10,
        worker=worker,
        what="the heartbeat did not follow the every-second schedule",
    )

    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()


@contextmanager
def _queued_to(worker: Worker):
    """Send tasks to the worker's queue instead of running them in-process, for the duration of a block."""
    changes = {"task_always_eager": False, "task_default_queue": worker.queue}
    previous = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    try:
        yield
    finally:
        app.conf.update(previous)


def test_committed_email_is_delivered_by_the_worker_exactly_once(start_worker, smtp_sink):
    worker = start_worker()

    with _queued_to(worker), transaction.atomic():
        mail.send_mail("Circulation: winter pressures", "Body", None, ["manager@provider-a.example.org"])

    _wait_for(lambda: smtp_sink.messages, seconds=30, worker=worker, what="no email reached the SMTP server")
    time.sleep(1)  # long enough for a duplicate delivery to show up
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["manager@provider-a.example.org"]]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
