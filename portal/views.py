from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from directory.models import Area
from portal import forms, health, roles, session_rules
from portal.second_step import services as second_step
from portal.second_step.middleware import second_step_not_needed
from portal.selectors import home_summary


def home(request: HttpRequest) -> HttpResponse:
    kind = roles.home_kind(request.user)
    return render(request, f"portal/home_{kind}.html", home_summary(user=request.user, kind=kind))


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: a signed-in page that reads one row."""
    area = Area.objects.order_by("pk").first()
    return render(request, "portal/floor.html", {"area": area})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health.health_report()
    return JsonResponse(report, status=200 if healthy else 503)


class SignInView(auth_views.LoginView):
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def get_success_url(self):
        # Straight on to the second step when the account takes one, rather than by way of the page asked for.
        wanted = super().get_success_url()
        state = second_step.session_state(self.request)
        if state in second_step.WAITING:
            target = "second_step" if state == second_step.CODE_NEEDED else "second_step_set_up"
            return f"{reverse(target)}?{urlencode({'next': wanted})}"
        return wanted

    def get_context_data(self, **kwargs):
        # The council's identity provider is offered only when single sign-on is switched on.
        return super().get_context_data(**kwargs) | {"council_sign_in": settings.OIDC_ENABLED}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/accessibility_statement.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "idle_minutes": _whole(settings.SESSION_IDLE_TIMEOUT_MINUTES),
            "absolute_hours": _whole(settings.SESSION_ABSOLUTE_HOURS),
            "warning_minutes": _whole(settings.SESSION_WARNING_MINUTES),
        },
    )


def _whole(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number


def _time_left_answer(request: HttpRequest) -> JsonResponse:
    left = session_rules.time_left(request)
    return JsonResponse({"seconds_left": round(left.seconds), "can_extend": left.can_extend})


@second_step_not_needed
@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left; asking is not activity, so an open tab does not keep a session alive."""
    return _time_left_answer(request)


@second_step_not_needed
@never_cache
@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """Stay signed in: the idle timeout starts again from now (the absolute lifetime does not move)."""
    session_rules.session_extend(request)
    return _time_left_answer(request)
