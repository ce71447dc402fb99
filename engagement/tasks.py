"""Celery tasks of engagement: thin wrappers around services, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from engagement.services.enquiry_figures import enquiry_figures_keep, enquiry_figures_nightly
from engagement.services.enquiry_reminders import enquiry_reminders_send


@shared_task(ignore_result=True)
def send_enquiry_reminders(today: str | None = None) -> dict[str, int]:
    """Warn of enquiries due the next working day and escalate overdue ones; `today` (YYYY-MM-DD) for a rerun."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return enquiry_reminders_send(today=day)


@shared_task(ignore_result=True)
def refresh_enquiry_figures(first_month: str, last_month: str, today: str) -> int:
    """Count the directors' enquiry figures for a range again and keep them."""
    kept = enquiry_figures_keep(
        first_month=date.fromisoformat(first_month),
        last_month=date.fromisoformat(last_month),
        today=date.fromisoformat(today),
    )
    return kept.pk


@shared_task(ignore_result=True)
def count_enquiry_figures_for_the_day(today: str | None = None) -> int:
    """Each night: the default range's figures for the new day, so the first visit does not wait."""
    return enquiry_figures_nightly(today=date.fromisoformat(today) if today else timezone.localdate()).pk
