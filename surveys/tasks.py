"""Celery tasks of the relationship survey: thin wrappers around services, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from surveys.models import SurveyCycle
from surveys.selectors.respond import cycles_to_close
from surveys.services.invitations import reminders_send
from surveys.services.responses import cycle_close, sent_answers_file
from surveys.services.results import survey_results_keep


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task(ignore_result=True)
def send_survey_reminders(today: str | None = None) -> int:
    """Remind those who have not answered an open cycle on its reminder days; `today` (YYYY-MM-DD) for a rerun."""
    return reminders_send(today=_day(today))


@shared_task(ignore_result=True)
def close_cycle(cycle_id: int, today: str | None = None) -> int:
    """Keep a closed cycle's half-finished answers as incomplete responses."""
    return cycle_close(cycle=SurveyCycle.objects.get(pk=cycle_id), today=_day(today))


@shared_task(ignore_result=True)
def close_ended_cycles(today: str | None = None) -> dict[int, int]:
    """Each day: close every cycle whose last day has passed, keeping its half-finished answers."""
    day = _day(today)
    return {cycle.year: cycle_close(cycle=cycle, today=day) for cycle in cycles_to_close(day)}


@shared_task(ignore_result=True)
def refresh_survey_results(cycle_id: int) -> int:
    """Count a cycle's survey results again and keep them."""
    return survey_results_keep(cycle=SurveyCycle.objects.get(pk=cycle_id)).pk


@shared_task(ignore_result=True)
def file_sent_answers() -> int:
    """File as responses any sent answers a failed request left aside."""
    return len(sent_answers_file())
