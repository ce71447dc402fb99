"""Log lines as one JSON object each (LOG_FORMAT=json, the default in production), for the council's log service.

Every line has timestamp, level, logger and message; a line written about or during a request adds its method,
path, status and the signed-in user's id. Nothing in a line leads to a person's survey answers or account: a path
has no query string, a survey invitation's or password-reset link's token is replaced, and so is an email address.
"""

import contextlib
import contextvars
import logging
import os
import re
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.json import JsonFormatter

# The WSGI environ key through which the portal tells gunicorn's access log who was signed in.
USER_ID_KEY = "portal.user_id"
# Fields a line may carry besides timestamp, level, logger and message; any other `extra` is left out.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "bytes")
SURVEY_ANSWER_PATH = "/surveys/answer/"

_TOKENS = [
    (re.compile(r"(/surveys/answer/)(?!thanks/)[^/?#\s\"]+"), r"\1[token]"),
    (re.compile(r"(/password-reset/)(?!sent/|complete/)[^/?#\s\"]+/[^/?#\s\"]+"), r"\1[token]"),
]
_QUERY_STRING = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
_EMAIL_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")

_current_request: contextvars.ContextVar = contextvars.ContextVar("portal_request", default=None)


def log_format(environ=os.environ) -> str:
    """json unless LOG_FORMAT says otherwise; plain text when DEBUG is on (local development)."""
    debug = environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on", "y"}
    chosen = environ.get("LOG_FORMAT", "text" if debug else "json").strip().lower()
    if chosen not in {"json", "text"}:
        raise ValueError(f"LOG_FORMAT must be json or text, not {chosen!r}")
    return chosen


def without_tokens(text: str) -> str:
    """An address with its tokens replaced; the query string is kept (the plain-text access log's shape)."""
    for pattern, replacement in _TOKENS:
        text = pattern.sub(replacement, text)
    return text


def safe_text(text: str) -> str:
    """Text fit for a log line: no token, no query string, no email address."""
    return _EMAIL_ADDRESS.sub("[email]", _QUERY_STRING.sub(r"\1", without_tokens(text)))


def names_no_user(path: str) -> bool:
    """The survey's answer pages: a user id and a time there would say who answered when, which the survey never
    records (surveys/services/responses.py), so their lines carry no user id."""
    return path.startswith(SURVEY_ANSWER_PATH)


def request_fields(request) -> dict[str, Any]:
    """Method, path and user id of a Django request; nothing else of it (headers and query strings hold secrets)."""
    if not hasattr(request, "method") or not hasattr(request, "path"):
        return {}
    fields: dict[str, Any] = {"method": request.method, "path": safe_text(request.path)}
    if names_no_user(request.path):
        return fields
    # A log line never fails for want of a user (one written before authentication, or with the database down).
    with contextlib.suppress(Exception):
        if request.user.is_authenticated:
            fields["user_id"] = request.user.pk
    return fields


class JsonLineFormatter(JsonFormatter):
    """One JSON object a line: timestamp, level, logger, message, and the request's fields where there is one."""

    def __init__(self, *args, **kwargs):
        super().__init__(timestamp=True)

    def add_fields(self, log_data: dict[str, Any], record, message_dict: dict[str, Any]) -> None:
        log_data["timestamp"] = self.formatTime(record)
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = safe_text(record.getMessage())
        request = getattr(record, "request", None) or _current_request.get()
        if request is not None:
            log_data.update(request_fields(request))
        if isinstance(getattr(record, "status_code", None), int):
            log_data["status"] = record.status_code
        for field in REQUEST_FIELDS:
            value = record.__dict__.get(field)
            if value is not None:
                log_data[field] = safe_text(value) if isinstance(value, str) else value
        for field in ("exc_info", "stack_info"):
            if message_dict.get(field):
                log_data[field] = safe_text(message_dict[field])

    def formatTime(self, record, datefmt=None) -> str:  # noqa: N802 - logging's name
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")


class TextLineFormatter(logging.Formatter):
    """The same lines for people to read (LOG_FORMAT=text), with the same things left out."""

    def format(self, record) -> str:
        return safe_text(super().format(record))


def request_log_context(get_response):
    """Lets each log line written while a request is handled name it, and gunicorn's access log name its user."""

    def middleware(request):
        token = _current_request.set(request)
        try:
            response = get_response(request)
        finally:
            _current_request.reset(token)
        user = getattr(request, "user", None)
        if user is not None and not names_no_user(request.path) and user.is_authenticated:
            request.META[USER_ID_KEY] = str(user.pk)
        return response

    return middleware
