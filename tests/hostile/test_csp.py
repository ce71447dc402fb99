"""Every page carries the strict Content-Security-Policy, error pages included, and needs nothing it would block."""

import pytest
from django.urls import include, path

from tests.hostile import inline_code_in, strict_csp_problems

pytestmark = pytest.mark.django_db


def _fails(request):
    raise RuntimeError("a fault in a view")


# The portal's URLs plus a view that fails, for the 500 page (`pytest.mark.urls` below).
urlpatterns = [
    path("fails/", _fails),
    path("", include("portal.urls")),
]


def test_the_strict_policy_check_finds_a_loose_policy_and_inline_code(settings, client):
    loose = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"] | {"script-src": ["'self'", "'unsafe-inline'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": loose}

    response = client.get("/sign-in/")

    assert strict_csp_problems(response) == ["script-src allows 'unsafe-inline'"]
    assert inline_code_in('<p style="x" onclick="y"></p><script>z()</script><a href="javascript:z()">') == [
        "<p style=>",
        "<p onclick=>",
        "<script> without src",
        "<a href=javascript:>",
    ]


@pytest.mark.urls("tests.hostile.test_csp")
@pytest.mark.parametrize(
    ("url", "status"),
    [("/", 200), ("/fails/", 500), ("/no-such-page/", 404), ("/directory/manage/officers/add/", 403)],
)
def test_pages_and_error_pages_carry_the_strict_policy_and_no_inline_code(users, url, status):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(users["provider_a"])

    response = client.get(url)

    assert response.status_code == status
    assert strict_csp_problems(response) == []
    assert inline_code_in(response.content.decode()) == []
