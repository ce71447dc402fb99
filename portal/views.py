from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory.models import Area
from portal import forms, health, roles
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


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")
