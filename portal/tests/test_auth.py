import datetime as dt

import pytest
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse

from portal.tests.factories import PASSWORD, OfficerFactory, ProviderUserFactory, UserFactory
from tests.second_step import sign_in

pytestmark = pytest.mark.django_db


def _sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_officer_signs_in_with_email_address_in_any_case(client):
    OfficerFactory(email="olivia.officer@council.example.org")

    response = sign_in(client, "Olivia.Officer@Council.Example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_error_summary_and_signs_nobody_in(client):
    OfficerFactory(email="olivia@council.example.org")

    response = _sign_in(client, "olivia@council.example.org", "not-the-password")

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_form_asks_for_each_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    page = response.content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert page.count("govuk-error-summary__list") == 1
    assert page.count("<form") == 1, "the form must not be nested in another"


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password(client, settings):
    OfficerFactory(email="target@council.example.org")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "target@council.example.org", "guess")
    response = _sign_in(client, "target@council.example.org")

    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_closed_account_cannot_sign_in(client):
    UserFactory(email="leaver@council.example.org", is_active=False)

    response = _sign_in(client, "leaver@council.example.org")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post_and_ends_the_session(client):
    user = OfficerFactory()
    client.force_login(user)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_every_page_but_sign_in_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("directory:provider-list"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('directory:provider-list')}"


def test_signed_in_user_returns_to_the_page_they_asked_for(client):
    OfficerFactory(email="back@council.example.org")
    next_url = reverse("directory:provider-list")

    response = sign_in(client, "back@council.example.org", PASSWORD, next_path=next_url)

    assert response["Location"] == next_url


def test_provider_user_can_never_have_admin_access():
    user = ProviderUserFactory()
    user.is_staff = True

    with pytest.raises(IntegrityError):
        user.save()


def test_provider_user_must_belong_to_an_organisation():
    from django.core.exceptions import ValidationError

    from portal.tests.factories import ProviderUserFactory as Factory

    user = Factory(provider_organisation=None)

    with pytest.raises(ValidationError, match="must belong to a provider organisation"):
        user.full_clean()


def test_staff_who_are_not_superusers_cannot_use_the_admin(client):
    client.force_login(OfficerFactory(is_staff=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _fail(client, email: str, times: int, address: str = "192.0.2.10") -> None:
    """Wrong passwords; the one that reaches the limit is already answered with the locked-out page."""
    for _ in range(times):
        client.post(reverse("login"), {"username": email, "password": "guess"}, REMOTE_ADDR=address)


def _sign_in_from(client, email: str, address: str):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD}, REMOTE_ADDR=address)


def _age_failed_attempts(by: dt.timedelta) -> None:
    """Time moves on for the recorded failures: the cool-off is counted from them."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_the_locked_out_page_is_a_gov_uk_page_with_status_429(client, settings):
    OfficerFactory(email="paused@council.example.org")
    _fail(client, "paused@council.example.org", settings.AXES_FAILURE_LIMIT)

    response = _sign_in_from(client, "paused@council.example.org", "192.0.2.10")

    page = response.content.decode()
    assert response.status_code == 429
    assert "<title>Too many attempts to sign in" in page
    assert '<h1 class="govuk-heading-xl">Too many attempts to sign in</h1>' in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "govuk-header" in page and "govuk-footer" in page


def test_sign_in_works_again_once_the_cool_off_has_passed(client, settings):
    OfficerFactory(email="patient@council.example.org")
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    _fail(client, "patient@council.example.org", settings.AXES_FAILURE_LIMIT)

    _age_failed_attempts(cool_off - dt.timedelta(minutes=1))
    assert _sign_in_from(client, "patient@council.example.org", "192.0.2.10").status_code == 429
    # Trying during the pause starts it again: two minutes on, the first pause would have ended.
    _age_failed_attempts(dt.timedelta(minutes=2))
    assert _sign_in_from(client, "patient@council.example.org", "192.0.2.10").status_code == 429

    _age_failed_attempts(cool_off + dt.timedelta(minutes=1))
    response = _sign_in_from(client, "patient@council.example.org", "192.0.2.10")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_successful_sign_in_starts_the_count_again(client, settings):
    OfficerFactory(email="typo@council.example.org")
    almost = settings.AXES_FAILURE_LIMIT - 1

    _fail(client, "typo@council.example.org", almost)
    assert _sign_in_from(client, "typo@council.example.org", "192.0.2.10").status_code == 302
    client.post(reverse("logout"))
    _fail(client, "typo@council.example.org", almost)

    assert _sign_in_from(client, "typo@council.example.org", "192.0.2.10").status_code == 302


def test_too_many_failures_for_one_account_pause_it_from_every_address(client, settings):
    OfficerFactory(email="targeted@council.example.org")
    OfficerFactory(email="colleague@council.example.org")
    for number in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "targeted@council.example.org", 1, address=f"198.51.100.{number + 1}")

    assert _sign_in_from(client, "targeted@council.example.org", "203.0.113.99").status_code == 429
    assert _sign_in_from(client, "colleague@council.example.org", "203.0.113.99").status_code == 302


def test_too_many_failures_from_one_address_pause_it_for_every_account(client, settings):
    OfficerFactory(email="sprayed@council.example.org")
    for number in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"guess{number}@council.example.org", 1, address="198.51.100.7")

    assert _sign_in_from(client, "sprayed@council.example.org", "198.51.100.7").status_code == 429
    assert _sign_in_from(client, "sprayed@council.example.org", "203.0.113.8").status_code == 302
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_changing_the_case_of_the_address_does_not_start_a_new_count(client, settings):
    OfficerFactory(email="casing@council.example.org")
    for number in range(settings.AXES_FAILURE_LIMIT):
        address = "casing@council.example.org"
        _fail(
            client, address.upper() if number % 2 else address.title(), 1, address=f"198.51.100.{number + 20}"
        )

    assert _sign_in_from(client, "casing@council.example.org", "203.0.113.50").status_code == 429


def test_an_address_the_client_writes_itself_does_not_escape_the_count(client, settings):
    OfficerFactory(email="sprayed@council.example.org")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess{number}@council.example.org", "password": "guess"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )

    assert _sign_in_from(client, "sprayed@council.example.org", "198.51.100.7").status_code == 429


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    OfficerFactory(email="behind@council.example.org")
    proxy = "10.0.0.2"
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess{number}@council.example.org", "password": "guess"},
            REMOTE_ADDR=proxy,
            # The attacker writes a new address each time; the proxy appends the one it really saw.
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.7",
        )

    def sign_in_through_the_proxy(client_address: str):
        return client.post(
            reverse("login"),
            {"username": "behind@council.example.org", "password": PASSWORD},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=client_address,
        )

    assert sign_in_through_the_proxy("198.51.100.7").status_code == 429
    assert sign_in_through_the_proxy("203.0.113.8").status_code == 302, "other people behind the same proxy"
