"""Gunicorn's logs: JSON lines like the portal's own (LOG_FORMAT=json), and never a survey invitation's token.

An invitation's link carries its token in the address (/surveys/answer/<token>/), and the pages it loads send that
address as their referrer; written to the access log, a token would tie a person's link to the time they answered.
In JSON the access line has the method, the path without its query string, the status, the duration and the
signed-in user's id (put in the WSGI environ by portal.structured_logs.request_log_context), and nothing else.
"""

from gunicorn.glogging import Logger

from portal.structured_logs import (
    USER_ID_KEY,
    JsonLineFormatter,
    log_format,
    names_no_user,
    safe_text,
    without_tokens,
)


def redact(text: str) -> str:
    return without_tokens(text)


class AccessLogWithoutTokens(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.json = log_format() == "json"
        if self.json:
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    if getattr(handler, "_gunicorn", False):
                        handler.setFormatter(JsonLineFormatter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}

    def access(self, resp, req, environ, request_time):
        if not getattr(self, "json", False):
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        status = str(resp.status).split(None, 1)[0]
        fields = {
            "method": environ.get("REQUEST_METHOD", "-"),
            "path": safe_text(environ.get("PATH_INFO", "")),
            "status": int(status) if status.isdigit() else status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
        }
        user_id = environ.get(USER_ID_KEY)
        if user_id and not names_no_user(environ.get("PATH_INFO", "")):
            fields["user_id"] = int(user_id) if user_id.isdigit() else user_id
        self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields)
        return None
