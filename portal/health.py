"""The state of the services the portal depends on, for /healthz."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.models import Heartbeat


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return Check(False, f"{type(error).__name__}: {error}")
    return Check(True, connection.vendor)


def check_broker() -> Check:
    if not settings.CELERY_BROKER_URL:
        return Check(True, "not configured: tasks run in-process")
    from portal.celery import app

    try:
        # One quick retry, not kombu's default two-second sleep before it: a probe must answer promptly.
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as error:  # noqa: BLE001
        return Check(False, f"{type(error).__name__}: {error}")
    return Check(True, "reachable")


def check_heartbeat() -> tuple[Check, float | None]:
    if not settings.CELERY_BROKER_URL:
        return Check(True, "not applicable: no worker without a broker"), None
    try:
        beat_at = Heartbeat.objects.filter(source="beat").values_list("beat_at", flat=True).first()
    except Exception as error:  # noqa: BLE001
        return Check(False, f"{type(error).__name__}: {error}"), None
    if beat_at is None:
        return Check(False, "no heartbeat recorded yet"), None
    age = (timezone.now() - beat_at).total_seconds()
    if age > settings.HEARTBEAT_MAX_AGE_SECONDS:
        return Check(False, f"last heartbeat {age:.0f}s ago"), age
    return Check(True, f"last heartbeat {age:.0f}s ago"), age


def health_report() -> tuple[bool, dict]:
    database = check_database()
    broker = check_broker()
    heartbeat, age = check_heartbeat() if database.ok else (Check(False, "database unavailable"), None)
    healthy = database.ok and broker.ok and heartbeat.ok
    return healthy, {
        "status": "ok" if healthy else "unhealthy",
        "database": {"ok": database.ok, "detail": database.detail},
        "broker": {"ok": broker.ok, "detail": broker.detail},
        "heartbeat": {"ok": heartbeat.ok, "detail": heartbeat.detail, "age_seconds": age},
    }
