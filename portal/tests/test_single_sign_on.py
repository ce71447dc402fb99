"""Council sign-in over OpenID Connect, against a real identity provider running on a local port."""

import logging
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from django.conf import settings as project_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

# Loaded before the matrix module below, which it imports while it loads.
import tests.permission_matrix as permission_matrix
from portal import roles, session_rules
from portal.models import User
from portal.settings import test as test_settings
from portal.single_sign_on import CouncilAccountBackend
from portal.tests.factories import PASSWORD, DirectorFactory, OfficerFactory, ProviderUserFactory
from portal.tests.matrix_single_sign_on import ENABLED_ROWS
from portal.tests.test_settings import _manage
from tests.hostile import strict_csp_problems
from tests.identity_provider.server import running_identity_provider, switch_on_council_sign_in
from tests.logs import kept_log_records
from tests.second_step import authenticator_for

pytestmark = pytest.mark.django_db

BACKEND = f"{CouncilAccountBackend.__module__}.{CouncilAccountBackend.__name__}"
COUNCIL_DOMAIN = "council.example.org"

identity_provider = pytest.fixture(scope="module", name="identity_provider")(running_identity_provider)


@pytest.fixture(autouse=True)
def council_sign_in(settings, identity_provider):
    """Single sign-on switched on, as a council would from the environment, pointing at the local provider."""
    switch_on_council_sign_in(settings, identity_provider, domain=COUNCIL_DOMAIN)
    return identity_provider


@pytest.fixture
def refusals():
    """The refusal lines the sign-in writes."""
    with kept_log_records("portal.single_sign_on") as records:
        yield records


def start_sign_in(client: Client, identity_provider, query: str = "") -> str:
    """Ask the portal to start a council sign-in; the address of the provider's sign-in page."""
    response = client.get(reverse("council_sign_in") + query)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{identity_provider.issuer}/authorize?")
    return response["Location"]


def sign_in_at_provider(authorize_url: str, account: str) -> str:
    """Sign in at the identity provider as `account`; the portal address it sends the browser back to."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    answer = requests.post(authorize_url, data={"account": account}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = urlparse(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def council_sign_in_as(client: Client, identity_provider, account: str, query: str = ""):
    return client.get(sign_in_at_provider(start_sign_in(client, identity_provider, query), account))


def signed_in_user(client: Client):
    return client.get(reverse("home")).wsgi_request.user


def assert_refused(response, refusals, *words: str) -> None:
    assert response.status_code == 403
    assert "You could not be signed in" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    lines = [record.getMessage() for record in refusals if record.levelno == logging.WARNING]
    assert len(lines) == 1, lines
    assert all(word in lines[0] for word in words), lines[0]
    # The line says why, never with a token or an address in it.
    assert "eyJ" not in lines[0]
    assert "@" not in lines[0]


def test_an_officer_signs_in_with_their_council_account(client, council_sign_in, refusals):
    officer = OfficerFactory(email=f"pat.jones@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(f"Pat.Jones@{COUNCIL_DOMAIN.upper()}")

    response = council_sign_in_as(client, council_sign_in, f"pat.jones@{COUNCIL_DOMAIN}")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == officer
    assert client.session["_auth_user_backend"] == BACKEND
    assert client.get(reverse("home")).status_code == 200
    assert [record.getMessage() for record in refusals] == [
        f"User {officer.pk} signed in with a council account"
    ]


def test_the_council_account_asks_its_own_second_step_so_the_portal_asks_none(client, council_sign_in):
    officer = OfficerFactory(email=f"sam.lee@{COUNCIL_DOMAIN}")
    authenticator_for(officer)
    council_sign_in.add_account(f"sam.lee@{COUNCIL_DOMAIN}")

    council_sign_in_as(client, council_sign_in, f"sam.lee@{COUNCIL_DOMAIN}")

    assert client.get(reverse("directory:search")).status_code == 200
    # The same officer with their password takes the portal's second step.
    password = Client().post(reverse("login"), {"username": officer.email, "password": PASSWORD})
    assert password["Location"].startswith(reverse("second_step"))


def test_a_director_reaches_the_directors_home(client, council_sign_in):
    director = DirectorFactory(email=f"director@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(director.email)

    council_sign_in_as(client, council_sign_in, director.email)

    home = client.get(reverse("home"))
    assert home.wsgi_request.user == director
    assert "Relationship overview" in home.content.decode()


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, council_sign_in):
    officer = OfficerFactory(email=f"next@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    search = reverse("directory:search")

    kept = council_sign_in_as(client, council_sign_in, officer.email, "?" + urlencode({"next": search}))
    client.post(reverse("logout"))
    dropped = council_sign_in_as(
        client, council_sign_in, officer.email, "?next=https://elsewhere.example.com/"
    )

    assert kept["Location"] == search
    assert dropped["Location"] == reverse("home")


def test_group_claims_give_exactly_the_mapped_portal_roles(client, council_sign_in, settings):
    settings.OIDC_GROUP_ROLE_MAP = {"grp-directors": roles.DIRECTOR, "grp-officers": roles.OFFICER}
    user = OfficerFactory(email=f"promoted@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(user.email, groups=["grp-directors", "grp-finance"])

    council_sign_in_as(client, council_sign_in, user.email)

    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {roles.DIRECTOR}
    assert "Relationship overview" in client.get(reverse("home")).content.decode()


def test_an_account_whose_groups_give_no_portal_role_is_refused(client, council_sign_in, settings, refusals):
    settings.OIDC_GROUP_ROLE_MAP = {"grp-officers": roles.OFFICER}
    user = OfficerFactory(email=f"moved.on@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(user.email, groups=["grp-finance"])

    response = council_sign_in_as(client, council_sign_in, user.email)

    assert_refused(response, refusals, "no group", COUNCIL_DOMAIN)
    assert "not set up to use this portal" in response.content.decode()
    assert set(user.groups.values_list("name", flat=True)) == {roles.OFFICER}


def test_an_address_in_a_domain_not_allowed_is_refused(client, council_sign_in, refusals):
    OfficerFactory(email="officer@elsewhere.example.org")
    council_sign_in.add_account("officer@elsewhere.example.org")

    response = council_sign_in_as(client, council_sign_in, "officer@elsewhere.example.org")

    assert_refused(response, refusals, "'elsewhere.example.org' is not allowed")
    assert "Only council email addresses" in response.content.decode()


def test_a_closed_account_is_refused(client, council_sign_in, refusals):
    closed = OfficerFactory(email=f"left@{COUNCIL_DOMAIN}", is_active=False)
    council_sign_in.add_account(closed.email)

    response = council_sign_in_as(client, council_sign_in, closed.email)

    assert_refused(response, refusals, f"user {closed.pk}", "closed")
    assert "This account has been closed" in response.content.decode()


def test_an_account_closed_after_signing_in_is_signed_out_on_its_next_request(client, council_sign_in):
    officer = OfficerFactory(email=f"leaver@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    council_sign_in_as(client, council_sign_in, officer.email)
    assert client.get(reverse("home")).status_code == 200

    User.objects.filter(pk=officer.pk).update(is_active=False)

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_address_is_refused_and_no_account_is_made(client, council_sign_in, refusals):
    council_sign_in.add_account(f"new.starter@{COUNCIL_DOMAIN}")
    before = User.objects.count()

    response = council_sign_in_as(client, council_sign_in, f"new.starter@{COUNCIL_DOMAIN}")

    assert_refused(response, refusals, "no portal account")
    assert User.objects.count() == before


def test_an_officer_is_made_at_first_sign_in_only_when_the_setting_allows(client, council_sign_in, settings):
    settings.OIDC_CREATE_OFFICERS = True
    council_sign_in.add_account(f"new.starter@{COUNCIL_DOMAIN}", name="New Starter")

    council_sign_in_as(client, council_sign_in, f"new.starter@{COUNCIL_DOMAIN}")

    user = signed_in_user(client)
    assert user.email == f"new.starter@{COUNCIL_DOMAIN}"
    assert user.full_name == "New Starter"
    assert user.role_names == {roles.OFFICER}
    assert not user.has_usable_password()
    assert user.provider_organisation is None


def test_a_provider_user_is_never_signed_in_with_a_council_account(client, council_sign_in, refusals):
    provider_user = ProviderUserFactory(email=f"agency.worker@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(provider_user.email)

    response = council_sign_in_as(client, council_sign_in, provider_user.email)

    assert_refused(response, refusals, f"user {provider_user.pk} is a provider user")


def test_an_unverified_email_address_is_refused(client, council_sign_in, refusals):
    OfficerFactory(email=f"unverified@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(f"unverified@{COUNCIL_DOMAIN}", email_verified=False)

    response = council_sign_in_as(client, council_sign_in, f"unverified@{COUNCIL_DOMAIN}")

    assert_refused(response, refusals, "not verified")


def test_a_replayed_response_is_refused(client, council_sign_in, refusals):
    officer = OfficerFactory(email=f"replayed@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    callback = sign_in_at_provider(start_sign_in(client, council_sign_in), officer.email)
    assert client.get(callback).status_code == 302
    refusals.clear()

    again_here = client.get(callback)
    elsewhere = Client().get(callback)

    assert again_here.status_code == elsewhere.status_code == 403
    lines = [record.getMessage() for record in refusals]
    assert lines == [
        "Council sign-in refused (try_again): the response's state matches no sign-in started in this browser",
        "Council sign-in refused (try_again): no sign-in was started in this browser",
    ]


def test_a_used_code_brought_to_a_new_sign_in_is_refused_by_the_provider(client, council_sign_in, refusals):
    officer = OfficerFactory(email=f"code.thief@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    used = parse_qs(
        urlparse(sign_in_at_provider(start_sign_in(client, council_sign_in), officer.email)).query
    )
    client.get(reverse("council_sign_in_callback"), {"code": used["code"][0], "state": used["state"][0]})
    refusals.clear()

    attacker = Client()
    fresh_state = parse_qs(urlparse(start_sign_in(attacker, council_sign_in)).query)["state"][0]
    response = attacker.get(
        reverse("council_sign_in_callback"), {"code": used["code"][0], "state": fresh_state}
    )

    assert_refused(response, refusals, "identity provider answered with an error", "invalid_grant")


def test_a_state_that_does_not_match_is_refused(client, council_sign_in, refusals):
    officer = OfficerFactory(email=f"forged@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    callback = urlparse(sign_in_at_provider(start_sign_in(client, council_sign_in), officer.email))
    code = parse_qs(callback.query)["code"][0]

    response = client.get(callback.path, {"code": code, "state": "a-state-this-browser-never-sent"})

    assert_refused(response, refusals, "state matches no sign-in")
    assert council_sign_in.token_requests == 0


def test_an_expired_id_token_is_refused(client, council_sign_in, refusals):
    officer = OfficerFactory(email=f"slow@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    council_sign_in.id_token_lifetime = -120

    response = council_sign_in_as(client, council_sign_in, officer.email)

    assert_refused(response, refusals, "the ID token has expired")


def test_an_id_token_for_another_application_is_refused(client, council_sign_in, refusals):
    officer = OfficerFactory(email=f"audience@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    council_sign_in.audience = "another-council-application"

    response = council_sign_in_as(client, council_sign_in, officer.email)

    assert_refused(response, refusals, "InvalidAudienceError")


def test_an_error_from_the_identity_provider_is_refused(client, council_sign_in, refusals):
    state = parse_qs(urlparse(start_sign_in(client, council_sign_in)).query)["state"][0]

    response = client.get(reverse("council_sign_in_callback"), {"error": "access_denied", "state": state})

    assert_refused(response, refusals, "'access_denied'")


def test_an_identity_provider_that_cannot_be_reached_is_a_clear_page(client, settings, refusals):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"

    response = client.get(reverse("council_sign_in"))

    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()
    assert [record.levelno for record in refusals] == [logging.WARNING]


def test_sign_out_ends_the_portal_session_and_sign_in_keeps_the_session_rules(client, council_sign_in):
    officer = OfficerFactory(email=f"signs.out@{COUNCIL_DOMAIN}")
    council_sign_in.add_account(officer.email)
    before = client.cookies.get(project_settings.SESSION_COOKIE_NAME)
    start_sign_in(client, council_sign_in)
    started_key = client.cookies[project_settings.SESSION_COOKIE_NAME].value
    council_sign_in_as(client, council_sign_in, officer.email)
    key = client.cookies[project_settings.SESSION_COOKIE_NAME].value
    assert before is None and key != started_key
    assert session_rules.SIGNED_IN_AT in client.session

    client.post(reverse("logout"))

    assert not Session.objects.filter(pk=key).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_password_sign_in_still_works_and_never_reaches_the_identity_provider(client, council_sign_in):
    officer = OfficerFactory(email=f"password@{COUNCIL_DOMAIN}")

    wrong = client.post(
        reverse("login") + "?code=planted&state=planted", {"username": officer.email, "password": "wrong"}
    )
    right = client.post(reverse("login"), {"username": officer.email, "password": PASSWORD})

    assert wrong.status_code == 200
    assert right.status_code == 302
    assert signed_in_user(client) == officer
    assert council_sign_in.token_requests == 0


def test_the_sign_in_page_offers_the_council_account_only_when_switched_on(client, settings):
    button = "Sign in with your council account"
    assert button in client.get(reverse("login")).content.decode()

    settings.OIDC_ENABLED = False

    assert button not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("council_sign_in")).status_code == 404
    assert client.get(reverse("council_sign_in_callback")).status_code == 404


def test_single_sign_on_is_off_unless_the_environment_switches_it_on():
    # The settings as the environment made them, before any test changed them.
    assert test_settings.OIDC_ENABLED is False
    assert BACKEND not in test_settings.AUTHENTICATION_BACKENDS


def test_switching_it_on_without_the_identity_provider_fails_loudly():
    result = _manage(
        "check", DEBUG="true", OIDC_ENABLED="true", OIDC_ISSUER="https://login.example.org/tenant/v2.0"
    )

    assert result.returncode != 0
    assert "OIDC_ENABLED needs OIDC_ISSUER, OIDC_CLIENT_ID" in result.stderr


@pytest.mark.parametrize("row", ENABLED_ROWS, ids=lambda row: row.id)
@pytest.mark.parametrize("role", permission_matrix.ROLES)
def test_permission_matrix_with_single_sign_on_switched_on(row, role, users, matrix_objects, council_sign_in):
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])

    response = getattr(client, row.method)(reverse(row.url_name, kwargs=row.kwargs(matrix_objects)))

    assert response.status_code == row.expected[role], f"{role} {row.id}: {response.status_code}"
    if row.url_name == "council_sign_in":
        assert response["Location"].startswith(f"{council_sign_in.issuer}/authorize?")
    assert strict_csp_problems(response) == []
