"""Every POST needs the CSRF token: without it the answer is a 403 and nothing changes."""

import pytest
from django.apps import apps
from django.db.models import Count, Max
from django.urls import URLPattern, URLResolver, get_resolver

from tests.hostile import strict_csp_problems
from tests.hostile.conftest import PORTAL_APPS, forms_on
from tests.permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

# POST rows of the matrix today; fewer means rows stopped being checked.
POST_ROWS_FOUND = 70


def _state() -> dict:
    """How many records each model holds and when the last one changed."""
    state = {}
    for model in (m for app in PORTAL_APPS for m in apps.get_app_config(app).get_models()):
        fields = {f.name for f in model._meta.concrete_fields}
        last = {"last": Max("updated_at")} if "updated_at" in fields else {}
        state[model._meta.label] = model._default_manager.aggregate(count=Count("pk"), **last)
    return state


def _may_post(row) -> str | None:
    """A role the row lets through (anything but a refusal), preferring council staff."""
    for role in ("superuser", "manager", "editor", "officer", "director", "provider_a", "anonymous"):
        if row.expected[role] not in (403, 404) and not (role == "anonymous" and row.expected[role] == 302):
            return role
    return None


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(site):
    posts = [(row, role) for row in _post_rows() if (role := _may_post(row))]
    # Forms anyone may use (sign in, password reset, a survey answered through its link) have no matrix POST row.
    anonymous_forms = [form for form in forms_on(site.crawl(roles=("anonymous",))) if form.method == "post"]
    assert len(posts) >= POST_ROWS_FOUND, len(posts)
    assert {form.action.split("/")[1] for form in anonymous_forms} >= {"sign-in", "password-reset", "surveys"}
    targets = [(role, site.url(row)) for row, role in posts] + [
        ("anonymous", f.action) for f in anonymous_forms
    ]
    before = _state()

    refused = {}
    for role, url in targets:
        client = site.client(role, enforce_csrf_checks=True)
        response = client.post(url, {"submit": ""})
        if response.status_code != 403 or strict_csp_problems(response):
            refused[f"{role} {url}"] = (response.status_code, strict_csp_problems(response))

    assert refused == {}
    assert _state() == before


def _post_rows():
    return [row for row in MATRIX if row.method == "post"]


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf():
    views = list(_views(get_resolver().url_patterns))

    assert len(views) > 100
    assert [route for route, view in views if getattr(view, "csrf_exempt", False)] == []
