"""Settings for every environment, read from the process environment with embedded defaults for local use."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from portal.structured_logs import log_format

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A secret with no default fails loudly outside local development.
SECRET_KEY = (
    env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="local-development-only-not-secret")
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

COUNCIL_NAME = env("COUNCIL_NAME", default="County Council")
SERVICE_NAME = "Provider Relationship Portal"

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Third party
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "django_filters",
    "simple_history",
    "csp",
    # Local
    "portal",
    "directory",
    "engagement",
    "partnerships",
    "surveys",
    "principles",
    "market",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the request (method, path, user id) in the log lines written while it is handled.
    "portal.structured_logs.request_log_context",
    # Before LoginRequiredMiddleware, which sends a session it has just ended to the sign-in page.
    "portal.session_rules.SessionRulesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.second_step.middleware.SecondStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection broken by a database restart is noticed and replaced before a request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out sign-in never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Throttle repeated failed sign-ins per account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Either too many failures for one account, or from one address, pauses sign-in.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The sign-in form's field is "username" (axes would look for the user model's "email" and count nothing per
# account); the address is counted in lower case, as sign-in accepts it in any case.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.forms.sign_in_username"
# Proxies in front of the portal: the client's address is read from X-Forwarded-For behind them (django-ipware,
# which axes would use for this, is not installed).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
AXES_CLIENT_IP_CALLABLE = "portal.forms.sign_in_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# The second sign-in step after a password (portal/second_step/): an authenticator app's code, or a recovery code.
# Council staff must use it; for providers' staff it is "offered" (encouraged, their choice) or "required".
SECOND_STEP_FOR_PROVIDERS = env.str("SECOND_STEP_FOR_PROVIDERS", default="offered")
if SECOND_STEP_FOR_PROVIDERS not in {"offered", "required"}:
    raise ImproperlyConfigured("SECOND_STEP_FOR_PROVIDERS must be offered or required")
# Wrong codes are throttled as wrong passwords are: after AXES_FAILURE_LIMIT in a row, a pause of the same length.
OTP_TOTP_THROTTLE_FACTOR = 0  # no growing pause between single attempts: the count and the pause above do it
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Provider Relationship Portal")

# OpenID Connect: council staff sign in with the council's identity provider (portal/single_sign_on.py). Off, the
# sign-in page has no council button and the single sign-on addresses are a 404.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_ALLOWED_EMAIL_DOMAINS = [domain.lower() for domain in env.list("OIDC_ALLOWED_EMAIL_DOMAINS", default=[])]
# Microsoft Entra ID sends no email_verified: there, add the optional claim xms_edov and name it here.
OIDC_EMAIL_VERIFIED_CLAIM = env("OIDC_EMAIL_VERIFIED_CLAIM", default="email_verified")
OIDC_ROLE_CLAIM = env("OIDC_ROLE_CLAIM", default="groups")
# "group-id=Officer,other-group-id=Director": when set, each sign-in gives the account exactly the mapped roles.
OIDC_GROUP_ROLE_MAP = env.dict("OIDC_GROUP_ROLE_MAP", default={})
OIDC_CREATE_OFFICERS = env.bool("OIDC_CREATE_OFFICERS", default=False)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "council_sign_in_callback"
if OIDC_ENABLED:
    from portal.roles import COUNCIL_ROLES

    if not (OIDC_ISSUER and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET and OIDC_ALLOWED_EMAIL_DOMAINS):
        raise ImproperlyConfigured(
            "OIDC_ENABLED needs OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ALLOWED_EMAIL_DOMAINS"
        )
    if set(OIDC_GROUP_ROLE_MAP.values()) - COUNCIL_ROLES:
        raise ImproperlyConfigured(f"OIDC_GROUP_ROLE_MAP may name only the roles {sorted(COUNCIL_ROLES)}")
    AUTHENTICATION_BACKENDS.append("portal.single_sign_on.CouncilAccountBackend")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: every message is written to the outbox first; the worker hands it to OUTBOX_DELIVERY_BACKEND.
EMAIL_BACKEND = "portal.outbox.backend.OutboxBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Provider Relationship Portal <portal@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
OUTBOX_DELIVERY_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# The quarterly contact-list circulation: recipients a chunk task sends to, and attempts per recipient.
CIRCULATION_CHUNK_SIZE = env.int("CIRCULATION_CHUNK_SIZE", default=100)
CIRCULATION_MAX_ATTEMPTS = env.int("CIRCULATION_MAX_ATTEMPTS", default=5)

# Celery: with no broker configured, tasks run in-process so that `make run` needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# max_retries 0: a publish made with retry=False (from a web request) fails at once when Redis is down, rather
# than waiting out kombu's two-second reconnect; the outbox sweep sends it later. Tasks that publish with the
# default retry policy (the worker's) still retry.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2, "max_retries": 0}
# The worker and beat keep reconnecting to Redis however long it is away, instead of exiting after 100 attempts.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The heartbeat is recorded every minute; older than this, the worker or beat is not running.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)

# Security headers. The policy allows only this site's own scripts, styles and images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Session rules (portal/session_rules.py): signed out after this long without a request, and this long after
# signing in whatever happens; pages warn this many minutes before the end and offer to stay signed in.
SESSION_IDLE_TIMEOUT_MINUTES = env.float("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_ABSOLUTE_HOURS = env.float("SESSION_ABSOLUTE_HOURS", default=8)
SESSION_WARNING_MINUTES = env.float("SESSION_WARNING_MINUTES", default=5)
# The stored session and its cookie last no longer than the absolute lifetime.
SESSION_COOKIE_AGE = round(SESSION_ABSOLUTE_HOURS * 60 * 60)
# Where people report a problem with the portal's accessibility (the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@example.org")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

DIRECTORY_STALE_AFTER_DAYS = env.int("DIRECTORY_STALE_AFTER_DAYS", default=182)
# An activity added to the forward plan less than this many weeks before it happens is ad hoc.
ENGAGEMENT_PLAN_WEEKS_AHEAD = env.int("ENGAGEMENT_PLAN_WEEKS_AHEAD", default=6)
# A provider's enquiry about a topic with no target of its own is answered within this many working days.
ENQUIRY_DEFAULT_TARGET_WORKING_DAYS = env.int("ENQUIRY_DEFAULT_TARGET_WORKING_DAYS", default=10)
ENQUIRY_ATTACHMENT_MAX_BYTES = env.int("ENQUIRY_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# A survey group with fewer responses than this is not shown anywhere: page, chart or export.
SURVEY_MINIMUM_GROUP_SIZE = env.int("SURVEY_MINIMUM_GROUP_SIZE", default=10)
# Sent survey answers are filed as responses this many at a time, so none can be matched to its invitation by the
# order in which the database wrote them (surveys/services/responses.py).
SURVEY_FILING_GROUP = env.int("SURVEY_FILING_GROUP", default=SURVEY_MINIMUM_GROUP_SIZE)
# Each Tier One provider should meet the council at least this often.
ENGAGEMENT_TIER_ONE_MEETINGS_PER_QUARTER = 1
DEMO_PASSWORD = env("DEMO_PASSWORD", default="relationship-portal-demo")
# The demo staff accounts' authenticator key (base32, as typed into an app); `make demo-code` shows its code.
DEMO_AUTHENTICATOR_KEY = env("DEMO_AUTHENTICATOR_KEY", default="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")

# json (one object a line, for the log service) or text; json unless DEBUG is on. Gunicorn reads the same variable
# (portal/gunicorn_logging.py), so its lines have the same shape.
LOG_FORMAT = log_format()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "portal.structured_logs.JsonLineFormatter"},
        "text": {
            "()": "portal.structured_logs.TextLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs a line for every step of every page at INFO. Django's template debugging names the request,
    # whose address may hold a survey invitation's token: never logged, whatever LOG_LEVEL says.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django.template": {"level": "INFO"},
    },
}
# The worker's lines go through LOGGING too, in the same shape, rather than Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
