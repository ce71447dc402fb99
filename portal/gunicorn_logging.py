"""Gunicorn's access log, without the survey invitations' tokens.

An invitation's link carries its token in the address (/surveys/answer/<token>/), and the pages it loads send that
address as their referrer; written to the access log, a token would tie a person's link to the time they answered.
"""

import re

from gunicorn.glogging import Logger

_TOKEN = re.compile(r"(/surveys/answer/)(?!thanks/)[^/?#\s\"]+")


def redact(text: str) -> str:
    return _TOKEN.sub(r"\1[token]", text)


class AccessLogWithoutTokens(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
