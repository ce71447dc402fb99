"""The "every URL has rows" check of test_permission_matrix.py can fail: a page added with no row is named."""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns
from tests import test_permission_matrix as matrix_tests


def _unlisted_page(request):
    return HttpResponse("A page nobody said who may see.")


# The portal's URLs and two more, one of them in a namespace: this module stands in as the root URLconf.
urlpatterns = [
    *portal_urlpatterns,
    path("unlisted/", _unlisted_page, name="unlisted-page"),
    path("scheme/", include(([path("overview/", _unlisted_page, name="overview")], "pilot_scheme"))),
]


def test_a_url_added_without_rows_fails_the_coverage_check_and_is_named(settings):
    settings.ROOT_URLCONF = __name__

    with pytest.raises(AssertionError) as failure:
        matrix_tests.test_every_named_url_has_a_row_in_the_permission_matrix()

    message = str(failure.value)
    assert "unlisted-page" in message
    assert "pilot_scheme:overview" in message


def test_the_portals_own_urls_pass_the_coverage_check():
    matrix_tests.test_every_named_url_has_a_row_in_the_permission_matrix()
