"""Reminders to those who have not answered: on the cycle's days, once each, never after answering or closing."""

import datetime as dt

import pytest

from portal.models import OutboxMessage
from portal.schedules import SCHEDULES
from surveys.models import SurveyCycle
from surveys.services.invitations import reminders_send
from surveys.tasks import send_survey_reminders
from surveys.tests import factories

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def waiting(cycle):
    return factories.InvitationFactory(cycle=cycle, email="waiting@provider.example.org")


def _recipients() -> list[str]:
    return [recipient for row in OutboxMessage.objects.order_by("pk") for recipient in row.recipients]


def test_seven_days_after_opening_those_who_have_not_answered_are_reminded(cycle, waiting):
    answered = factories.InvitationFactory(cycle=cycle, used=True)

    assert reminders_send(today=OPENS_ON + dt.timedelta(days=7)) == 1

    assert _recipients() == ["waiting@provider.example.org"]
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert waiting.reminders_sent == ["after-7"]
    assert answered.reminders_sent == []
    message = OutboxMessage.objects.get()
    assert "closes on 31 May 2026" in message.subject
    assert waiting.token in bytes(message.message).decode()


def test_two_days_before_closing_is_a_reminder_of_its_own(cycle, waiting):
    reminders_send(today=OPENS_ON + dt.timedelta(days=7))
    reminders_send(today=OPENS_ON + dt.timedelta(days=14))
    reminders_send(today=CLOSES_ON - dt.timedelta(days=2))

    waiting.refresh_from_db()
    assert waiting.reminders_sent == ["after-7", "after-14", "before-2"]
    assert len(_recipients()) == 3


def test_running_twice_the_same_day_sends_nothing_twice(cycle, waiting):
    day = OPENS_ON + dt.timedelta(days=7)

    assert reminders_send(today=day) == 1
    assert reminders_send(today=day) == 0

    assert len(_recipients()) == 1


@pytest.mark.parametrize("day", [OPENS_ON, OPENS_ON + dt.timedelta(days=8), CLOSES_ON])
def test_nothing_is_sent_on_other_days(cycle, waiting, day):
    assert reminders_send(today=day) == 0
    assert OutboxMessage.objects.count() == 0


def test_never_after_the_cycle_closes(cycle, waiting):
    # 1 June and 10 June: after the last day.
    cycle.reminder_days_after_opening = [31, 40]
    cycle.save()

    assert reminders_send(today=OPENS_ON + dt.timedelta(days=31)) == 0
    assert reminders_send(today=OPENS_ON + dt.timedelta(days=40)) == 0


def test_never_to_a_cycle_closed_early_by_keeping_its_answers(cycle, waiting):
    cycle.closed_at = dt.datetime(2026, 5, 2, tzinfo=dt.UTC)
    cycle.save()

    assert reminders_send(today=OPENS_ON + dt.timedelta(days=7)) == 0


def test_never_after_answering(cycle, waiting):
    day = OPENS_ON + dt.timedelta(days=7)
    waiting.used = True
    waiting.save()

    assert reminders_send(today=day) == 0


def test_the_daily_task_runs_in_process_and_is_scheduled(cycle, waiting):
    assert send_survey_reminders.delay(today=(OPENS_ON + dt.timedelta(days=14)).isoformat()).get() == 1
    # Without a date it uses today's, whatever is due.
    assert isinstance(send_survey_reminders.delay().get(), int)

    assert any(task == "surveys.tasks.send_survey_reminders" for _, task, _ in SCHEDULES)
    assert any(task == "surveys.tasks.close_ended_cycles" for _, task, _ in SCHEDULES)


def test_reminders_take_the_same_queries_however_many_are_waiting(cycle, django_assert_max_num_queries):
    for _ in range(30):
        factories.InvitationFactory(cycle=cycle)

    # One insert an email (the outbox); the rest once.
    with django_assert_max_num_queries(8 + 30):
        assert reminders_send(today=OPENS_ON + dt.timedelta(days=7)) == 30
