"""The relationship survey's scheduled jobs through a real Celery worker on Redis, with mail to a real SMTP server."""

import datetime as dt
import time

import pytest

from surveys.models import Response, SurveyCycle
from surveys.tasks import close_ended_cycles, send_survey_reminders
from surveys.tests import factories
from surveys.tests.test_responses import provider_survey
from tests.celery_worker import queued_to, wait_for

pytestmark = pytest.mark.worker

OPENS_ON, CLOSES_ON = dt.date(2026, 5, 1), dt.date(2026, 5, 31)


@pytest.fixture
def cycle() -> SurveyCycle:
    return factories.SurveyCycleFactory(
        year=2026,
        opens_on=OPENS_ON,
        closes_on=CLOSES_ON,
        reminder_days_after_opening=[7, 14],
        reminder_days_before_closing=[2],
    )


def test_the_worker_reminds_those_who_have_not_answered_once_and_delivers_the_email(
    start_worker, smtp_sink, cycle
):
    waiting = factories.InvitationFactory(cycle=cycle, email="waiting@provider.example.org")
    factories.InvitationFactory(cycle=cycle, email="answered@provider.example.org", used=True)
    worker = start_worker(beat=False)

    with queued_to(worker):
        send_survey_reminders.delay((OPENS_ON + dt.timedelta(days=7)).isoformat())
    wait_for(
        lambda: smtp_sink.messages, seconds=30, worker=worker, what="no reminder reached the SMTP server"
    )
    with queued_to(worker):
        send_survey_reminders.delay((OPENS_ON + dt.timedelta(days=7)).isoformat())
    time.sleep(2)  # long enough for a second reminder to arrive, were one sent

    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["waiting@provider.example.org"]]
    waiting.refresh_from_db()
    assert waiting.reminders_sent == ["after-7"]


def test_the_worker_closes_an_ended_cycle_keeping_half_finished_answers(start_worker, cycle):
    survey = provider_survey(cycle)
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "2"})
    worker = start_worker(beat=False)

    with queued_to(worker):
        close_ended_cycles.delay((CLOSES_ON + dt.timedelta(days=1)).isoformat())
    # The cycle is marked closed, then what was set aside is filed in a transaction of its own.
    wait_for(
        lambda: Response.objects.filter(cycle=cycle).exists(),
        seconds=30,
        worker=worker,
        what="the half-finished answers were not kept",
    )

    assert SurveyCycle.objects.get(pk=cycle.pk).closed_at is not None
    (kept,) = Response.objects.filter(cycle=cycle)
    assert kept.is_complete is False
    assert list(kept.answers.values_list("score", flat=True)) == [2]
