import datetime
import io
from email import message_from_bytes, policy

import pytest
from django.db import IntegrityError
from django.utils import timezone
from pypdf import PdfReader

from directory.models import CirculationDelivery, CirculationRun
from directory.services import circulation
from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, ProviderPersonFactory

pytestmark = pytest.mark.django_db

Status = CirculationDelivery.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county():
    """Three providers with recipients, one with nobody nominated, one whose only address is invalid."""
    OfficerFactory(full_name="Rosalind Safeguarding")
    providers = ProviderOrganisationFactory.create_batch(3)
    for provider in providers:
        ProviderPersonFactory(provider=provider)
        ProviderPersonFactory(provider=provider, role="finance", receives_contact_list=False)
    ProviderPersonFactory(provider=providers[0], role="nominated_individual")
    nobody = ProviderOrganisationFactory(name="Nobody Nominated Care Ltd")
    broken = ProviderOrganisationFactory(name="Broken Address Homecare Ltd")
    ProviderPersonFactory(provider=broken, email="manager@")
    return {"providers": providers, "nobody": nobody, "broken": broken}


def _start(django_capture_on_commit_callbacks) -> CirculationRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = circulation.circulation_start()
    run.refresh_from_db()
    return run


def _attachment(envelope) -> bytes:
    message = message_from_bytes(envelope.content, policy=policy.default)
    (part,) = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    return part.get_content()


def test_every_recipient_gets_the_pdf_exactly_once(county, smtp_sink, django_capture_on_commit_callbacks):
    run = _start(django_capture_on_commit_callbacks)

    recipients = sorted(address for envelope in smtp_sink.messages for address in envelope.rcpt_tos)
    expected = sorted(
        person.email
        for provider in county["providers"]
        for person in provider.people.filter(receives_contact_list=True)
    )
    assert recipients == expected
    assert len(smtp_sink.messages) == 4
    pdf = PdfReader(io.BytesIO(_attachment(smtp_sink.messages[0])))
    assert len(pdf.pages) == run.version.page_count > 0
    assert "Rosalind Safeguarding" in "".join(page.extract_text() for page in pdf.pages)
    message = message_from_bytes(smtp_sink.messages[0].content, policy=policy.default)
    assert message["To"] == smtp_sink.messages[0].rcpt_tos[0]
    assert len({message_from_bytes(e.content)["Message-ID"] for e in smtp_sink.messages}) == 4


def test_the_run_reports_providers_it_could_not_send_to(
    county, smtp_sink, django_capture_on_commit_callbacks
):
    run = _start(django_capture_on_commit_callbacks)

    reasons = {entry["name"]: entry["reason"] for entry in run.providers_without_recipients}
    assert reasons == {
        "Nobody Nominated Care Ltd": "Nobody is nominated to receive it",
        "Broken Address Homecare Ltd": "No valid email address to send to",
    }
    broken = run.deliveries.get(provider=county["broken"])
    assert broken.status == Status.FAILED
    assert "'manager@' is not a valid email address" in broken.error
    assert run.status == CirculationRun.Status.COMPLETE_WITH_FAILURES
    assert run.finished_at is not None


def test_a_recipient_the_server_refuses_is_failed_and_the_rest_are_sent(
    county, settings, django_capture_on_commit_callbacks
):
    from aiosmtpd.controller import Controller

    refused = county["providers"][1].people.get(receives_contact_list=True).email

    class Refusing:
        def __init__(self):
            self.messages = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address == refused:
                return "550 5.1.1 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    handler = Refusing()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_PORT = controller.port
        run = _start(django_capture_on_commit_callbacks)
    finally:
        controller.stop()

    failed = run.deliveries.get(email=refused)
    assert failed.status == Status.FAILED
    assert "550" in failed.error
    assert run.deliveries.filter(status=Status.SENT).count() == 3
    assert len(handler.messages) == 3


def test_an_unreachable_mail_server_leaves_deliveries_waiting_for_a_retry(
    county, settings, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = closed.getsockname()[1]
    run = _start(django_capture_on_commit_callbacks)

    waiting = run.deliveries.filter(status=Status.PENDING)
    assert waiting.count() == 4
    assert all(delivery.next_attempt_at is not None for delivery in waiting.filter(attempts=1))
    assert run.status == CirculationRun.Status.SENDING
    # The three the chunk did not reach are due now; the one tried backs off.
    assert circulation.circulation_follow_up_in(run_id=run.pk) == 0.0
    assert waiting.filter(next_attempt_at__gt=timezone.now()).count() == 1


def test_failures_can_be_sent_again(county, smtp_sink, django_capture_on_commit_callbacks):
    run = _start(django_capture_on_commit_callbacks)
    broken = run.deliveries.get(provider=county["broken"])
    broken.email = "manager@broken-address.example.org"
    broken.save()
    smtp_sink.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert circulation.circulation_resend_failures(run=run) == 1

    run.refresh_from_db()
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["manager@broken-address.example.org"]]
    assert run.status == CirculationRun.Status.COMPLETE
    with pytest.raises(circulation.CirculationError, match="no failed deliveries"):
        circulation.circulation_resend_failures(run=run)


def test_only_one_circulation_is_sent_at_a_time(county, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    CirculationRun.objects.create(version=_version())

    with pytest.raises(circulation.CirculationError, match="already being sent"):
        circulation.circulation_start()


def test_the_database_refuses_a_second_delivery_to_the_same_address_in_a_run(county):
    run = CirculationRun.objects.create(version=_version())
    provider = county["providers"][0]
    CirculationDelivery.objects.create(run=run, provider=provider, email="Same@provider.example.org")

    with pytest.raises(IntegrityError):
        CirculationDelivery.objects.create(run=run, provider=provider, email="same@PROVIDER.example.org")


def test_an_address_shared_by_two_providers_is_sent_once(smtp_sink, django_capture_on_commit_callbacks):
    first, second = ProviderOrganisationFactory.create_batch(2)
    ProviderPersonFactory(provider=first, email="office@shared.example.org")
    ProviderPersonFactory(provider=second, email="Office@Shared.example.org")

    run = _start(django_capture_on_commit_callbacks)

    assert run.deliveries.count() == 1
    assert len(smtp_sink.messages) == 1
    assert run.providers_without_recipients == [], "the second provider is reached through the shared address"


@pytest.mark.parametrize(
    ("day", "first_working_day"),
    [
        (datetime.date(2027, 1, 1), datetime.date(2027, 1, 4)),  # New Year's Day, then a weekend
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 1)),
        (datetime.date(2028, 7, 1), datetime.date(2028, 7, 3)),  # a Saturday
    ],
)
def test_first_working_day_skips_weekends_and_bank_holidays(day, first_working_day):
    assert circulation.first_working_day_of_month(day) == first_working_day


def test_the_quarterly_run_starts_once_on_the_first_working_day(
    county, smtp_sink, django_capture_on_commit_callbacks
):
    assert circulation.circulation_start_if_quarter_due(today=datetime.date(2027, 1, 1)) is None
    assert circulation.circulation_start_if_quarter_due(today=datetime.date(2027, 2, 1)) is None

    with django_capture_on_commit_callbacks(execute=True):
        run = circulation.circulation_start_if_quarter_due(today=datetime.date(2027, 1, 4))

    assert run is not None and run.scheduled
    assert circulation.circulation_start_if_quarter_due(today=datetime.date(2027, 1, 4)) is None


def _version():
    from directory.services.contact_list import contact_list_version_create

    return contact_list_version_create()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_periodic_sweep_leaves_a_run_that_is_still_sending_alone(county, settings):
    import datetime as dt

    from django.utils import timezone

    settings.CELERY_TASK_ALWAYS_EAGER = False
    run = CirculationRun.objects.create(version=_version())
    provider = county["providers"][0]
    CirculationDelivery.objects.create(run=run, provider=provider, email="a@p.example.org")
    busy = CirculationDelivery.objects.create(
        run=run, provider=provider, email="b@p.example.org", status=Status.SENT
    )

    busy.sent_at = timezone.now()
    busy.save()
    assert circulation.circulation_unfinished_run_ids(idle_for=dt.timedelta(minutes=2)) == []
    assert circulation.circulation_unfinished_run_ids() == [run.pk]

    busy.sent_at = timezone.now() - dt.timedelta(minutes=5)
    busy.save()
    assert circulation.circulation_unfinished_run_ids(idle_for=dt.timedelta(minutes=2)) == [run.pk]


def test_a_delivery_left_handed_to_the_server_is_settled_as_unconfirmed_once_no_worker_can_be_waiting(
    county, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.EMAIL_TIMEOUT = 10
    with django_capture_on_commit_callbacks(execute=False):
        run = circulation.circulation_start()
    pending = run.deliveries.filter(status=Status.PENDING).order_by("pk")
    stopped, live = pending[0], pending[1]
    now = timezone.now()
    CirculationDelivery.objects.filter(pk=stopped.pk).update(
        status=Status.SENDING, sent_at=now - datetime.timedelta(seconds=16)
    )
    CirculationDelivery.objects.filter(pk=live.pk).update(
        status=Status.SENDING, sent_at=now - datetime.timedelta(seconds=2)
    )

    chunks = circulation.circulation_due_chunks(run_id=run.pk)

    assert run.deliveries.get(pk=stopped.pk).status == Status.UNCONFIRMED
    assert run.deliveries.get(pk=live.pk).status == Status.SENDING, "a worker may still hear its answer"
    assert stopped.pk not in sum(chunks, []) and live.pk not in sum(chunks, [])
    for chunk in chunks:
        circulation.circulation_chunk_send(run_id=run.pk, delivery_ids=chunk)
    assert stopped.email not in [address for envelope in smtp_sink.messages for address in envelope.rcpt_tos]
    # The run waits for the live one to be settled: its follow-up is due when no worker could still be waiting.
    assert 0 < circulation.circulation_follow_up_in(run_id=run.pk) <= 15
    run.refresh_from_db()
    assert run.status == CirculationRun.Status.SENDING


def test_a_delivery_another_worker_has_claimed_is_abandoned_before_its_end(
    county, smtp_sink, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        run = circulation.circulation_start()
    ids = list(run.deliveries.filter(status=Status.PENDING).order_by("pk").values_list("pk", flat=True))
    taken = ids[0]
    original_update = CirculationDelivery.objects.filter(pk=taken).update

    # The other worker claims it while this one is mid-message: it does so just before this one's claim.
    from directory.services import circulation_smtp

    real_hand_over = circulation_smtp.message_hand_over

    def hand_over_racing(smtp, *, sender, recipient, stuffed, claim):
        def claim_after_the_other_worker():
            if recipient == run.deliveries.get(pk=taken).email:
                original_update(status=Status.SENDING, sent_at=timezone.now())
            return claim()

        return real_hand_over(
            smtp, sender=sender, recipient=recipient, stuffed=stuffed, claim=claim_after_the_other_worker
        )

    monkeypatch.setattr(circulation_smtp, "message_hand_over", hand_over_racing)
    outcomes = circulation.circulation_chunk_send(run_id=run.pk, delivery_ids=ids)

    assert outcomes["skipped"] == 1
    assert outcomes["sent"] == len(ids) - 1
    received = [address for envelope in smtp_sink.messages for address in envelope.rcpt_tos]
    assert run.deliveries.get(pk=taken).email not in received, "the abandoned message never arrived"
    assert len(received) == len(ids) - 1
