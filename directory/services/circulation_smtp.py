"""Handing one circulation message to the mail server with a commit point just before its end.

SMTP gives a sender no way to be told twice, so a message is only ever "not sent", "sent", or — when the sender
stops between ending the message and hearing the server's answer — "may have arrived". The conversation below
sends everything but the final "." first, then calls `claim()`, which records in the database that the message
is being handed over. Only if the claim succeeds is the "." sent. A worker killed before the claim has sent
nothing the server keeps (an unfinished message is discarded); one killed after it leaves a row that says
the message may have arrived, and it is never sent again.
"""

import contextlib
import re
import smtplib
from collections.abc import Callable

_LEADING_DOT = re.compile(rb"(?m)^\.")
_END_OF_DATA = b".\r\n"


class NotClaimed(Exception):
    """Another worker took this delivery first; the message was abandoned before its end."""


class AnswerLost(Exception):
    """The message was ended but the server's answer never came: it may have arrived."""


def dot_stuffed(message: bytes) -> bytes:
    """The message as SMTP carries it (CRLF line endings assumed): each line starting "." doubled, ending CRLF.

    Worth doing once for a message sent many times; personalising its headers afterwards keeps it valid.
    """
    body = _LEADING_DOT.sub(b"..", message)
    return body if body.endswith(b"\r\n") else body + b"\r\n"


def message_hand_over(
    smtp: smtplib.SMTP, *, sender: str, recipient: str, stuffed: bytes, claim: Callable[[], bool]
):
    """Send a `dot_stuffed()` message to `recipient`; raises smtplib errors for refusals, as sendmail does."""
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(recipient)
    if code not in (250, 251):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
    code, answer = smtp.docmd("data")
    if code != 354:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, answer)
    smtp.send(stuffed)
    if not claim():
        # Mid-message, the only way to take it back is to hang up: the server discards an unfinished message.
        smtp.close()
        raise NotClaimed
    try:
        smtp.send(_END_OF_DATA)
        code, answer = smtp.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        smtp.close()
        raise AnswerLost(str(error) or type(error).__name__) from error
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def _reset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()
