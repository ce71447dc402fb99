"""Council staff sign in with the council's identity provider over OpenID Connect (mozilla-django-oidc).

Only an existing council account is linked, by the provider's verified email address in an allowed domain; a
provider user's address, a closed account or an unknown one is refused. Every refusal is a page that says so and a
log line that says why (never a token). With OIDC_ENABLED off these addresses are a 404 and nothing else changes.
Its `urlpatterns` are the two addresses under /sign-in/council-account/ (portal/urls.py).
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from portal import roles

logger = logging.getLogger(__name__)

# Seconds of clock difference allowed between the portal and the identity provider when checking a token's times.
CLOCK_SKEW_SECONDS = 30
DISCOVERY_CACHE_SECONDS = 60 * 60
# The refusal found while authenticating, for the callback view to show and log.
REFUSAL_ATTRIBUTE = "council_sign_in_refusal"


class SignInRefused(Exception):
    """A council sign-in the portal will not complete: `reason` is for the log, `kind` picks the page's words."""

    TRY_AGAIN = "try_again"
    NO_ACCOUNT = "no_account"
    DOMAIN = "domain"
    CLOSED = "closed"
    UNREACHABLE = "unreachable"

    def __init__(self, reason: str, kind: str = TRY_AGAIN) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


def provider_configuration() -> dict:
    """The identity provider's discovery document, fetched when first needed and kept for an hour."""
    issuer = settings.OIDC_ISSUER
    key = f"single-sign-on:discovery:{issuer}"
    configuration = cache.get(key)
    if configuration is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        configuration = response.json()
        if configuration.get("issuer", "").rstrip("/") != issuer:
            raise SignInRefused(
                f"the discovery document names another issuer: {configuration.get('issuer')!r}"
            )
        cache.set(key, configuration, DISCOVERY_CACHE_SECONDS)
    return configuration


def council_roles_from_claims(claims: dict) -> frozenset[str] | None:
    """The portal roles the account's groups give through OIDC_GROUP_ROLE_MAP; None when no map is configured."""
    mapping = settings.OIDC_GROUP_ROLE_MAP
    if not mapping:
        return None
    groups = claims.get(settings.OIDC_ROLE_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return frozenset(mapping[group] for group in groups if isinstance(group, str) and group in mapping)


def _email_is_verified(claims: dict) -> bool:
    value = claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM)
    return value is True or (isinstance(value, str) and value.lower() == "true")


def council_email_from_claims(claims: dict) -> str:
    """The verified email address in an allowed domain that the claims are for, or a refusal."""
    email = claims.get("email")
    if not isinstance(email, str) or email.count("@") != 1:
        raise SignInRefused("the identity provider sent no email address", SignInRefused.NO_ACCOUNT)
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[1]
    if domain not in settings.OIDC_ALLOWED_EMAIL_DOMAINS:
        raise SignInRefused(f"the email domain {domain!r} is not allowed", SignInRefused.DOMAIN)
    if not _email_is_verified(claims):
        raise SignInRefused(
            f"the email address (domain {domain!r}) is not verified", SignInRefused.NO_ACCOUNT
        )
    return email


@transaction.atomic
def council_account_link(*, claims: dict):
    """The council account a verified sign-in is for, with its roles brought in line with the mapped groups."""
    email = council_email_from_claims(claims)
    domain = email.rsplit("@", 1)[1]
    mapped_roles = council_roles_from_claims(claims)
    if mapped_roles is not None and not mapped_roles:
        raise SignInRefused(
            f"no group of the account (domain {domain!r}) gives a portal role", SignInRefused.NO_ACCOUNT
        )

    users = list(get_user_model().objects.select_for_update().filter(email__iexact=email))
    if len(users) > 1:
        raise SignInRefused(f"more than one account has the address (domain {domain!r})")
    if not users:
        if not settings.OIDC_CREATE_OFFICERS:
            raise SignInRefused(
                f"no portal account has the address (domain {domain!r})", SignInRefused.NO_ACCOUNT
            )
        user = get_user_model().objects.create_user(
            email=email, full_name=str(claims.get("name") or "")[:150]
        )
        logger.info("User %s created at their first council sign-in", user.pk)
    else:
        user = users[0]
    if user.provider_organisation_id or roles.PROVIDER_USER in roles.role_names(user):
        raise SignInRefused(
            f"user {user.pk} is a provider user, who signs in with a password", SignInRefused.NO_ACCOUNT
        )
    if not user.is_active:
        raise SignInRefused(f"user {user.pk}'s account is closed", SignInRefused.CLOSED)
    if mapped_roles is not None or not users:
        _set_council_roles(user, mapped_roles or frozenset({roles.OFFICER}))
    return user


def _set_council_roles(user, council_roles: frozenset[str]) -> None:
    kept = user.groups.exclude(name__in=roles.COUNCIL_ROLES)
    user.groups.set([*kept, *Group.objects.filter(name__in=council_roles)])
    user.__dict__.pop("_role_names", None)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, checking the ID token in full and linking only existing council accounts."""

    def __init__(self, *args, **kwargs):
        # Built for every request of a user signed in with it: nothing is fetched until a sign-in needs it.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the library's attribute name
        return provider_configuration()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return provider_configuration()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_configuration()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password sign-in is none of this backend's business.
        if request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SignInRefused as refusal:
            setattr(request, REFUSAL_ATTRIBUTE, refusal)
        except requests.RequestException as error:
            refusal = SignInRefused(f"the identity provider answered with an error: {error}"[:300])
            setattr(request, REFUSAL_ATTRIBUTE, refusal)
        except (SuspiciousOperation, jwt.InvalidTokenError, KeyError, ValueError) as error:
            refusal = SignInRefused(
                f"the sign-in response is not valid: {type(error).__name__}: {error}"[:300]
            )
            setattr(request, REFUSAL_ATTRIBUTE, refusal)
        return None

    def verify_token(self, token, **kwargs):
        """The library leaves the audience and issuer unchecked and lets an expired token fail as a 500."""
        key = self.retrieve_matching_jwk(token)
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused("the ID token has expired") from error
        except jwt.InvalidTokenError as error:
            raise SignInRefused(f"the ID token is not valid: {type(error).__name__}: {error}") from error
        if payload.get("nonce") != kwargs.get("nonce"):
            raise SignInRefused("the ID token's nonce is not the one this browser's sign-in sent")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:
            raise SignInRefused("the userinfo answer is for another subject than the ID token")
        # The ID token is signed for this portal: its claims (groups, for one) win over the userinfo answer's.
        return {**claims, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        return council_account_link(claims=self.get_userinfo(access_token, id_token, payload))

    def get_user(self, user_id):
        # The library's get_user would keep a closed account signed in; Django's refuses it on its next request.
        return ModelBackend.get_user(self, user_id)


_REFUSAL_TEMPLATE = "registration/council_sign_in_refused.html"


def _refusal_page(request, refusal: SignInRefused, status: int = 403):
    logger.warning("Council sign-in refused (%s): %s", refusal.kind, refusal.reason)
    return render(request, _REFUSAL_TEMPLATE, {"refusal_kind": refusal.kind}, status=status)


def _switched_on() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("Council sign-in is not switched on")


class CouncilSignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the council's identity provider, with a fresh state, nonce and PKCE challenge."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802 - the library's attribute name
        return provider_configuration()["authorization_endpoint"]

    def get(self, request):
        _switched_on()
        try:
            return super().get(request)
        except (requests.RequestException, SignInRefused, KeyError, ValueError) as error:
            refusal = SignInRefused(
                f"the identity provider cannot be reached: {error}"[:300], SignInRefused.UNREACHABLE
            )
            return _refusal_page(request, refusal, status=503)


class CouncilSignInCallbackView(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the browser back: signs in, or refuses with a page and a log line."""

    def get(self, request):
        _switched_on()
        try:
            return super().get(request)
        except SuspiciousOperation:
            # The library's answer to a state this browser's session never sent: a replayed or forged response.
            refusal = SignInRefused("the response's state matches no sign-in started in this browser")
            return _refusal_page(request, refusal)

    def login_success(self):
        response = super().login_success()
        logger.info("User %s signed in with a council account", self.user.pk)
        return response

    def login_failure(self):
        refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None) or self._refusal_from_request()
        return _refusal_page(self.request, refusal)

    def _refusal_from_request(self) -> SignInRefused:
        error = self.request.GET.get("error")
        if error:
            return SignInRefused(f"the identity provider answered {error[:60]!r}")
        if "code" not in self.request.GET or "state" not in self.request.GET:
            return SignInRefused("the response has no code or state")
        return SignInRefused("no sign-in was started in this browser")


urlpatterns = [
    path("", login_not_required(CouncilSignInView.as_view()), name="council_sign_in"),
    path(
        "callback/", login_not_required(CouncilSignInCallbackView.as_view()), name="council_sign_in_callback"
    ),
]
