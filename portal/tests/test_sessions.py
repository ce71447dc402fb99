"""A signed-in session ends: after SESSION_COOKIE_AGE, at sign-out, and its key changes at sign-in (fixation)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.tests.factories import PASSWORD, OfficerFactory
from portal.tests.test_settings import _manage
from tests.second_step import sign_in

pytestmark = pytest.mark.django_db

EMAIL = "session.officer@council.example.org"


@pytest.fixture
def signed_in(client):
    """A client signed in through the sign-in pages, as a person would: password, then authenticator code."""
    OfficerFactory(email=EMAIL)
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    return client


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _move_time(monkeypatch, by: dt.timedelta) -> None:
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + by)


def test_a_session_lasts_session_cookie_age_from_sign_in(signed_in):
    session = Session.objects.get(pk=_session_key(signed_in))
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]

    lasts = session.expire_date - timezone.now()
    assert dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < lasts
    assert lasts <= dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_a_session_just_younger_than_its_age_is_still_signed_in(signed_in, monkeypatch, settings):
    # The idle timeout would end it sooner (test_session_rules.py): here it is as long as the session's age.
    settings.SESSION_IDLE_TIMEOUT_MINUTES = settings.SESSION_COOKIE_AGE / 60
    _move_time(monkeypatch, dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))

    assert signed_in.get(reverse("home")).status_code == 200


def test_a_session_older_than_its_age_is_refused_and_sign_in_asked_again(signed_in, monkeypatch):
    _move_time(monkeypatch, dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))

    response = signed_in.get(reverse("directory:search"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('directory:search')}"


def test_signing_out_ends_the_session_on_the_server(signed_in):
    key = _session_key(signed_in)

    signed_in.post(reverse("logout"))

    assert not Session.objects.filter(pk=key).exists()
    replayed = Client()
    replayed.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replayed.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_signing_in_gives_a_new_session_key_and_the_old_one_no_longer_works(client):
    OfficerFactory(email=EMAIL)
    planted = client.session
    planted["planted"] = True
    planted.save()
    before = _session_key(client)

    client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD})

    after = _session_key(client)
    assert after != before
    assert not Session.objects.filter(pk=before).exists()
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before
    assert attacker.get(reverse("home")).status_code == 302


def test_the_session_cookie_is_http_only_and_same_site(client):
    OfficerFactory(email=EMAIL)

    response = client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_settings_send_the_session_and_csrf_cookies_over_https_only():
    probe = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SESSION_EXPIRE_AT_BROWSER_CLOSE)"
    )

    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        probe,
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-for-the-check-0123456789abcdef",
        ALLOWED_HOSTS="portal.example.gov.uk",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "Lax", "False"]
