"""Until a signed-in session has taken its second step, it reaches only the second step's own pages."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from . import services


def second_step_not_needed(view):
    """Mark a view a signed-in session may reach before its second step (the step's own pages, signing out)."""
    view.second_step_not_needed = True
    return view


class SecondStepMiddleware:
    """Runs after LoginRequiredMiddleware: pages that need no sign-in need no second step either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        if (
            getattr(view_func, "second_step_not_needed", False)
            or getattr(view_func, "login_required", True) is False
        ):
            return None
        state = services.session_state(request)
        if state not in services.WAITING:
            return None
        target = "second_step" if state == services.CODE_NEEDED else "second_step_set_up"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
