"""The second step's pages: entering a code at sign-in, setting up an app, recovery codes, and administrators' resets."""

from base64 import b32encode
from functools import wraps
from io import BytesIO

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.models import SecondStepReset

from . import services
from .forms import AuthenticatorCodeForm, RecoveryCodeForm, SecondStepResetForm
from .middleware import second_step_not_needed

NEW_CODES = "second_step.new_recovery_codes"
LOW_RECOVERY_CODES = 3


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("home")


def _paused_page(request: HttpRequest, refusal: services.SecondStepRefused) -> HttpResponse:
    return render(
        request, "registration/second_step/paused.html", {"paused_until": refusal.paused_until}, status=429
    )


def _with_next(request: HttpRequest, name: str) -> str:
    return f"{reverse(name)}?next={_next(request)}"


class _Paused(Exception):
    def __init__(self, refusal: services.SecondStepRefused):
        self.refusal = refusal


def _answers_a_pause(view):
    """Too many wrong codes: whichever page the code was entered on answers with the pause page."""

    @wraps(view)
    def answering(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Paused as paused:
            context = {"paused_until": paused.refusal.paused_until}
            return render(request, "registration/second_step/paused.html", context, status=429)

    return answering


def _step_taken(request: HttpRequest, form, check) -> tuple[bool, object]:
    """Whether the code in `form` passed `check` (the session then counts the step as taken), and what the check
    returned. A refusal goes on the form; a pause raises _Paused."""
    if not form.is_valid():
        return False, None
    try:
        result = check(user=request.user, code=form.cleaned_data["code"])
    except services.SecondStepRefused as refusal:
        if refusal.reason == "paused":
            raise _Paused(refusal) from refusal
        form.add_error("code", refusal.message)
        return False, None
    services.mark_passed(request)
    return True, result


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@second_step_not_needed
@never_cache
@require_http_methods(["GET", "POST"])
@_answers_a_pause
def second_step(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the person's authenticator app."""
    state = services.session_state(request)
    if state == services.SET_UP_NEEDED:
        return redirect(_with_next(request, "second_step_set_up"))
    if state != services.CODE_NEEDED:
        return redirect(_next(request))
    form = AuthenticatorCodeForm(_posted(request))
    passed, _ = _step_taken(request, form, services.authenticator_code_check)
    if passed:
        return redirect(_next(request))
    return render(request, "registration/second_step/code.html", {"form": form, "next": _next(request)})


@second_step_not_needed
@never_cache
@require_http_methods(["GET", "POST"])
@_answers_a_pause
def second_step_recovery(request: HttpRequest) -> HttpResponse:
    """When the authenticator app is not to hand: one of the recovery codes, each used once."""
    if services.session_state(request) != services.CODE_NEEDED:
        return redirect(_next(request))
    form = RecoveryCodeForm(_posted(request))
    passed, left = _step_taken(request, form, services.recovery_code_check)
    if passed:
        text = f"You used a recovery code. You have {left} left."
        if left <= LOW_RECOVERY_CODES:
            text += " Make new recovery codes from your account page."
        messages.warning(request, text)
        return redirect(_next(request))
    return render(request, "registration/second_step/recovery.html", {"form": form, "next": _next(request)})


def _may_set_up(request: HttpRequest) -> bool:
    # With an app already set up, a new one may be set up only after a code from the old one (or a recovery code).
    return services.session_state(request) != services.CODE_NEEDED


@second_step_not_needed
@never_cache
@require_http_methods(["GET", "POST"])
@_answers_a_pause
def second_step_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter the first code it shows."""
    if not _may_set_up(request):
        return redirect(_with_next(request, "second_step"))
    device = services.authenticator_set_up_start(user=request.user)
    form = AuthenticatorCodeForm(_posted(request), submit="Set up")
    passed, codes = _step_taken(request, form, services.authenticator_set_up_confirm)
    if passed:
        request.session[NEW_CODES] = codes
        return redirect(_with_next(request, "second_step_recovery_codes"))
    key = _base32_key(device)
    context = {
        "form": form,
        "next": _next(request),
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        "required": services.required_for(request.user),
        "replacing": services.authenticator(request.user) is not None,
    }
    return render(request, "registration/second_step/set_up.html", context)


def _base32_key(device) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


@second_step_not_needed
@never_cache
@require_http_methods(["GET"])
def second_step_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the app being set up, for the set-up page's image."""
    if not _may_set_up(request):
        raise Http404("Nothing is being set up")
    device = services.authenticator_set_up_start(user=request.user)
    picture = BytesIO()
    segno.make(device.config_url, error="m").save(picture, kind="svg", scale=5, border=4, xmldecl=False)
    return HttpResponse(picture.getvalue(), content_type="image/svg+xml")


@never_cache
@require_http_methods(["GET"])
def second_step_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES, None)
    return render(
        request, "registration/second_step/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """The person's own account: how they sign in, and their second step."""
    user = request.user
    has_app = services.authenticator(user) is not None
    context = {
        "has_app": has_app,
        "codes_left": services.recovery_codes_left(user) if has_app else 0,
        "required": services.required_for(user),
        "state": services.session_state(request),
        "identity_provider": services.NOT_HERE,
    }
    return render(request, "registration/second_step/account.html", context)


@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if services.authenticator(request.user) is None:
        messages.error(request, "Set up an authenticator app before making recovery codes.")
        return redirect("account")
    request.session[NEW_CODES] = services.recovery_codes_renew(user=request.user)
    return redirect(f"{reverse('second_step_recovery_codes')}?next={reverse('account')}")


@require_http_methods(["GET", "POST"])
def second_step_turn_off(request: HttpRequest) -> HttpResponse:
    """Providers' staff, where the step is offered, may stop using it."""
    if services.required_for(request.user) or services.authenticator(request.user) is None:
        raise Http404("The second step cannot be turned off for this account")
    if request.method == "POST":
        services.second_step_remove(user=request.user)
        request.session[services.SESSION_KEY] = services.OFFERED
        messages.success(request, "The second step is turned off. You can set it up again at any time.")
        return redirect("account")
    return render(request, "registration/second_step/turn_off.html")


@require_http_methods(["GET", "POST"])
def second_step_reset(request: HttpRequest) -> HttpResponse:
    """For administrators: take away a person's authenticator and recovery codes, for example after a lost phone."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only administrators reset a person's second step")
    form = SecondStepResetForm(_posted(request), administrator=request.user)
    if form.is_valid():
        person = form.cleaned_data["email"]
        try:
            done = services.second_step_reset(
                administrator=request.user, user=person, reason=form.cleaned_data["reason"]
            )
        except services.ResetRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request,
                f"The second step of {person.email} is reset; they were signed out of {done.sessions_ended} "
                f"session{'s' if done.sessions_ended != 1 else ''} and sent an email.",
            )
            return redirect("second_step_reset")
    resets = SecondStepReset.objects.select_related("user", "reset_by")[:20]
    return render(request, "registration/second_step/reset.html", {"form": form, "resets": resets})


urlpatterns = [
    path("sign-in/second-step/", second_step, name="second_step"),
    path("sign-in/second-step/recovery-code/", second_step_recovery, name="second_step_recovery"),
    path("sign-in/second-step/set-up/", second_step_set_up, name="second_step_set_up"),
    path("sign-in/second-step/set-up/qr-code.svg", second_step_qr, name="second_step_qr"),
    path(
        "sign-in/second-step/recovery-codes/", second_step_recovery_codes, name="second_step_recovery_codes"
    ),
    path("account/", account, name="account"),
    path("account/recovery-codes/", recovery_codes_renew, name="recovery_codes_renew"),
    path("account/second-step/turn-off/", second_step_turn_off, name="second_step_turn_off"),
    path("account/second-step/reset/", second_step_reset, name="second_step_reset"),
]
