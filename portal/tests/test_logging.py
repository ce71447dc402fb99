"""Structured logs: JSON lines with the request's fields, read back as JSON, and never a token or an email address."""

import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from portal.structured_logs import JsonLineFormatter, log_format, request_log_context
from portal.tests.factories import OfficerFactory
from portal.tests.test_settings import _manage
from tests import celery_worker

ROOT = Path(settings.BASE_DIR)
TOKEN = "Zk3q-9xVtR_5mP0aLwE2nYbC7dFgH1jK4sU6oI8eQ0w"
EMAIL = "logged.officer@council.example.org"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "portal.example.gov.uk",
}


@pytest.fixture
def json_lines():
    """The lines the portal's loggers write while a test runs, through the JSON formatter, as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_json_is_the_default_in_production_and_text_with_debug_on():
    assert log_format({}) == "json"
    assert log_format({"DEBUG": "true"}) == "text"
    assert log_format({"DEBUG": "true", "LOG_FORMAT": "json"}) == "json"
    assert log_format({"LOG_FORMAT": "text"}) == "text"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        log_format({"LOG_FORMAT": "xml"})


def test_production_settings_write_json_lines_without_email_addresses():
    probe = (
        "import logging; logging.getLogger('portal.outbox').warning('Could not send to %s', 'p@example.org')"
    )

    result = _manage("shell", "--no-imports", "-c", probe, **PRODUCTION, LOG_FORMAT=None)

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert set(line) == {"timestamp", "level", "logger", "message"}
    assert line["level"] == "WARNING"
    assert line["logger"] == "portal.outbox"
    assert line["message"] == "Could not send to [email]"
    assert line["timestamp"].endswith("+00:00")


def test_text_lines_for_people_leave_out_the_same_things():
    probe = (
        "import logging; logging.getLogger('portal.outbox').warning('Could not send to %s', 'p@example.org')"
    )

    result = _manage("shell", "--no-imports", "-c", probe, **PRODUCTION, LOG_FORMAT="text")

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("WARNING portal.outbox: Could not send to [email]")


@pytest.mark.django_db
def test_a_refused_request_is_logged_with_its_fields_but_not_its_query(client, json_lines):
    officer = OfficerFactory(email=EMAIL)
    client.force_login(officer)

    client.get(f"/directory/providers/999999/?q={EMAIL}")

    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["method"] == "GET"
    assert line["path"] == "/directory/providers/999999/"
    assert line["status"] == 404
    assert line["user_id"] == officer.pk
    assert "@" not in json.dumps(line)


@pytest.mark.django_db
def test_a_survey_answer_page_is_logged_with_neither_its_token_nor_who_is_signed_in(client, json_lines):
    client.force_login(OfficerFactory(email=EMAIL))

    response = client.get(f"/surveys/answer/{TOKEN}/?email={EMAIL}")

    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["path"] == "/surveys/answer/[token]/"
    assert line["status"] == 404
    assert "user_id" not in line
    assert TOKEN not in json.dumps(line)
    assert "portal.user_id" not in response.wsgi_request.META


@pytest.mark.django_db
def test_a_line_written_while_a_request_is_handled_names_the_request(json_lines):
    officer = OfficerFactory(email=EMAIL)
    request = RequestFactory().post("/engagement/enquiries/new/?draft=1")
    request.user = officer

    def view(request):
        logging.getLogger("engagement.services").info("Enquiry routed to the team")
        from django.http import HttpResponse

        return HttpResponse(status=201)

    request_log_context(view)(request)

    [line] = [line for line in json_lines() if line["logger"] == "engagement.services"]
    assert line == {
        "timestamp": line["timestamp"],
        "level": "INFO",
        "logger": "engagement.services",
        "message": "Enquiry routed to the team",
        "method": "POST",
        "path": "/engagement/enquiries/new/",
        "user_id": officer.pk,
    }
    assert request.META["portal.user_id"] == str(officer.pk), "for gunicorn's access log"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Referer": f"{url}?from={EMAIL}"})  # noqa: S310 - the test's own server
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - http on 127.0.0.1
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_gunicorns_access_and_error_logs_are_json_lines_in_the_same_shape(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("gunicorn shares the test database: PostgreSQL only")
    officer = OfficerFactory(email=EMAIL)
    client = Client()
    client.force_login(officer)
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = _free_port()
    out, err = tmp_path / "access.log", tmp_path / "error.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": celery_worker.test_database_url(),
        "CONN_MAX_AGE": "0",
        "LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=stdout, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while _get_or_none(f"http://127.0.0.1:{port}/sign-in/") is None:
            assert server.poll() is None and time.monotonic() < deadline, err.read_text()
            time.sleep(0.3)
        assert _get(f"http://127.0.0.1:{port}/surveys/answer/{TOKEN}/?email={EMAIL}", cookie=session) == 404
        assert _get(f"http://127.0.0.1:{port}/", cookie=session) == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    access = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [json.loads(line) for line in err.read_text().splitlines()]
    survey = next(line for line in access if line["path"].startswith("/surveys/"))
    assert survey["logger"] == "gunicorn.access"
    assert survey["level"] == "INFO"
    assert survey["method"] == "GET"
    assert survey["path"] == "/surveys/answer/[token]/"
    assert survey["status"] == 404
    assert survey["duration_ms"] >= 0
    assert "user_id" not in survey, "signed in, but who answered the survey when is never written down"
    home = next(line for line in access if line["path"] == "/")
    assert (home["status"], home["user_id"]) == (200, officer.pk)
    assert all({"timestamp", "level", "logger", "message"} <= set(line) for line in access + errors)
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in errors)
    everything = out.read_text() + err.read_text()
    assert TOKEN not in everything
    assert "@" not in everything


def _get_or_none(url: str) -> int | None:
    try:
        return _get(url)
    except OSError:
        return None
