"""Session rules: the idle timeout, the absolute lifetime, "Stay signed in", and the sign-in page saying why.

Time is moved, never waited for: `clock.advance` moves django.utils.timezone.now, which the rules read.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import session_rules
from portal.tests.factories import PASSWORD, OfficerFactory
from portal.tests.test_settings import _manage
from surveys.models import Audience
from surveys.tests import factories as survey_factories
from tests.second_step import sign_in

pytestmark = pytest.mark.django_db

EMAIL = "rules.officer@council.example.org"
IDLE_MESSAGE = "You were signed out because you had not used the portal for 30 minutes."
LIFETIME_MESSAGE = "You were signed out because you signed in more than 8 hours ago."


class Clock:
    def __init__(self, monkeypatch):
        self.offset = dt.timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def signed_in(client, clock):
    """A client signed in through the sign-in pages, as a person would: password, then authenticator code."""
    OfficerFactory(email=EMAIL)
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    return client


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _is_signed_out_to_sign_in(response, path: str) -> bool:
    return response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={path}"


def test_the_default_rules_are_thirty_minutes_idle_and_eight_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    assert settings.SESSION_ABSOLUTE_HOURS == 8
    assert settings.SESSION_WARNING_MINUTES == 5


def test_each_request_starts_the_idle_timeout_again(signed_in, clock):
    for _ in range(3):
        clock.advance(minutes=29)
        assert signed_in.get(reverse("home")).status_code == 200


def test_a_session_idle_past_the_timeout_is_signed_out_and_the_sign_in_page_says_why(signed_in, clock):
    key = _session_key(signed_in)
    clock.advance(minutes=31)

    response = signed_in.get(reverse("directory:search"))

    assert _is_signed_out_to_sign_in(response, reverse("directory:search"))
    assert not Session.objects.filter(pk=key).exists()
    sign_in = signed_in.get(response["Location"])
    assert sign_in.status_code == 200
    assert IDLE_MESSAGE in sign_in.content.decode()
    # Told once: the next visit to the sign-in page is a plain one.
    assert IDLE_MESSAGE not in signed_in.get(reverse("login")).content.decode()


def test_the_absolute_lifetime_ends_a_session_however_busy(signed_in, clock):
    for _ in range(8 * 3 - 1):
        clock.advance(minutes=20)
        assert signed_in.get(reverse("home")).status_code == 200
    clock.advance(minutes=20, seconds=1)  # 8 hours and a second after signing in

    response = signed_in.get(reverse("home"))

    assert _is_signed_out_to_sign_in(response, reverse("home"))
    assert LIFETIME_MESSAGE in signed_in.get(response["Location"]).content.decode()


def test_the_sign_in_page_itself_ends_a_session_past_its_time_and_says_why(signed_in, clock):
    """Where the warning's script sends a page when time is up: signed out, told why, and asked to sign in."""
    clock.advance(minutes=31)

    response = signed_in.get(reverse("login"), {"next": reverse("home")})

    assert response.status_code == 200
    assert IDLE_MESSAGE in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_sign_in_page_sends_a_session_still_alive_back_to_its_page(signed_in, clock):
    clock.advance(minutes=29)

    response = signed_in.get(reverse("login"), {"next": reverse("directory:search")})

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:search")


def test_staying_signed_in_starts_the_idle_timeout_again(signed_in, clock):
    clock.advance(minutes=28)

    answer = signed_in.post(reverse("session_extend"))

    assert answer.status_code == 200
    assert answer.json() == {"seconds_left": 30 * 60, "can_extend": True}
    clock.advance(minutes=28)
    assert signed_in.get(reverse("home")).status_code == 200


def test_staying_signed_in_after_the_timeout_is_too_late(signed_in, clock):
    clock.advance(minutes=31)

    answer = signed_in.post(reverse("session_extend"))

    assert _is_signed_out_to_sign_in(answer, reverse("session_extend"))


def test_staying_signed_in_never_passes_the_absolute_lifetime(signed_in, clock, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    clock.advance(minutes=25)
    signed_in.get(reverse("home"))
    clock.advance(minutes=25)

    answer = signed_in.post(reverse("session_extend")).json()

    assert answer == {"seconds_left": 10 * 60, "can_extend": False}
    clock.advance(minutes=10, seconds=1)
    assert _is_signed_out_to_sign_in(signed_in.get(reverse("home")), reverse("home"))


def test_asking_the_time_left_is_not_activity(signed_in, clock):
    clock.advance(minutes=20)
    assert signed_in.get(reverse("session_status")).json() == {"seconds_left": 10 * 60, "can_extend": True}

    clock.advance(minutes=11)
    assert signed_in.get(reverse("session_status")).json()["seconds_left"] == 0

    assert _is_signed_out_to_sign_in(signed_in.get(reverse("home")), reverse("home"))


def test_the_rules_read_the_settings_at_each_request(signed_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 2
    clock.advance(minutes=1)
    assert signed_in.get(reverse("home")).status_code == 200

    clock.advance(minutes=2, seconds=1)

    assert _is_signed_out_to_sign_in(signed_in.get(reverse("home")), reverse("home"))


def test_a_page_view_soon_after_the_last_writes_nothing_to_the_session(signed_in, clock):
    signed_in.get(reverse("floor"))
    clock.advance(seconds=30)

    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(reverse("floor")).status_code == 200

    assert not [query for query in queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]
    clock.advance(seconds=31)  # a minute since activity was last written: this request writes it
    with CaptureQueriesContext(connection) as queries:
        signed_in.get(reverse("floor"))
    assert [query for query in queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]


def test_a_forced_sign_in_starts_both_clocks(client, clock):
    client.force_login(OfficerFactory())
    session = client.session

    assert session[session_rules.SIGNED_IN_AT] == session[session_rules.ACTIVE_AT]
    assert abs(session[session_rules.ACTIVE_AT] - timezone.now().timestamp()) < 5


def test_a_session_with_no_times_recorded_counts_as_just_active(client, clock):
    """Sessions made before these rules: their first request starts the clocks rather than ending them."""
    client.force_login(OfficerFactory())
    session = client.session
    del session[session_rules.SIGNED_IN_AT]
    del session[session_rules.ACTIVE_AT]
    session.save()
    clock.advance(hours=3)

    assert client.get(reverse("home")).status_code == 200
    clock.advance(minutes=31)
    assert _is_signed_out_to_sign_in(client.get(reverse("home")), reverse("home"))


def test_survey_answer_pages_are_never_interrupted(signed_in, clock):
    """Someone answering from their personal link, signed in or not, keeps the page and sees no warning."""
    cycle = survey_factories.SurveyCycleFactory(year=timezone.localdate().year)
    questionnaire = survey_factories.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    survey_factories.AgreementQuestionFactory(questionnaire=questionnaire)
    invitation = survey_factories.InvitationFactory(cycle=cycle)
    key = _session_key(signed_in)
    clock.advance(minutes=45)

    response = signed_in.get(reverse("surveys:respond", kwargs={"token": invitation.token}))

    assert response.status_code == 200
    assert "data-session-timeout" not in response.content.decode()
    assert "You were signed out" not in response.content.decode()
    assert Session.objects.filter(pk=key).exists()


def test_signed_in_pages_carry_the_warning_with_the_time_left(signed_in, clock):
    clock.advance(minutes=10)

    page = signed_in.get(reverse("home")).content.decode()

    assert 'data-session-timeout data-seconds-left="1800"' in page
    assert 'data-warning-seconds="300"' in page
    assert f'data-status-url="{reverse("session_status")}"' in page
    assert "js/session-timeout.js" in page


def test_signed_out_pages_carry_no_warning(client):
    page = client.get(reverse("login")).content.decode()

    assert "data-session-timeout" not in page
    assert "session-timeout.js" not in page


def test_the_rules_are_read_from_the_environment():
    probe = (
        "from django.conf import settings as s;"
        "print(s.SESSION_IDLE_TIMEOUT_MINUTES, s.SESSION_ABSOLUTE_HOURS, s.SESSION_WARNING_MINUTES,"
        " s.SESSION_COOKIE_AGE)"
    )

    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        probe,
        SESSION_IDLE_TIMEOUT_MINUTES="15",
        SESSION_ABSOLUTE_HOURS="4",
        SESSION_WARNING_MINUTES="2",
        DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["15.0", "4.0", "2.0", "14400"]
