"""Settings for the test suite: real PostgreSQL by default, plain static storage for the live server."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-suite-only-not-secret")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from .base import *  # noqa: E402,F403
from .base import DATABASES, EMAIL_HOST, STORAGES, VAR_DIR, env  # noqa: E402

ALLOWED_HOSTS = ["*"]
# One test database per pytest process, so that runs side by side never drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_FILE_PATH = str(VAR_DIR / "test-mail")
# The real worker started by the worker tests is given the SMTP sink's address; everything else stays in memory.
if not EMAIL_HOST:
    OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests run tasks in-process; the real-worker tests start their own worker on the broker, with this off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
