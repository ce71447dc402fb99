"""The daily enquiry reminders: warned the working day before, escalated once late, each at most once a day."""

import datetime as dt
from email import message_from_bytes, policy

import pytest

from directory.models import Officer
from directory.tests import factories as directory_factories
from engagement.models import Enquiry, EnquiryEvent
from engagement.services.enquiry_reminders import enquiry_reminders_send
from engagement.tasks import send_enquiry_reminders
from engagement.tests.factories_enquiries import EnquiryFactory
from portal.models import OutboxMessage

pytestmark = pytest.mark.django_db

Seniority = Officer.Seniority
FRIDAY = dt.date(2026, 6, 5)
SATURDAY, MONDAY, TUESDAY = dt.date(2026, 6, 6), dt.date(2026, 6, 8), dt.date(2026, 6, 9)
# The summer bank holiday in England: Monday 31 August 2026.
BEFORE_THE_BANK_HOLIDAY, BANK_HOLIDAY, AFTER_THE_BANK_HOLIDAY = (
    dt.date(2026, 8, 28),
    dt.date(2026, 8, 31),
    dt.date(2026, 9, 1),
)
NOTHING = {"warned": 0, "escalated": 0}


@pytest.fixture
def directorate():
    return directory_factories.DirectorateFactory(name="Commercial and Procurement")


@pytest.fixture
def team(directorate):
    return directory_factories.TeamFactory(
        name="Contract Management Mid", directorate=directorate, mailbox="contracts.mid@council.example.org"
    )


def _officer(name: str, team, seniority=Seniority.OFFICER, **fields) -> Officer:
    email = f"{name.split()[0].lower()}@council.example.org"
    return directory_factories.OfficerFactory(
        full_name=name, team=team, seniority=seniority, email=email, **fields
    )


@pytest.fixture
def officer(team):
    return _officer("Olu Officer", team)


@pytest.fixture
def manager(team):
    return _officer("Mina Manager", team, Seniority.MANAGER)


@pytest.fixture
def head_of_service(directorate):
    elsewhere = directory_factories.TeamFactory(name="Procurement", directorate=directorate)
    return _officer("Hana Head", elsewhere, Seniority.HEAD_OF_SERVICE)


@pytest.fixture
def leaders(manager, head_of_service):
    return manager, head_of_service


def _enquiry(due_on: dt.date, **fields) -> Enquiry:
    fields.setdefault("raised_by", None)
    return EnquiryFactory(due_on=due_on, **fields)


def _messages() -> list:
    return [
        message_from_bytes(bytes(row.message), policy=policy.default)
        for row in OutboxMessage.objects.order_by("pk")
    ]


def _addressed(message) -> tuple[str, str]:
    return message["To"], message["Cc"] or ""


# Warnings


def test_the_working_day_before_it_is_due_the_assignee_and_their_manager_are_warned(officer, leaders):
    due_monday = _enquiry(MONDAY, assigned_officer=officer, subject="Invoice 4471 not paid")
    _enquiry(TUESDAY, assigned_officer=officer)
    _enquiry(FRIDAY, assigned_officer=officer)
    _enquiry(
        MONDAY,
        assigned_officer=officer,
        status=Enquiry.Status.AWAITING_PROVIDER,
        paused_since=dt.datetime.now(dt.UTC),
    )
    _enquiry(
        MONDAY, assigned_officer=officer, status=Enquiry.Status.RESOLVED, resolved_at=dt.datetime.now(dt.UTC)
    )

    sent = enquiry_reminders_send(today=FRIDAY)

    assert sent == {"warned": 1, "escalated": 0}
    (message,) = _messages()
    assert _addressed(message) == ("olu@council.example.org", "mina@council.example.org")
    assert message["Subject"] == f"Enquiry {due_monday.reference} is due Monday 8 June: Invoice 4471 not paid"
    body = message.get_content()
    assert "is due to be answered by Monday 8 June 2026, the next working day" in body
    assert f"/engagement/enquiries/{due_monday.pk}/" in body
    due_monday.refresh_from_db()
    assert due_monday.warned_on == FRIDAY
    (event,) = due_monday.events.all()
    assert (event.kind, event.is_internal) == (EnquiryEvent.Kind.DUE_WARNING, True)
    assert "olu@council.example.org, mina@council.example.org" in event.text


def test_before_a_bank_holiday_monday_the_warning_is_for_tuesday(officer, leaders):
    _enquiry(AFTER_THE_BANK_HOLIDAY, assigned_officer=officer)

    assert enquiry_reminders_send(today=dt.date(2026, 8, 27)) == NOTHING
    assert enquiry_reminders_send(today=BEFORE_THE_BANK_HOLIDAY) == {"warned": 1, "escalated": 0}
    assert enquiry_reminders_send(today=BANK_HOLIDAY) == NOTHING
    assert enquiry_reminders_send(today=AFTER_THE_BANK_HOLIDAY) == NOTHING
    assert OutboxMessage.objects.count() == 1


def test_nothing_is_sent_on_a_weekend_or_a_bank_holiday(officer, leaders):
    _enquiry(FRIDAY - dt.timedelta(days=7), assigned_officer=officer)
    _enquiry(MONDAY, assigned_officer=officer)
    _enquiry(BANK_HOLIDAY - dt.timedelta(days=3), assigned_officer=officer)

    assert enquiry_reminders_send(today=SATURDAY) == NOTHING
    assert enquiry_reminders_send(today=BANK_HOLIDAY) == NOTHING
    assert OutboxMessage.objects.count() == 0
    assert EnquiryEvent.objects.count() == 0


def test_a_second_run_the_same_day_sends_nothing_more(officer, leaders):
    _enquiry(MONDAY, assigned_officer=officer)
    _enquiry(FRIDAY - dt.timedelta(days=1), assigned_officer=officer)
    assert enquiry_reminders_send(today=FRIDAY) == {"warned": 1, "escalated": 1}

    assert enquiry_reminders_send(today=FRIDAY) == NOTHING
    assert OutboxMessage.objects.count() == 2
    assert EnquiryEvent.objects.count() == 2


def test_an_enquiry_with_the_team_warns_the_team_mailbox_and_its_manager(team, leaders):
    _enquiry(MONDAY, assigned_officer=None, assigned_team=team)

    enquiry_reminders_send(today=FRIDAY)

    (message,) = _messages()
    assert _addressed(message) == ("contracts.mid@council.example.org", "mina@council.example.org")


def test_an_assignee_no_longer_in_post_is_replaced_by_the_team_mailbox(team, leaders):
    gone = _officer("Gus Gone", team, active_to=FRIDAY - dt.timedelta(days=1))
    _enquiry(MONDAY, assigned_officer=gone)

    enquiry_reminders_send(today=FRIDAY)

    (message,) = _messages()
    assert message["To"] == "contracts.mid@council.example.org"


def test_the_manager_is_the_most_senior_in_the_team_other_than_the_assignee(team, manager):
    other_manager = _officer("Max Manager", team, Seniority.MANAGER)
    _officer("Retired Head", team, Seniority.HEAD_OF_SERVICE, active_to=FRIDAY - dt.timedelta(days=30))
    _enquiry(MONDAY, assigned_officer=manager)
    _enquiry(MONDAY, assigned_officer=other_manager)

    enquiry_reminders_send(today=FRIDAY)

    assert sorted(_addressed(message) for message in _messages()) == [
        ("max@council.example.org", "mina@council.example.org"),
        ("mina@council.example.org", "max@council.example.org"),
    ]


def test_a_head_of_service_in_the_team_is_its_manager(team, officer, manager):
    _officer("Hal Head", team, Seniority.HEAD_OF_SERVICE)
    _enquiry(MONDAY, assigned_officer=officer)

    enquiry_reminders_send(today=FRIDAY)

    (message,) = _messages()
    assert _addressed(message) == ("olu@council.example.org", "hal@council.example.org")


def test_an_assignee_with_no_manager_is_warned_alone(officer):
    _enquiry(MONDAY, assigned_officer=officer)

    enquiry_reminders_send(today=FRIDAY)

    (message,) = _messages()
    assert _addressed(message) == ("olu@council.example.org", "")


# Escalations


def test_an_overdue_enquiry_is_escalated_to_the_manager_and_head_of_service(officer, leaders):
    late = _enquiry(FRIDAY, assigned_officer=officer, subject="Invoice 4471 not paid")

    sent = enquiry_reminders_send(today=MONDAY)

    assert sent == {"warned": 0, "escalated": 1}
    (message,) = _messages()
    assert message["To"] == "mina@council.example.org, hana@council.example.org"
    assert message["Cc"] is None
    assert message["Subject"] == f"Overdue enquiry {late.reference}: Invoice 4471 not paid"
    assert (
        "was promised an answer by Friday 5 June 2026 and is now 1 working day late" in message.get_content()
    )
    late.refresh_from_db()
    assert late.escalated_on == MONDAY
    (event,) = late.events.all()
    assert (event.kind, event.is_internal) == (EnquiryEvent.Kind.ESCALATED, True)


def test_an_overdue_enquiry_is_escalated_again_each_working_day_but_once_a_day(officer, leaders):
    _enquiry(FRIDAY, assigned_officer=officer)

    runs = [enquiry_reminders_send(today=day) for day in (MONDAY, MONDAY, TUESDAY, TUESDAY)]

    assert [run["escalated"] for run in runs] == [1, 0, 1, 0]
    assert "is now 2 working days late" in _messages()[-1].get_content()
    assert EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.ESCALATED).count() == 2


def test_a_paused_or_resolved_enquiry_is_never_escalated(officer, leaders):
    now = dt.datetime.now(dt.UTC)
    _enquiry(FRIDAY, assigned_officer=officer, status=Enquiry.Status.AWAITING_PROVIDER, paused_since=now)
    _enquiry(FRIDAY, assigned_officer=officer, status=Enquiry.Status.RESOLVED, resolved_at=now)

    assert enquiry_reminders_send(today=MONDAY) == NOTHING


def test_a_team_with_no_manager_in_post_hears_of_it_through_its_mailbox(team, officer):
    _enquiry(FRIDAY, assigned_officer=officer)

    enquiry_reminders_send(today=MONDAY)

    (message,) = _messages()
    assert message["To"] == "contracts.mid@council.example.org"


# Delivery, the task and its schedule


def test_the_reminders_reach_a_real_smtp_server_once_committed(
    officer, leaders, smtp_sink, django_capture_on_commit_callbacks
):
    _enquiry(MONDAY, assigned_officer=officer)

    with django_capture_on_commit_callbacks(execute=True):
        enquiry_reminders_send(today=FRIDAY)

    assert [sorted(envelope.rcpt_tos) for envelope in smtp_sink.messages] == [
        ["mina@council.example.org", "olu@council.example.org"]
    ]


def test_the_daily_task_runs_the_reminders_through_celery(officer, leaders, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _enquiry(MONDAY, assigned_officer=officer)
    _enquiry(FRIDAY - dt.timedelta(days=2), assigned_officer=officer)

    result = send_enquiry_reminders.delay(today=FRIDAY.isoformat())

    assert result.get() == {"warned": 1, "escalated": 1}
    assert OutboxMessage.objects.count() == 2
    assert send_enquiry_reminders.delay(today=FRIDAY.isoformat()).get() == NOTHING


def test_the_task_is_scheduled_every_morning_at_half_past_seven_london_time():
    from django_celery_beat.models import PeriodicTask

    from portal.schedules import ensure_periodic_tasks

    ensure_periodic_tasks()

    task = PeriodicTask.objects.get(task="engagement.tasks.send_enquiry_reminders")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, crontab.day_of_month) == ("30", "7", "*", "*")
    assert str(crontab.timezone) == "Europe/London"
