"""Who takes the second step, checking codes (throttled as passwords are), setting up an app, recovery codes, resets."""

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import RecoveryCode, SecondStepReset, User
from portal.outbox.services import outbox_message_record
from portal.permissions import is_council_staff

logger = logging.getLogger(__name__)

SESSION_KEY = "second_step.state"
# Where a signed-in session stands.
CODE_NEEDED = "code needed"  # has an authenticator: must enter a code before anything else
SET_UP_NEEDED = "set-up needed"  # must set one up before anything else
OFFERED = "offered"  # a provider's staff without one, where it is offered: may set one up
PASSED = "passed"  # took the second step in this session
NOT_HERE = "identity provider"  # signed in with the council's identity provider, which has its own
WAITING = frozenset({CODE_NEEDED, SET_UP_NEEDED})

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read from paper
_SINGLE_SIGN_ON_BACKEND = "portal.single_sign_on.CouncilAccountBackend"


class SecondStepRefused(Exception):
    """A code was not accepted. `message` is for the person; `reason` for the log."""

    def __init__(self, message: str, *, reason: str, paused_until: datetime | None = None):
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.paused_until = paused_until


def is_council_account(user) -> bool:
    return bool(user.is_superuser or user.is_staff) or is_council_staff(user)


def required_for(user) -> bool:
    """Whether this person must take the second step after a password (whether or not they have set it up)."""
    return is_council_account(user) or settings.SECOND_STEP_FOR_PROVIDERS == "required"


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def state_for(user, *, backend: str = "") -> str:
    """Where a session just signed in stands."""
    if backend == _SINGLE_SIGN_ON_BACKEND:
        return NOT_HERE
    if authenticator(user) is not None:
        return CODE_NEEDED
    return SET_UP_NEEDED if required_for(user) else OFFERED


def session_state(request) -> str:
    """Where this signed-in session stands; a session made before the step existed is worked out once."""
    state = request.session.get(SESSION_KEY)
    if state is None:
        state = state_for(request.user, backend=request.session.get("_auth_user_backend", ""))
        request.session[SESSION_KEY] = state
    return state


def second_step_start(sender, request, user, **kwargs) -> None:
    """At every sign-in (connected to user_logged_in in PortalConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_for(user, backend=getattr(user, "backend", ""))


def mark_passed(request) -> None:
    # A new session key once the second step is taken, as at any change of privilege.
    request.session.cycle_key()
    request.session[SESSION_KEY] = PASSED


# Checking codes --------------------------------------------------------------------------------------------------


def _pause() -> timedelta:
    return timedelta(hours=settings.AXES_COOLOFF_TIME)


def _paused_until(device: TOTPDevice) -> datetime | None:
    """After AXES_FAILURE_LIMIT wrong codes in a row, codes are refused until the pause after the last has passed."""
    failed_at = device.throttling_failure_timestamp
    if device.throttling_failure_count >= settings.AXES_FAILURE_LIMIT and failed_at is not None:
        until = failed_at + _pause()
        if until > timezone.now():
            return until
    return None


def _paused(device: TOTPDevice, *, user) -> SecondStepRefused | None:
    failed_at = device.throttling_failure_timestamp
    if failed_at is not None and failed_at + _pause() <= timezone.now():
        # As with passwords, wrong codes older than the pause are forgotten.
        device.throttle_reset(commit=True)
    until = _paused_until(device)
    if until is None:
        return None
    _log_refusal(user, "paused")
    return SecondStepRefused(
        "There have been too many wrong codes. Wait before you try again.",
        reason="paused",
        paused_until=until,
    )


def _refused(device: TOTPDevice, *, user, reason: str, message: str) -> SecondStepRefused:
    _log_refusal(user, reason)
    return SecondStepRefused(message, reason=reason, paused_until=_paused_until(device))


def _log_refusal(user, reason: str) -> None:
    logger.warning("Second sign-in step refused", extra={"user_id": user.pk, "reason": reason})


def normalised_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _was_used_already(device: TOTPDevice, token: int) -> bool:
    """Whether `token` is a right code that has been used already (refused as a reuse rather than as wrong)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.time = time.time() + offset * device.step
        if totp.t() <= device.last_t and totp.token() == token:
            return True
    return False


def _locked_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=confirmed).order_by("-pk").first()
    )


# Each check runs in a transaction that holds the device row, and returns its refusal rather than raising it there:
# a raise would roll back the count of wrong codes that the pause depends on.


def _authenticator_code_refusal(device: TOTPDevice, *, user, code: str) -> SecondStepRefused | None:
    paused = _paused(device, user=user)
    if paused:
        return paused
    token = normalised_code(code)
    if not (token.isascii() and token.isdigit() and len(token) == device.digits):
        device.throttle_increment(commit=True)
        return _refused(
            device,
            user=user,
            reason="not a code",
            message=f"Enter the {device.digits}-digit code from your authenticator app",
        )
    if device.verify_token(int(token)):  # counts a wrong code itself
        return None
    if _was_used_already(device, int(token)):
        return _refused(
            device,
            user=user,
            reason="reused",
            message="That code has been used already. Wait for your authenticator app to show a new code, then enter it",
        )
    return _refused(
        device,
        user=user,
        reason="wrong",
        message="The code is not right. Check your authenticator app and enter the code it shows now",
    )


def _no_authenticator() -> SecondStepRefused:
    return SecondStepRefused("Set up an authenticator app first", reason="no authenticator")


def authenticator_code_check(*, user, code: str) -> None:
    """Accept a current, unused code from the person's authenticator app, or raise SecondStepRefused.

    The device row is locked while the code is checked, so the same code sent twice at once is accepted once.
    """
    with transaction.atomic():
        device = _locked_device(user)
        refusal = (
            _no_authenticator()
            if device is None
            else _authenticator_code_refusal(device, user=user, code=code)
        )
    if refusal:
        raise refusal


def recovery_code_check(*, user, code: str) -> int:
    """Use up one recovery code, or raise SecondStepRefused; returns how many are left.

    Wrong recovery codes count towards the same pause as wrong app codes.
    """
    with transaction.atomic():
        device = _locked_device(user)
        refusal = _no_authenticator() if device is None else _paused(device, user=user)
        if refusal is None:
            used = RecoveryCode.objects.filter(
                user=user, digest=_digest(normalised_code(code)), used_at__isnull=True
            ).update(used_at=timezone.now())
            if used:
                device.throttle_reset(commit=True)
            else:
                device.throttle_increment(commit=True)
                refusal = _refused(
                    device,
                    user=user,
                    reason="wrong recovery code",
                    message="The recovery code is not right, or has been used already. Check it and try again",
                )
    if refusal:
        raise refusal
    return recovery_codes_left(user)


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# Setting up an authenticator app ----------------------------------------------------------------------------------


def authenticator_set_up_start(*, user) -> TOTPDevice:
    """The app being set up: made once and kept until its first code confirms it, so reloading shows the same key."""
    with transaction.atomic():
        device = _locked_device(user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        return device


def authenticator_set_up_confirm(*, user, code: str) -> list[str]:
    """Confirm the app being set up with its first code; it replaces any earlier app. Returns new recovery codes."""
    with transaction.atomic():
        device = _locked_device(user, confirmed=False)
        if device is None:
            refusal = SecondStepRefused("Start setting up your authenticator app again", reason="no set-up")
        else:
            refusal = _authenticator_code_refusal(device, user=user, code=code)
        if refusal is None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = recovery_codes_renew(user=user)
    if refusal:
        raise refusal
    logger.info("Authenticator app set up", extra={"user_id": user.pk})
    return codes


def _digest(code: str) -> str:
    # Recovery codes are long and random, so a plain digest is enough: there is nothing to guess from.
    return hashlib.sha256(code.encode()).hexdigest()


def _new_recovery_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))


def recovery_codes_renew(*, user) -> list[str]:
    """Replace all the person's recovery codes with new ones, shown as "xxxxx-xxxxx"; returns them."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


class SecondStepNotRemovable(Exception):
    pass


def second_step_remove(*, user) -> None:
    """A provider's staff may stop using the step where it is only offered."""
    if required_for(user):
        raise SecondStepNotRemovable("Your account must use the second step, so it cannot be turned off")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    logger.info("Second sign-in step turned off", extra={"user_id": user.pk})


# An administrator's reset ------------------------------------------------------------------------------------------


class ResetRefused(Exception):
    pass


@dataclass(frozen=True)
class ResetDone:
    reset: SecondStepReset
    sessions_ended: int


def second_step_reset(*, administrator: User, user: User, reason: str) -> ResetDone:
    """Take away a person's authenticator and recovery codes, sign them out everywhere and tell them by email.

    At their next sign-in they set up an app again (or, a provider's staff where it is offered, may).
    """
    if user.pk == administrator.pk:
        raise ResetRefused("You cannot reset your own second step: ask another administrator")
    if not administrator.is_superuser:
        raise ResetRefused("Only administrators can reset a person's second step")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        reset = SecondStepReset.objects.create(user=user, reset_by=administrator, reason=reason)
        ended = _end_sessions_of(user)
        outbox_message_record(email_message=_reset_email(user))
    logger.info(
        "Second sign-in step reset by an administrator",
        extra={"user_id": user.pk, "administrator_id": administrator.pk},
    )
    return ResetDone(reset=reset, sessions_ended=ended)


def _end_sessions_of(user) -> int:
    """Delete the person's live sessions. Sessions last SESSION_ABSOLUTE_HOURS at most, so few are live."""
    ours = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ours).delete()
    return len(ours)


def _reset_email(user) -> EmailMessage:
    context = {"user": user, "site_url": settings.SITE_URL, "council_name": settings.COUNCIL_NAME}
    return EmailMessage(
        subject="Your sign-in second step was reset",
        body=render_to_string("registration/second_step/reset_email.txt", context),
        to=[user.email],
    )
