import pytest
from django.db import IntegrityError
from django.urls import reverse

from portal.tests.factories import PASSWORD, OfficerFactory, ProviderUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_officer_signs_in_with_email_address_in_any_case(client):
    OfficerFactory(email="olivia.officer@council.example.org")

    response = _sign_in(client, "Olivia.Officer@Council.Example.org")

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

    response = client.post(
        f"{reverse('login')}?next={next_url}",
        {"username": "back@council.example.org", "password": PASSWORD, "next": next_url},
    )

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
