"""The web process's access log never holds a survey invitation's token, in the address or the referrer."""

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from gunicorn.config import Config

from portal.gunicorn_logging import AccessLogWithoutTokens, redact

TOKEN = "Zk3q-9xVtR_5mP0aLwE2nYbC7dFgH1jK4sU6oI8eQ0w"


def test_a_token_in_a_survey_address_is_redacted_and_nothing_else_is():
    assert redact(f"GET /surveys/answer/{TOKEN}/ HTTP/1.1") == "GET /surveys/answer/[token]/ HTTP/1.1"
    assert redact(f"https://portal.example.org/surveys/answer/{TOKEN}/?page=2") == (
        "https://portal.example.org/surveys/answer/[token]/?page=2"
    )
    assert redact("/surveys/answer/thanks/") == "/surveys/answer/thanks/"
    assert redact("/surveys/dashboard/?year=2026") == "/surveys/dashboard/?year=2026"


def test_the_access_log_line_keeps_the_request_but_not_the_token():
    config = Config()
    config.set("accesslog", "-")
    logger = AccessLogWithoutTokens(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/surveys/answer/{TOKEN}/",
        "PATH_INFO": f"/surveys/answer/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://portal.example.org/surveys/answer/{TOKEN}/",
        "REMOTE_ADDR": "192.0.2.1",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])

    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=12))

    assert atoms["r"] == "POST /surveys/answer/[token]/ HTTP/1.1"
    assert atoms["s"] == "302"
    assert TOKEN not in repr(atoms)


def test_the_web_process_uses_the_redacting_access_log():
    settings_file = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert settings_file["logger_class"] == "portal.gunicorn_logging.AccessLogWithoutTokens"
    assert settings_file["accesslog"] == "-"
