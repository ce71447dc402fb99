"""Redis and the mail server go away during a booking, an enquiry and a circulation: nothing lost or doubled.

Each action writes what it must send in its own transaction (outbox messages, circulation deliveries), so the
user's action succeeds with Redis down; the worker delivers it once the services return, exactly once.
"""

import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from directory.models import CirculationDelivery, CirculationRun
from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, ProviderPersonFactory
from engagement.models import Booking, Enquiry
from engagement.tests.factories_bookings import forum
from engagement.tests.factories_enquiries import late_payments_desk
from portal.models import OutboxMessage
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from tests.celery_worker import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.worker]

RECIPIENTS = 6
# Seconds a booking and an enquiry (three emails between them) may take with Redis down.
QUICK_ENOUGH = 3
# The sweeps run every second here, not every minute and every five minutes, as an administrator could set.
SWEEPS = ("Deliver due outbox messages", "Carry on interrupted circulations")


@pytest.fixture
def county(transactional_db, provider_a):
    """A provider user who books and enquires, a forum, an officer, and providers to circulate the list to."""
    desk = late_payments_desk(provider_a)
    OfficerFactory(full_name="Rosalind Safeguarding")
    for provider in ProviderOrganisationFactory.create_batch(RECIPIENTS):
        ProviderPersonFactory(provider=provider)
    return {
        "provider_user": desk["raiser"],
        "officer_user": CouncilUserFactory(email="circulating.officer@council.example.org"),
        "forum": forum(title="Mid provider forum"),
    }


@pytest.fixture
def sweeps_every_second(transactional_db):
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    assert PeriodicTask.objects.filter(name__in=SWEEPS).update(interval=every_second) == len(SWEEPS)


def _worker_environment(mail_server, settings) -> dict:
    return {
        "EMAIL_HOST": mail_server.host,
        "EMAIL_PORT": str(mail_server.port),
        "EMAIL_TIMEOUT": "2",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }


def _book(client, county) -> None:
    client.force_login(county["provider_user"])
    response = client.post(
        reverse("engagement:book", args=[county["forum"].pk]),
        {"name_1": "Ada Attendee", "email_1": "ada.attendee@provider-a.example.org"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("engagement:my-bookings")
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def _raise_enquiry(client, county) -> Enquiry:
    client.force_login(county["provider_user"])
    response = client.post(
        reverse("engagement:enquiry-raise"),
        {
            "topic": "payments-and-invoices",
            "area": "mid",
            "service_type": "home-care",
            "subject": "Invoice 4471 not paid",
            "message": "Our invoice for March is six weeks late.",
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:enquiry-detail", args=[enquiry.pk])
    return enquiry


def _start_circulation(client, county) -> CirculationRun:
    client.force_login(county["officer_user"])
    response = client.post(reverse("directory:circulation-start"))
    run = CirculationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:circulation-run-detail", args=[run.pk])
    assert run.deliveries.filter(status=CirculationDelivery.Status.PENDING).count() == RECIPIENTS
    return run


def _expected_messages(run: CirculationRun) -> set[tuple[str, str]]:
    """(recipient, subject) of every message the actions wrote: the outbox's, and one per delivery."""
    expected = set()
    for message in OutboxMessage.objects.all():
        subject = str(message_from_bytes(bytes(message.message), policy=policy.default)["Subject"])
        expected |= {(recipient.lower(), subject) for recipient in message.recipients}
    subject = f"{settings.COUNCIL_NAME} contact list, {run.version.version_date:%-d %B %Y}"
    expected |= {(email.lower(), subject) for email in run.deliveries.values_list("email", flat=True)}
    return expected


def _everything_delivered(run: CirculationRun) -> bool:
    return (
        not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
        and not CirculationRun.objects.filter(pk=run.pk, status=CirculationRun.Status.SENDING).exists()
    )


def _assert_each_arrived_exactly_once(mail_server, run: CirculationRun, enquiry: Enquiry) -> None:
    received = mail_server.server.received()
    twice = {key: count for key, count in received.items() if count > 1}
    assert not twice, f"delivered more than once: {twice}"
    arrived = {(recipient, subject) for recipient, subject, _ in received}
    assert len(arrived) == len(received), "one Message-ID per recipient and subject"
    assert arrived == _expected_messages(run)
    booked = {subject for recipient, subject in arrived if recipient == "ada.attendee@provider-a.example.org"}
    assert [subject.split(" on ")[0] for subject in booked] == ["Place confirmed: Mid provider forum"]
    acknowledged = f"We have your enquiry {enquiry.reference}: Invoice 4471 not paid"
    assert (enquiry.raised_by.email.lower(), acknowledged) in arrived
    circulated = sorted(recipient for recipient, subject in arrived if "contact list" in subject)
    assert circulated == sorted(email.lower() for email in run.deliveries.values_list("email", flat=True))
    assert len(circulated) == RECIPIENTS
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists(), (
        "nothing left pending"
    )
    run.refresh_from_db()
    assert run.status == CirculationRun.Status.COMPLETE
    assert run.deliveries.filter(status=CirculationDelivery.Status.SENT).count() == RECIPIENTS


def test_actions_succeed_while_redis_and_the_mail_server_are_down_and_each_message_arrives_once_after(
    start_worker, worker_queue, private_redis, mail_server, county, sweeps_every_second, client, settings
):
    worker = start_worker(worker_queue, environment=_worker_environment(mail_server, settings))
    wait_for(
        lambda: "ready" in worker.log.read_text(), seconds=60, worker=worker, what="the worker did not start"
    )

    private_redis.stop()
    started = time.monotonic()
    _book(client, county)
    mail_server.stop()
    enquiry = _raise_enquiry(client, county)
    # Three emails written: were each publish to wait for the broker (2 s), the provider would wait too.
    assert time.monotonic() - started < QUICK_ENOUGH
    run = _start_circulation(client, county)
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, attempts=0).count() == 3
    assert mail_server.server.messages == []

    mail_server.start()
    private_redis.start()  # empty: whatever the portal had queued before it stopped is gone
    wait_for(
        lambda: _everything_delivered(run), seconds=60, worker=worker, what="not everything was delivered"
    )

    _assert_each_arrived_exactly_once(mail_server, run, enquiry)


def test_mail_server_down_while_the_worker_sends_then_back_delivers_each_message_once(
    start_worker, worker_queue, mail_server, county, sweeps_every_second, client, settings
):
    worker = start_worker(worker_queue, environment=_worker_environment(mail_server, settings))
    mail_server.stop()

    _book(client, county)
    enquiry = _raise_enquiry(client, county)
    run = _start_circulation(client, county)
    # The worker tries each outbox message and the circulation and is refused: all wait to be retried.
    wait_for(
        lambda: (
            not OutboxMessage.objects.filter(attempts=0).exists()
            and run.deliveries.filter(attempts__gt=0).exists()
        ),
        seconds=60,
        worker=worker,
        what="the worker did not try to send",
    )
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.PENDING).exists()
    assert not run.deliveries.exclude(status=CirculationDelivery.Status.PENDING).exists()
    assert "Connection refused" in OutboxMessage.objects.first().last_error

    mail_server.start()
    # The back-off has passed (a minute for the outbox, half a minute for the circulation); the sweeps send.
    now = timezone.now() - timedelta(seconds=1)
    OutboxMessage.objects.update(next_attempt_at=now)
    run.deliveries.update(next_attempt_at=now)
    wait_for(
        lambda: _everything_delivered(run), seconds=60, worker=worker, what="not everything was delivered"
    )

    _assert_each_arrived_exactly_once(mail_server, run, enquiry)
