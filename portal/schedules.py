"""Every periodic task of the portal, in one place.

They are written to django-celery-beat's tables after each migrate, only when missing, so that an
administrator's later changes in the admin are kept.
"""

from dataclasses import dataclass

TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class Crontab:
    """A time of day on given days, in the council's time zone, as cron writes it."""

    minute: str = "0"
    hour: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"


SCHEDULES = [
    # (name, task, every N seconds or a Crontab)
    ("Record the worker heartbeat", "portal.tasks.record_heartbeat", 60),
    ("Deliver due outbox messages", "portal.tasks.flush_outbox", 60),
    (
        "Email owners their who's-who entries that need checking",
        "directory.tasks.send_stale_entry_reminders",
        Crontab(minute="0", hour="8", day_of_month="1"),
    ),
    (
        # Runs on the first days of each quarter; the task starts the run on the first working day only, once.
        "Circulate the contact list to every provider each quarter",
        "directory.tasks.start_quarterly_circulation",
        Crontab(minute="0", hour="9", day_of_month="1-7", month_of_year="1,4,7,10"),
    ),
    ("Carry on interrupted circulations", "directory.tasks.resume_circulations", 300),
    (
        # Every day; on weekends and bank holidays the task sends nothing.
        "Warn of enquiries due tomorrow and escalate overdue ones",
        "engagement.tasks.send_enquiry_reminders",
        Crontab(minute="30", hour="7"),
    ),
    (
        "Count the directors' enquiry figures for the new day",
        "engagement.tasks.count_enquiry_figures_for_the_day",
        Crontab(minute="10", hour="0"),
    ),
    (
        # Every day; the task sends only on a cycle's reminder days, and never twice the same reminder.
        "Remind those who have not answered the relationship survey",
        "surveys.tasks.send_survey_reminders",
        Crontab(minute="0", hour="10"),
    ),
    ("File relationship survey answers left aside", "surveys.tasks.file_sent_answers", 300),
    (
        "Close ended relationship surveys, keeping half-finished answers",
        "surveys.tasks.close_ended_cycles",
        Crontab(minute="20", hour="0"),
    ),
]


def ensure_periodic_tasks(**kwargs) -> None:
    from django_celery_beat.models import PeriodicTask

    for name, task, when in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        PeriodicTask.objects.create(name=name, task=task, **_schedule(when))


def _schedule(when: int | Crontab) -> dict:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if isinstance(when, Crontab):
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=when.minute,
            hour=when.hour,
            day_of_month=when.day_of_month,
            month_of_year=when.month_of_year,
            day_of_week=when.day_of_week,
            timezone=TIME_ZONE,
        )
        return {"crontab": crontab}
    interval, _ = IntervalSchedule.objects.get_or_create(every=when, period=IntervalSchedule.SECONDS)
    return {"interval": interval}
