"""Celery tasks of the who's-who: thin wrappers around services, safe to run twice."""

from datetime import date, timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from directory.services import circulation, verification


@shared_task(ignore_result=True)
def send_stale_entry_reminders(month: str | None = None) -> int:
    """Email each owner their entries needing checking; `month` (YYYY-MM-DD) defaults to this month."""
    day = date.fromisoformat(month) if month else timezone.localdate()
    return verification.stale_entry_reminders_send(month=day)


@shared_task(ignore_result=True)
def send_circulation(run_id: int) -> int:
    """Queue a chunk task for each chunk of the run's deliveries that are due; returns how many chunks."""
    chunks = circulation.circulation_due_chunks(run_id=run_id)
    for chunk in chunks:
        send_circulation_chunk.delay(run_id, chunk)
    if not chunks and not settings.CELERY_TASK_ALWAYS_EAGER:
        # Nothing due now, but something backing off or to be settled: look again when it is due.
        wait = circulation.circulation_follow_up_in(run_id=run_id)
        if wait:
            send_circulation.apply_async((run_id,), countdown=max(wait, 1))
    return len(chunks)


@shared_task(ignore_result=True, acks_late=True)
def send_circulation_chunk(run_id: int, delivery_ids: list[int]) -> dict[str, int]:
    outcomes = circulation.circulation_chunk_send(run_id=run_id, delivery_ids=delivery_ids)
    wait = circulation.circulation_follow_up_in(run_id=run_id)
    # Deliveries backing off, or left mid-hand-over by a stopped worker, are looked at again when due. Those due
    # now are in other chunks already queued, unless this chunk stopped early. In-process tasks leave it to the
    # next sweep.
    if wait is not None and (wait > 0 or outcomes["retry"]) and not settings.CELERY_TASK_ALWAYS_EAGER:
        send_circulation.apply_async((run_id,), countdown=max(wait, 1))
    return outcomes


@shared_task(ignore_result=True)
def resume_circulations(idle_seconds: int = 120) -> int:
    """Carry on every run still sending that has stalled, for example because the worker was killed."""
    run_ids = circulation.circulation_unfinished_run_ids(idle_for=timedelta(seconds=idle_seconds))
    for run_id in run_ids:
        send_circulation.delay(run_id)
    return len(run_ids)


@shared_task(ignore_result=True)
def start_quarterly_circulation() -> int | None:
    run = circulation.circulation_start_if_quarter_due(today=timezone.localdate())
    return run.pk if run else None


@worker_ready.connect
def _resume_when_the_worker_starts(**kwargs) -> None:
    # A worker starting up is the moment to carry on whatever the last one left half done.
    resume_circulations.delay(idle_seconds=0)
