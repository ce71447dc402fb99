"""Celery tasks of engagement: thin wrappers around services, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from engagement.services.enquiry_reminders import enquiry_reminders_send


@shared_task(ignore_result=True)
def send_enquiry_reminders(today: str | None = None) -> dict[str, int]:
    """Warn of enquiries due the next working day and escalate overdue ones; `today` (YYYY-MM-DD) for a rerun."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return enquiry_reminders_send(today=day)
