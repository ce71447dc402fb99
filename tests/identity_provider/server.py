"""The council's identity provider, as the tests see it: discovery, JWKS, authorize, token and userinfo.

Built on authlib's OAuth 2.0 / OpenID Connect server in Flask. It signs ID tokens with a real RSA key that it
publishes at its JWKS address, uses each authorization code once, checks the client's secret and PKCE, and runs in a
thread on a free port. Tests change `id_token_lifetime` or `audience` to make it issue a token the portal must refuse.
"""

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlparse

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from authlib.oidc.core import grants as oidc_grants
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server

CLIENT_ID = "provider-relationship-portal"
CLIENT_SECRET = secrets.token_urlsafe(24)
CALLBACK_PATH = "/sign-in/council-account/callback/"


@dataclass
class Account:
    """Someone with an account at the council's identity provider."""

    email: str
    name: str = "Council Officer"
    email_verified: bool = True
    groups: list[str] = field(default_factory=list)

    @property
    def sub(self) -> str:
        return hashlib.sha256(self.email.encode()).hexdigest()[:32]


class Client(ClientMixin):
    """The portal, registered with the provider as a confidential client."""

    client_id = CLIENT_ID
    client_metadata: dict = {}

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return " ".join(part for part in scope.split() if part in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri):
        # The portal runs on a port each test server chooses: the path is what is registered.
        return urlparse(redirect_uri).path == CALLBACK_PATH

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    redirect_uri: str
    scope: str
    nonce: str | None
    account: Account
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


@dataclass
class Token(TokenMixin):
    access_token: str
    scope: str
    account: Account
    client: Client
    expires_in: int
    issued_at: float = field(default_factory=time.time)

    def check_client(self, client):
        return client.get_client_id() == self.client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self):
        return False

    def get_user(self):
        return self.account

    def get_client(self):
        return self.client


def user_info(account: Account) -> UserInfo:
    return UserInfo(
        sub=account.sub,
        name=account.name,
        email=account.email,
        email_verified=account.email_verified,
        groups=list(account.groups),
    )


class CodeGrant(grants.AuthorizationCodeGrant):
    """Codes kept in the provider's memory, each used once."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        payload = request.payload
        self.server.provider.codes[code] = AuthorizationCode(
            code=code,
            redirect_uri=payload.redirect_uri,
            scope=payload.scope,
            nonce=payload.data.get("nonce"),
            account=request.user,
            code_challenge=payload.data.get("code_challenge"),
            code_challenge_method=payload.data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code, client):
        return self.server.provider.codes.get(code)

    def delete_authorization_code(self, authorization_code):
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.account


class OpenIDCode(oidc_grants.OpenIDCode):
    """ID tokens signed with the provider's key, for the audience and lifetime the provider is set to."""

    def __init__(self, provider: "IdentityProvider") -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client):
        return self.provider.key

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.provider.key.kid}

    def get_client_claims(self, client):
        now = int(time.time())
        return {
            "iss": self.provider.issuer,
            "aud": [self.provider.audience or CLIENT_ID],
            "iat": now,
            "exp": now + self.provider.id_token_lifetime,
        }

    def generate_user_info(self, user, scope):
        return user_info(user)


class UserInfoFromToken(UserInfoEndpoint):
    def __init__(self, provider: "IdentityProvider", **kwargs) -> None:
        super().__init__(**kwargs)
        self.provider = provider

    def get_issuer(self):
        return self.provider.issuer

    def generate_user_info(self, user, scope):
        return user_info(user)


class TokenValidator(BearerTokenValidator):
    def __init__(self, provider: "IdentityProvider") -> None:
        super().__init__()
        self.provider = provider

    def authenticate_token(self, token_string):
        return self.provider.tokens.get(token_string)


class IdentityProvider:
    """The provider's state: accounts, codes, tokens and key, and what the next ID token will look like."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(8), "use": "sig"}, private=True
        )
        self.accounts: dict[str, Account] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}
        self.client = Client()
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.id_token_lifetime = 300
        self.audience: str | None = None
        self.token_requests = 0
        self.issuer = ""
        self.app = self._build_app()

    def add_account(self, email: str, **kwargs) -> Account:
        account = Account(email=email, **kwargs)
        self.accounts[email.lower()] = account
        return account

    def reset(self) -> None:
        self.accounts.clear()
        self.codes.clear()
        self.tokens.clear()
        self.id_token_lifetime = 300
        self.audience = None
        self.token_requests = 0

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        provider = self
        server = AuthorizationServer(
            app,
            query_client=lambda client_id: provider.client if client_id == CLIENT_ID else None,
            save_token=self._save_token,
        )

        protector = ResourceProtector()
        protector.register_token_validator(TokenValidator(provider))
        server.provider = provider
        server.register_grant(CodeGrant, [OpenIDCode(provider), CodeChallenge(required=True)])
        server.register_endpoint(UserInfoFromToken(provider, resource_protector=protector))

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=provider.issuer,
                authorization_endpoint=f"{provider.issuer}/authorize",
                token_endpoint=f"{provider.issuer}/token",
                userinfo_endpoint=f"{provider.issuer}/userinfo",
                jwks_uri=f"{provider.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
            )

        @app.get("/favicon.ico")
        def favicon():
            return "", 204  # a browser asks for one; a 404 would read as a broken page

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[provider.key.as_dict(private=False)])

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():
            if request.method == "GET":
                server.get_consent_grant()  # an invalid request is an error here, before anyone signs in
                return _SIGN_IN_PAGE.format(action=escape(request.full_path))
            account = provider.accounts.get(request.form.get("account", "").strip().lower())
            if account is None:
                return "No such account at the identity provider", 403
            grant = server.get_consent_grant(end_user=account)
            return server.create_authorization_response(grant_user=account, grant=grant)

        @app.post("/token")
        def token():
            provider.token_requests += 1
            return server.create_token_response()

        @app.route("/userinfo", methods=["GET", "POST"])
        def userinfo():
            return server.create_endpoint_response("userinfo")

        return app

    def _save_token(self, token: dict, request) -> None:
        self.tokens[token["access_token"]] = Token(
            access_token=token["access_token"],
            scope=token["scope"],
            account=request.user,
            client=request.client,
            expires_in=token["expires_in"],
        )


_SIGN_IN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Council identity provider</title></head>
<body><main><h1>Council identity provider</h1>
<form method="post" action="{action}">
<label for="account">Council account</label> <input id="account" name="account" type="email">
<button type="submit">Continue</button>
</form></main></body></html>"""


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # one line per request would bury the test output


class RunningProvider:
    """The provider served on 127.0.0.1 in a thread, until stopped."""

    def __init__(self) -> None:
        self.provider = IdentityProvider()
        self._server = make_server(
            "127.0.0.1", 0, self.provider.app, threaded=True, request_handler=_QuietRequestHandler
        )
        self.provider.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="identity-provider", daemon=True
        )

    def __enter__(self) -> IdentityProvider:
        self._thread.start()
        return self.provider

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def running_identity_provider():
    """A pytest fixture body: the provider for a whole test module, with its accounts emptied before each use."""
    with RunningProvider() as provider:
        yield provider


def switch_on_council_sign_in(settings, provider, *, domain: str) -> None:
    """Single sign-on on, as a council would set it from the environment, pointing at the local provider."""
    from django.core.cache import cache

    provider.reset()
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = [domain]
    settings.OIDC_GROUP_ROLE_MAP = {}
    settings.OIDC_CREATE_OFFICERS = False
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "portal.single_sign_on.CouncilAccountBackend",
    ]
    # The provider's discovery document is cached; this test's provider may be at another address.
    cache.clear()
