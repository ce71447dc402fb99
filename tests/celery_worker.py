"""A real Celery worker on Redis, started by a test against the test database, and always stopped after it."""

import os
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

from conftest import require_service
from portal.celery import app
from tests.processes import stop_process_group

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def test_database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker needs a database it can share with the tests: PostgreSQL")
    credentials = f"{quote(database['USER'], safe='')}:{quote(database['PASSWORD'], safe='')}"
    address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{address}/{quote(database['NAME'], safe='')}"


def wait_for(condition: Callable[[], bool], *, seconds: float, worker: Worker, what: str) -> None:
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

    def start(queue: str | None = None, *, beat: bool = True, environment: dict | None = None) -> Worker:
        """A worker on `queue` (a new one by default); `environment` adds to or overrides its variables."""
        queue = queue or f"portal-test-{uuid.uuid4().hex[:12]}"
        variables = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": test_database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_HOST": smtp_sink.host,
            "EMAIL_PORT": str(smtp_sink.port),
            **(environment or {}),
        }
        log = tmp_path / f"{queue}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            *(
                # Not -S: for `celery worker` that is --statedb, a file it would write in the working directory.
                ["--beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"] if beat else []
            ),
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
                env=variables,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(queue=queue, process=process, log=log)
        workers.append(worker)
        return worker

    yield start

    for worker in workers:
        stop_process_group(worker.process)


@contextmanager
def celery_conf(**changes):
    """Change the Celery app's configuration, which it read once at import, for the duration of a block."""
    previous = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    _drop_broker_connections_if("broker_url" in changes)
    try:
        yield
    finally:
        app.conf.update(previous)
        _drop_broker_connections_if("broker_url" in changes)


def _drop_broker_connections_if(broker_changed: bool) -> None:
    # The app keeps its broker connections in pools made on first use; a new broker URL needs new ones.
    if broker_changed:
        app._pool = None
        app.amqp._producer_pool = None


@contextmanager
def queued_to(worker: Worker):
    """Send tasks to the worker's queue instead of running them in-process, for the duration of a block."""
    with celery_conf(task_always_eager=False, task_default_queue=worker.queue):
        yield
