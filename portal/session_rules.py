"""Session rules: a signed-in session ends after a spell without requests, and some hours after signing in.

The times are kept in the session: when the person signed in and when they were last active. Activity is
written at most every `activity_resolution()` seconds, so an ordinary page view costs no extra write. A session
with no times yet (made before these rules, or by a test's forced sign-in) counts as active now. The survey
answering pages, reached from a personal link with no sign-in, are never interrupted, and asking how long is left
is not activity.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils import timezone

SIGNED_IN_AT = "session_rules.signed_in_at"
ACTIVE_AT = "session_rules.active_at"
# Views the rules leave alone: personal-link pages that need no sign-in, feeds, probes, and the time-left check.
UNTIMED_VIEWS = {
    "surveys:respond",
    "surveys:respond-thanks",
    "engagement:plan-ical",
    "engagement:group-ical",
    "healthz",
    "session_status",
}


@dataclass(frozen=True)
class TimeLeft:
    """Seconds until the session ends, and whether a request would put that end back (only the idle one moves)."""

    seconds: float
    can_extend: bool
    warning_seconds: float


def idle_seconds() -> float:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def absolute_seconds() -> float:
    return settings.SESSION_ABSOLUTE_HOURS * 60 * 60


def activity_resolution() -> float:
    """How stale the recorded activity may get before a request writes it again: a minute at most."""
    return min(60.0, idle_seconds() / 30)


def _now() -> float:
    return timezone.now().timestamp()


def session_start(sender, request: HttpRequest, user, **kwargs) -> None:
    """Both clocks start at sign-in (connected to user_logged_in in PortalConfig.ready)."""
    if request is None:
        return
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now


def session_extend(request: HttpRequest) -> None:
    """Record the person as active now, whenever they were last."""
    request.session[ACTIVE_AT] = _now()


def _stamp(request: HttpRequest, key: str, default: float) -> float:
    """A recorded time, or `default` when there is none (or it is not a number: never a server error)."""
    try:
        return float(request.session[key])
    except (KeyError, TypeError, ValueError):
        return default


def time_left(request: HttpRequest) -> TimeLeft:
    now = _now()
    idle_left = _stamp(request, ACTIVE_AT, now) + idle_seconds() - now
    absolute_left = _stamp(request, SIGNED_IN_AT, now) + absolute_seconds() - now
    return TimeLeft(
        seconds=max(0.0, min(idle_left, absolute_left)),
        can_extend=absolute_left > idle_left,
        warning_seconds=settings.SESSION_WARNING_MINUTES * 60,
    )


def _ended_because(request: HttpRequest) -> str | None:
    now = _now()
    if now - _stamp(request, SIGNED_IN_AT, now) > absolute_seconds():
        return (
            f"You were signed out because you signed in more than {_hours(absolute_seconds())} ago. "
            "Sign in again to carry on."
        )
    if now - _stamp(request, ACTIVE_AT, now) > idle_seconds():
        return (
            f"You were signed out because you had not used the portal for {_minutes(idle_seconds())}. "
            "Sign in again to carry on."
        )
    return None


def _minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}" if minutes else f"{round(seconds)} seconds"


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:g} hour{'s' if hours != 1 else ''}" if hours >= 1 else _minutes(seconds)


class SessionRulesMiddleware:
    """Signs out a session past its idle timeout or its absolute lifetime, saying why; otherwise notes activity.

    Runs before LoginRequiredMiddleware, which then sends the signed-out person to the sign-in page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in UNTIMED_VIEWS or not request.user.is_authenticated:
            return None
        reason = _ended_because(request)
        if reason:
            logout(request)
            messages.info(request, reason)
            return None
        now = _now()
        if now - _stamp(request, ACTIVE_AT, 0.0) >= activity_resolution():
            request.session[ACTIVE_AT] = now
        if _stamp(request, SIGNED_IN_AT, -1.0) < 0:
            request.session[SIGNED_IN_AT] = now
        request.session_time_left = time_left(request)
        return None
