"""Celery tasks of the who's-who: thin wrappers around services, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from directory.services import verification


@shared_task(ignore_result=True)
def send_stale_entry_reminders(month: str | None = None) -> int:
    """Email each owner their entries needing checking; `month` (YYYY-MM-DD) defaults to this month."""
    day = date.fromisoformat(month) if month else timezone.localdate()
    return verification.stale_entry_reminders_send(month=day)
