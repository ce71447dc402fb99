import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.hostile import inline_code_in, strict_csp_problems
from tests.permission_matrix import MATRIX, NAMESPACES_COVERED_WHOLE, ROLES


def _named_urls(patterns=None, namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            names |= _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_named_url_has_a_row_in_the_permission_matrix():
    covered = {row.url_name for row in MATRIX}
    uncovered = {
        name
        for name in _named_urls()
        if name not in covered and name.split(":", 1)[0] not in NAMESPACES_COVERED_WHOLE
    }
    assert uncovered == set(), f"Add permission-matrix rows for: {sorted(uncovered)}"


def test_permission_matrix_rows_name_real_urls():
    names = _named_urls()
    assert {row.url_name for row in MATRIX} <= names


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(row, role, users, matrix_objects):
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    url = reverse(row.url_name, kwargs=row.kwargs(matrix_objects))
    response = getattr(client, row.method)(url)
    expected = row.expected[role]
    acceptable = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in acceptable, f"{role} {row.method.upper()} {url}: {response.status_code}"
    if role == "anonymous" and response.status_code == 302 and row.url_name not in {"logout", "admin:index"}:
        assert response["Location"].startswith(reverse("login"))
    # Every answer, refusals and errors included, carries the strict policy; a page needs nothing it would block.
    assert strict_csp_problems(response) == [], f"{role} {row.method.upper()} {url}"
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        assert inline_code_in(response.content.decode()) == [], f"{role} {row.method.upper()} {url}"
