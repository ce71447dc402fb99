"""/healthz: database, broker and heartbeat, for the load balancer and the uptime monitor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import require_service
from portal.models import Heartbeat

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker(settings):
    return require_service("Redis", settings.CELERY_BROKER_URL)


def _beat(seconds_ago: float) -> None:
    Heartbeat.objects.create(source="beat", beat_at=timezone.now() - timedelta(seconds=seconds_ago))


def test_healthz_is_ok_with_a_fresh_heartbeat_and_a_reachable_broker(db, client, broker):
    _beat(seconds_ago=5)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == {"ok": True, "detail": "postgresql"}
    assert report["broker"] == {"ok": True, "detail": "reachable"}
    assert report["heartbeat"]["ok"] is True
    assert 5 <= report["heartbeat"]["age_seconds"] < 60


def test_healthz_is_open_to_anonymous_visitors_and_answers_json(db, client):
    response = client.get(reverse("healthz"))

    assert response.status_code in {200, 503}
    assert response["Content-Type"] == "application/json"
    assert {"database", "broker", "heartbeat"} <= response.json().keys()
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_unhealthy_with_a_stale_heartbeat(db, client, settings, broker):
    _beat(seconds_ago=settings.HEARTBEAT_MAX_AGE_SECONDS + 30)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "unhealthy"
    assert report["heartbeat"]["ok"] is False
    assert report["heartbeat"]["age_seconds"] > settings.HEARTBEAT_MAX_AGE_SECONDS
    assert report["broker"]["ok"] is True


def test_healthz_is_unhealthy_before_any_heartbeat(db, client, broker):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["heartbeat"] == {
        "ok": False,
        "detail": "no heartbeat recorded yet",
        "age_seconds": None,
    }


def test_healthz_is_unhealthy_when_the_broker_is_unreachable(db, client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    _beat(seconds_ago=5)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    report = response.json()
    assert report["broker"]["ok"] is False
    assert "Connection refused" in report["broker"]["detail"]
    assert report["database"]["ok"] is True


def test_healthz_is_unhealthy_when_the_database_is_unavailable(db, client, settings, django_db_blocker):
    settings.CELERY_BROKER_URL = ""

    # pytest-django's blocker makes every new cursor fail, as a lost database connection would.
    with django_db_blocker.block():
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    report = response.json()
    assert report["database"]["ok"] is False
    assert report["heartbeat"] == {"ok": False, "detail": "database unavailable", "age_seconds": None}


def test_healthz_without_a_broker_reports_tasks_running_in_process(db, client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    report = response.json()
    assert report["broker"]["ok"] is True
    assert "in-process" in report["broker"]["detail"]
    assert report["heartbeat"]["ok"] is True
