"""The "circulation send" figure: recipients emailed per second by one real worker into a local SMTP sink.

Needs Redis (CELERY_BROKER_URL, or 127.0.0.1:6379) and the benchmark database; the worker is started here
and always stopped. The run is made directly from the first N nominated recipients, so the figure measures
sending, not planning.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min

from tests.bench.smtp_sink import CountingSmtpSink

BASE_DIR = Path(__file__).resolve().parents[2]


def measure_circulation_send(*, scale: int, recipients: int, broker_url: str, concurrency: int = 1) -> dict:
    from directory.models import CirculationDelivery, CirculationRun, ProviderPerson
    from directory.services.contact_list import contact_list_version_create

    settings.MEDIA_ROOT = str(BASE_DIR / "var" / "bench" / "media")
    # Earlier benchmark runs left in this database would be resumed by the worker and muddle the count.
    CirculationRun.objects.all().delete()
    version = contact_list_version_create()
    run = CirculationRun.objects.create(version=version)
    people = ProviderPerson.objects.filter(receives_contact_list=True).exclude(email="").order_by("pk")
    CirculationDelivery.objects.bulk_create(
        [
            CirculationDelivery(run=run, provider_id=provider_id, person_id=person_id, email=email)
            for person_id, provider_id, email in people.values_list("pk", "provider_id", "email")[:recipients]
        ],
        batch_size=5000,
    )
    total = run.deliveries.count()
    sink = CountingSmtpSink().start()
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    worker = _start_worker(queue=queue, broker_url=broker_url, smtp_port=sink.port, concurrency=concurrency)
    try:
        _dispatch(run.pk, queue, broker_url)
        deadline = time.monotonic() + 1800
        while CirculationDelivery.objects.filter(run=run, status=CirculationDelivery.Status.PENDING).exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the benchmark worker stopped or stalled; see var/bench/worker.log")
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        sink.stop()
    sent_deliveries = run.deliveries.filter(status=CirculationDelivery.Status.SENT)
    sent = sent_deliveries.count()
    # From the first message to the last, as the database recorded them: the worker's start-up is not counted.
    span = sent_deliveries.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    seconds = max((span["last"] - span["first"]).total_seconds(), 0.001)
    return {
        "name": "circulation send",
        "scale": scale,
        "recipients": total,
        "sent": sent,
        "received_by_sink": sink.messages,
        "seconds": round(seconds, 1),
        "messages_per_second": round((sent - 1) / seconds, 1),
        "pdf_bytes": version.size_bytes,
        "worker_concurrency": concurrency,
    }


def _start_worker(*, queue: str, broker_url: str, smtp_port: int, concurrency: int) -> subprocess.Popen:
    database = connection.settings_dict
    url = f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    log = (BASE_DIR / "var" / "bench" / "worker.log").open("wb")
    pool = (
        ["--pool", "solo"] if concurrency == 1 else ["--pool", "prefork", "--concurrency", str(concurrency)]
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        *pool,
        "-Q",
        queue,
        "--loglevel",
        "WARNING",
    ]
    command += ["--hostname", f"{queue}@%h", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _dispatch(run_id: int, queue: str, broker_url: str) -> None:
    from directory.tasks import send_circulation
    from portal.celery import app

    app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    send_circulation.apply_async((run_id,), queue=queue)


def describe_send(result: dict) -> str:
    return (
        f"circulation send: {result['sent']} of {result['recipients']} recipients in {result['seconds']} s, "
        f"{result['messages_per_second']} messages/s on one worker ({result['pdf_bytes'] // 1024} KB PDF each; "
        f"the sink received {result['received_by_sink']})"
    )
