"""Celery tasks of the portal itself: thin wrappers around services, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from portal.models import Heartbeat
from portal.outbox import services as outbox


@shared_task(ignore_result=True)
def deliver_outbox_message(message_id: int) -> str:
    return outbox.outbox_message_deliver(message_id=message_id)


@shared_task(ignore_result=True)
def flush_outbox() -> dict[str, int]:
    return outbox.outbox_flush()


@shared_task(ignore_result=True)
def record_heartbeat(source: str = "beat") -> None:
    Heartbeat.objects.update_or_create(source=source, defaults={"beat_at": timezone.now()})
