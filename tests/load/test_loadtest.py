"""`make loadtest` in small: the runner at scale 1 with one short step per crowd, under gunicorn with a worker.

It judges no time (CI's shared cores would make that a coin toss): it asserts that the crowd met no error,
asked for every page of the mix, and that the figures file and the report have the shape the README describes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from conftest import require_service

pytestmark = pytest.mark.load

BASE_DIR = Path(settings.BASE_DIR)
# Every page of the mixed crowd, by the name the report gives it.
MIXED_PAGES = {
    "sign-in page",
    "sign in",
    "sign in: second step",  # the officer's and the director's accounts take it
    "home (provider)",
    "who's-who search",
    "contact finder",
    "forward plan",
    "booking page",
    "book a place",
    "my bookings",
    "cancel page",
    "cancel a booking",
    "my enquiries",
    "enquiry form",
    "raise an enquiry",
    "enquiry page",
    "own provider page",
    "partnership register",
    "home (officer)",
    "officer queue",
    "enquiry page (officer)",
    "provider list",
    "provider page",
    "home (director)",
    "directors' dashboard",
    "relationship overview",
    "enquiry figures",
}
RESULT_KEYS = {
    "date",
    "machine",
    "scale",
    "targets",
    "settings",
    "floor",
    "mixed",
    "mixed_to_floor",
    "emails_received_by_sink",
    "load_generator",
    "duration_seconds",
}
CROWD_KEYS = {"highest_held", "limit_found", "steps", "pages_requested"}
MACHINE_KEYS = {"cpus", "cpu_model", "memory_gb", "system", "python", "postgresql"}
STEP_KEYS = {
    "users",
    "seconds",
    "requests",
    "rps",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "errors",
    "held",
    "pages",
    "errors_seen",
}
PAGE_KEYS = {"name", "method", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors"}


def _load_database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the load test runs on PostgreSQL")
    credentials = f"{quote(database['USER'], safe='')}:{quote(database['PASSWORD'], safe='')}"
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/portal_loadtests"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One short run for every test here: its figures file and what it printed."""
    database_url = require_service("PostgreSQL", _load_database_url())
    broker_url = require_service("Redis", os.environ.get("CELERY_BROKER_URL"))
    output = tmp_path_factory.mktemp("load") / "results.json"
    command = [
        *(sys.executable, "-m", "tests.load.run", "--scale", "1", "--database-url", database_url),
        *("--max-steps", "1", "--settle-seconds", "1", "--step-seconds", "4", "--pace", "0.3"),
        *("--output", str(output)),
    ]
    environment = {**os.environ, "CELERY_BROKER_URL": broker_url}
    runner = subprocess.Popen(
        command, cwd=BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        printed, problems = runner.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        # Terminated, not killed, so that it stops the servers it started.
        runner.terminate()
        printed, problems = runner.communicate(timeout=60)
        pytest.fail(f"the load test did not finish within 240s:\n{problems[-4000:]}")
    assert runner.returncode == 0, problems[-4000:]
    return json.loads(output.read_text()), printed


def test_neither_crowd_met_an_error(run):
    results, _ = run
    for crowd in ("floor", "mixed"):
        for step in results[crowd]["steps"]:
            assert step["errors"] == 0, step["errors_seen"]
            assert step["errors_seen"] == []
            assert step["requests"] > 0


def test_every_page_of_the_mix_was_requested(run):
    results, _ = run
    assert set(results["mixed"]["pages_requested"]) == MIXED_PAGES
    assert set(results["floor"]["pages_requested"]) == {
        "floor",
        "sign-in page",
        "sign in",
        "sign in: second step",
    }


def test_the_worker_delivered_the_emails_the_crowd_caused(run):
    """Bookings, cancellations and enquiries each email the provider: through the worker to the SMTP sink."""
    results, _ = run
    assert results["emails_received_by_sink"] > 0


def test_figures_file_has_the_documented_shape(run):
    results, _ = run
    assert set(results) == RESULT_KEYS
    assert set(results["machine"]) == MACHINE_KEYS
    assert results["scale"] == 1
    assert results["targets"] == {"errors": 0, "p95_ms": 500, "p95_judged_from_requests": 20}
    for crowd in ("floor", "mixed"):
        assert set(results[crowd]) == CROWD_KEYS
        assert len(results[crowd]["steps"]) == 1
        for step in results[crowd]["steps"]:
            assert set(step) == STEP_KEYS
            assert step["users"] == 10
            assert all(set(page) == PAGE_KEYS for page in step["pages"])
            assert sum(page["requests"] for page in step["pages"]) == step["requests"]
        held = results[crowd]["highest_held"]
        assert held is None or held in results[crowd]["steps"]
    if results["floor"]["highest_held"] and results["mixed"]["highest_held"]:
        ratio = results["mixed"]["highest_held"]["rps"] / results["floor"]["highest_held"]["rps"]
        assert results["mixed_to_floor"] == round(ratio, 2)
    else:
        assert results["mixed_to_floor"] is None
    assert results["load_generator"]["cpu_seconds"] > 0


def test_report_is_a_markdown_table_of_each_step(run):
    _, printed = run
    assert "| Crowd | Users | Requests/s | p50 ms | p95 ms | p99 ms | Errors | Held |" in printed
    assert "| floor | 10 |" in printed
    assert "| mixed | 10 |" in printed
