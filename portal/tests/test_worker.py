"""A real Celery worker with embedded beat, on Redis, against the test database."""

import time

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from portal.models import Heartbeat, OutboxMessage
from tests.celery_worker import queued_to, wait_for

pytestmark = pytest.mark.worker


def test_beat_records_the_heartbeat_through_the_worker_and_healthz_turns_healthy(start_worker, client):
    # An administrator can change the schedule in the admin; here, every second instead of every minute.
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    heartbeat_task = PeriodicTask.objects.get(name="Record the worker heartbeat")
    heartbeat_task.interval = every_second
    heartbeat_task.save()
    assert client.get(reverse("healthz")).status_code == 503

    worker = start_worker()
    wait_for(
        Heartbeat.objects.filter(source="beat").exists,
        seconds=30,
        worker=worker,
        what="no heartbeat was recorded",
    )
    first = Heartbeat.objects.get(source="beat").beat_at
    wait_for(
        Heartbeat.objects.filter(source="beat", beat_at__gt=first).exists,
        seconds=10,
        worker=worker,
        what="the heartbeat did not follow the every-second schedule",
    )

    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()


def test_committed_email_is_delivered_by_the_worker_exactly_once(start_worker, smtp_sink):
    worker = start_worker()

    with queued_to(worker), transaction.atomic():
        mail.send_mail("Circulation: winter pressures", "Body", None, ["manager@provider-a.example.org"])

    wait_for(lambda: smtp_sink.messages, seconds=30, worker=worker, what="no email reached the SMTP server")
    time.sleep(1)  # long enough for a duplicate delivery to show up
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["manager@provider-a.example.org"]]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
