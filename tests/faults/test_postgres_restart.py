"""PostgreSQL is killed and restarted while providers book, respondents answer the survey and an editor
hands over an officer's duties.

The portal runs under gunicorn against a PostgreSQL cluster of the test's own. Mid-traffic the cluster is
killed (`pg_ctl restart -m immediate`: no checkpoint, crash recovery on start) and the traffic carries on.
Then the database is read directly: every action is there whole or not at all, and every action the portal
confirmed to its user is there. Requests that fail while the server is down are counted; none may fail once
it is back.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.faults.conftest import PrivatePostgres, free_port, port_open, require_program, wait_until

# The test database is read only for its schema, which the private cluster is given.
pytestmark = [pytest.mark.faults, pytest.mark.django_db]

BASE_DIR = Path(settings.BASE_DIR)
BOOKERS = 4
BOOKINGS_EACH = 12
RESPONDENTS = 2
RESPONSES_EACH = 12
HANDOVERS = 6
QUESTIONS = 3
# The cluster is killed once this share of the actions has been answered; a user who gets this far through
# their own actions waits for the restart, so that every kind of action is made after it too.
RESTART_AFTER = 0.4
HOLD_AT = 0.75
SEED_MARK = "SEEDED "
ATTEMPTS = 3


def seed_traffic() -> None:
    """Run in a portal process against the private cluster: the people and records the traffic needs.

    Prints, after SEED_MARK, the session keys to sign in with and the primary keys and tokens to use.
    """
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management.sql import emit_post_migrate_signal

    from directory.tests import factories as directory
    from engagement.tests.factories_bookings import forum, provider_with_user
    from portal import roles
    from portal.second_step import services as second_step
    from portal.tests.factories import OfficerFactory as CouncilUserFactory
    from surveys.models import Audience
    from surveys.tests import factories as surveys

    # The schema came from pg_dump; roles, permissions and schedules are made after a migrate.
    emit_post_migrate_signal(0, False, "default")

    def session_of(user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[second_step.SESSION_KEY] = second_step.PASSED  # signed in as a test's force_login would
        session.create()
        return session.session_key

    activity = forum(title="County provider forum", capacity=1000)
    bookers = [provider_with_user(f"Booking Care {number} Ltd")[1] for number in range(BOOKERS)]
    cycle = surveys.SurveyCycleFactory(year=dt.date.today().year)
    questionnaire = surveys.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    questions = [surveys.AgreementQuestionFactory(questionnaire=questionnaire) for _ in range(QUESTIONS)]
    invitations = surveys.InvitationFactory.create_batch(RESPONDENTS * RESPONSES_EACH, cycle=cycle)
    handovers = []
    for number in range(HANDOVERS):
        leaving = directory.OfficerFactory(full_name=f"Leaving Officer {number}")
        directory.ResponsibilityFactory.create_batch(2, officer=leaving)
        for provider_number in range(2):
            provider = directory.ProviderOrganisationFactory(contract_manager=leaving)
            directory.ProviderPersonFactory(
                provider=provider, email=f"handover{number}-{provider_number}@provider.example.org"
            )
        directory.OfficerFactory(deputy=leaving)
        successor = directory.OfficerFactory(full_name=f"Successor Officer {number}")
        handovers.append({"leaving": leaving.pk, "successor": successor.pk})
    editor = CouncilUserFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR])
    print(
        SEED_MARK
        + json.dumps(
            {
                "activity": activity.pk,
                "bookers": [session_of(user) for user in bookers],
                "tokens": [invitation.token for invitation in invitations],
                "questions": [question.pk for question in questions],
                "handovers": handovers,
                "editor": session_of(editor),
            }
        )
    )


@dataclass
class Traffic:
    """Every attempt made: when it started and ended and how it went. `answered` counts finished actions."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: int = 0
    outcomes: list = field(default_factory=list)
    confirmed: dict = field(default_factory=lambda: {"booking": [], "response": [], "handover": []})
    restarted: threading.Event = field(default_factory=threading.Event)

    def hold(self, done: int, of: int) -> None:
        if done == int(of * HOLD_AT):
            self.restarted.wait(timeout=120)

    def record(self, kind: str, key, started: float, outcome: str, *, finished: bool) -> None:
        with self.lock:
            self.outcomes.append((kind, started, time.monotonic(), outcome))
            self.answered += finished
            if outcome == "done":
                self.confirmed[kind].append(key)

    def done(self, kind: str, *, started_after: float = 0.0, finished_before: float = float("inf")) -> int:
        return sum(
            1
            for entry in self.outcomes
            if entry[0] == kind
            and entry[3] == "done"
            and entry[1] >= started_after
            and entry[2] <= finished_before
        )

    def failures(self, *, started_after: float = 0.0) -> list:
        return [
            entry for entry in self.outcomes if entry[3].startswith("error") and entry[1] >= started_after
        ]


class Portal:
    """gunicorn serving the portal against the private cluster, as the web process does in production."""

    def __init__(self, database_url: str, folder: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url,
            # The broker is down as well: each action's email must wait in the outbox.
            "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(folder / "media"),
        }
        self.process: subprocess.Popen | None = None
        self.seed: dict = {}

    def manage(self, *arguments: str) -> str:
        command = [sys.executable, "manage.py", *arguments]
        result = subprocess.run(
            command, cwd=BASE_DIR, env=self.environment, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return result.stdout

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5"]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.environment, stdout=output, stderr=subprocess.STDOUT
            )
        wait_until(lambda: port_open(self.port), seconds=60, what="gunicorn did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown: no waiting on kept-alive connections
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def private_postgres(django_db_setup, django_db_blocker):
    """A private cluster holding the test database's schema (pg_dump is much faster than migrating anew)."""
    cluster = PrivatePostgres()
    try:
        cluster.start()
        with django_db_blocker.unblock():
            source = connection.settings_dict
        address = [
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"],
        ]
        dump = subprocess.run(
            [
                require_program("pg_dump"),
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                *address,
                source["NAME"],
            ],
            env={**os.environ, "PGPASSWORD": source["PASSWORD"]},
            capture_output=True,
            check=True,
            timeout=60,
        )
        subprocess.run(
            [require_program("psql"), "-q", "-v", "ON_ERROR_STOP=1", cluster.url()],
            input=dump.stdout,
            capture_output=True,
            check=True,
            timeout=60,
        )
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def portal(private_postgres):
    portal = Portal(private_postgres.url(), private_postgres.folder)
    output = portal.manage(
        "shell", "-c", "from tests.faults.test_postgres_restart import seed_traffic; seed_traffic()"
    )
    portal.seed = json.loads(output.split(SEED_MARK, 1)[1])
    portal.start()
    try:
        yield portal
    finally:
        portal.stop()


def _signed_in(session_key: str | None) -> requests.Session:
    browser = requests.Session()
    if session_key:
        browser.cookies.set("sessionid", session_key, domain="127.0.0.1")
    return browser


def _post_form(browser: requests.Session, url: str, data: dict) -> requests.Response:
    """As a browser does: the form page first (which sets the CSRF cookie), then the form sent back."""
    page = browser.get(url, timeout=30)
    if page.status_code != 200:
        return page
    token = browser.cookies.get("csrftoken")
    return browser.post(url, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30)


def _act(traffic: Traffic, kind: str, key, action) -> None:
    """One user action; after a server error the user waits a moment and tries again, up to ATTEMPTS times."""
    for attempt in range(1, ATTEMPTS + 1):
        started = time.monotonic()
        try:
            response = action()
        except requests.RequestException as error:
            outcome = f"error: {type(error).__name__}"
        else:
            if response.status_code == 302:
                outcome = "done"
            elif response.status_code >= 500:
                outcome = f"error: {response.status_code}"
            else:
                outcome = f"refused: {response.status_code}"
        finished = not outcome.startswith("error") or attempt == ATTEMPTS
        traffic.record(kind, key, started, outcome, finished=finished)
        if finished:
            return
        time.sleep(0.3)


def _book(portal: Portal, traffic: Traffic, number: int) -> None:
    browser = _signed_in(portal.seed["bookers"][number])
    url = portal.base + reverse("engagement:book", args=[portal.seed["activity"]])
    for booking in range(BOOKINGS_EACH):
        traffic.hold(booking, BOOKINGS_EACH)
        email = f"attendee{number}-{booking}@provider.example.org"
        _act(
            traffic,
            "booking",
            email,
            lambda email=email: _post_form(browser, url, {"name_1": f"Attendee {email}", "email_1": email}),
        )


def _respond(portal: Portal, traffic: Traffic, number: int) -> None:
    answers = {f"question_{pk}": "4" for pk in portal.seed["questions"]}
    for done, token in enumerate(portal.seed["tokens"][number::RESPONDENTS]):
        traffic.hold(done, RESPONSES_EACH)
        url = portal.base + reverse("surveys:respond", args=[token])
        _act(traffic, "response", token, lambda url=url: _post_form(_signed_in(None), url, answers))


def _hand_over(portal: Portal, traffic: Traffic) -> None:
    browser = _signed_in(portal.seed["editor"])
    today = timezone.localdate()
    for done, handover in enumerate(portal.seed["handovers"]):
        traffic.hold(done, HANDOVERS)
        url = portal.base + reverse("directory:officer-hand-over", args=[handover["leaving"]])
        data = {
            "successor": handover["successor"],
            "effective_on_0": today.day,
            "effective_on_1": today.month,
            "effective_on_2": today.year,
            "note": "Leaving the council",
        }
        _act(
            traffic,
            "handover",
            handover["leaving"],
            lambda url=url, data=data: _post_form(browser, url, data),
        )


def _run_traffic(portal: Portal, cluster: PrivatePostgres) -> tuple[Traffic, float, float]:
    traffic = Traffic()
    threads = [threading.Thread(target=_book, args=(portal, traffic, n)) for n in range(BOOKERS)]
    threads += [threading.Thread(target=_respond, args=(portal, traffic, n)) for n in range(RESPONDENTS)]
    threads.append(threading.Thread(target=_hand_over, args=(portal, traffic)))
    total = BOOKERS * BOOKINGS_EACH + RESPONDENTS * RESPONSES_EACH + HANDOVERS
    for thread in threads:
        thread.start()
    try:
        wait_until(
            lambda: traffic.answered >= total * RESTART_AFTER, seconds=120, what="the traffic did not flow"
        )
        restart_began = time.monotonic()
        cluster.restart_immediately()
        restart_ended = time.monotonic()
    finally:
        traffic.restarted.set()
    for thread in threads:
        thread.join(timeout=180)
    assert traffic.answered == total
    return traffic, restart_began, restart_ended


def _rows(cluster: PrivatePostgres, sql: str, *parameters) -> list[tuple]:
    with psycopg.connect(cluster.url()) as database:
        return database.execute(sql, parameters).fetchall()


def _assert_bookings_whole(cluster: PrivatePostgres, traffic: Traffic) -> int:
    booked = {email for (email,) in _rows(cluster, "SELECT attendee_email FROM engagement_booking")}
    assert set(traffic.confirmed["booking"]) <= booked, "a booking the provider was told of was lost"
    without_email = _rows(
        cluster,
        "SELECT b.attendee_email FROM engagement_booking b WHERE NOT EXISTS "
        "(SELECT 1 FROM portal_outboxmessage m "
        "WHERE m.recipients ? b.attendee_email AND m.subject LIKE 'Place confirmed:%%')",
    )
    assert without_email == [], "a booking without its confirmation email"
    emails_without_booking = _rows(
        cluster,
        "SELECT m.id FROM portal_outboxmessage m WHERE m.subject LIKE 'Place confirmed:%%' AND NOT EXISTS "
        "(SELECT 1 FROM engagement_booking b WHERE m.recipients ? b.attendee_email)",
    )
    assert emails_without_booking == [], "a confirmation email for a booking that was never made"
    return len(booked)


def _assert_responses_whole(cluster: PrivatePostgres, traffic: Traffic) -> int:
    used = {token for (token,) in _rows(cluster, "SELECT token FROM surveys_invitation WHERE used")}
    assert set(traffic.confirmed["response"]) <= used, "a response the respondent was thanked for was lost"
    ((filed,),) = _rows(cluster, "SELECT count(*) FROM surveys_response")
    ((set_aside,),) = _rows(cluster, "SELECT count(*) FROM surveys_sentanswers")
    assert filed + set_aside == len(used), "every used invitation's answers are filed or waiting to be"
    partial = _rows(
        cluster,
        "SELECT r.id, count(a.id) FROM surveys_response r LEFT JOIN surveys_answer a ON a.response_id = r.id "
        "GROUP BY r.id HAVING count(a.id) <> %s",
        QUESTIONS,
    )
    assert partial == [], "a filed response without all its answers"
    assert (
        _rows(
            cluster, "SELECT id FROM surveys_sentanswers WHERE jsonb_array_length(answers) <> %s", QUESTIONS
        )
        == []
    )
    return len(used)


def _assert_handovers_whole(cluster: PrivatePostgres, portal: Portal, traffic: Traffic) -> int:
    made = 0
    for number, handover in enumerate(portal.seed["handovers"]):
        leaving, successor = handover["leaving"], handover["successor"]
        ((recorded,),) = _rows(
            cluster, "SELECT count(*) FROM directory_handover WHERE leaving_officer_id = %s", leaving
        )
        ((left,),) = _rows(
            cluster, "SELECT count(*) FROM directory_officer WHERE id = %s AND active_to IS NOT NULL", leaving
        )
        held = _rows(
            cluster,
            "SELECT (SELECT count(*) FROM directory_responsibility "
            "WHERE officer_id = %s AND retired_on IS NULL), "
            "(SELECT count(*) FROM directory_providerorganisation WHERE contract_manager_id = %s), "
            "(SELECT count(*) FROM directory_officer WHERE deputy_id = %s)",
            leaving,
            leaving,
            leaving,
        )[0]
        taken = _rows(
            cluster,
            "SELECT (SELECT count(*) FROM directory_responsibility WHERE officer_id = %s), "
            "(SELECT count(*) FROM directory_providerorganisation WHERE contract_manager_id = %s), "
            "(SELECT count(*) FROM directory_officer WHERE deputy_id = %s)",
            successor,
            successor,
            successor,
        )[0]
        told = sum(
            count
            for (count,) in _rows(
                cluster,
                "SELECT count(*) FROM portal_outboxmessage WHERE recipients ? %s OR recipients ? %s",
                f"handover{number}-0@provider.example.org",
                f"handover{number}-1@provider.example.org",
            )
        )
        state = (recorded, left, held, taken, told)
        if recorded:
            assert state == (1, 1, (0, 0, 0), (2, 2, 1), 2), (
                f"handover of officer {leaving} half made: {state}"
            )
            made += 1
        else:
            assert state == (0, 0, (2, 2, 1), (0, 0, 0), 0), (
                f"handover of officer {leaving} half made: {state}"
            )
            assert leaving not in traffic.confirmed["handover"], "a handover the editor was shown was lost"
    return made


def test_a_postgres_restart_during_traffic_leaves_no_half_written_booking_response_or_handover(
    private_postgres, portal
):
    traffic, restart_began, restart_ended = _run_traffic(portal, private_postgres)

    for kind in ("booking", "response"):
        assert traffic.done(kind, finished_before=restart_began), f"no {kind} before the restart"
        assert traffic.done(kind, started_after=restart_ended), f"no {kind} after the restart"
    assert traffic.done("handover"), "no handover was made"
    booked = _assert_bookings_whole(private_postgres, traffic)
    responded = _assert_responses_whole(private_postgres, traffic)
    handed_over = _assert_handovers_whole(private_postgres, portal, traffic)
    # Once the server is back, no request fails: a connection broken by the restart is not used again.
    lasting = traffic.failures(started_after=restart_ended)
    assert lasting == [], f"requests still failing after the restart: {lasting}"
    browser = _signed_in(portal.seed["bookers"][0])
    statuses = [
        browser.get(portal.base + reverse("engagement:my-bookings"), timeout=30).status_code
        for _ in range(16)
    ]
    assert statuses == [200] * 16
    during = traffic.failures()
    kinds = sorted({f"{kind} {outcome}" for kind, _, _, outcome in during})
    print(
        f"\nPostgreSQL restart took {restart_ended - restart_began:.2f}s; {traffic.answered} actions in "
        f"{len(traffic.outcomes)} attempts, {len(during)} attempts failed during it {kinds}; "
        f"{booked} bookings, {responded} responses, {handed_over} handovers made"
    )
