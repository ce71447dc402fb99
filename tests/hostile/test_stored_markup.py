"""Markup stored in any text field of any record comes back escaped on every page that shows it.

Filling forms stores only what passes their checks; here every stored free-text value of the portal's records
starts with the markup payload, and every page of the permission matrix is visited as council staff, a provider
user and an anonymous visitor.
"""

import pytest

from tests.hostile.conftest import MARKUP, every_stored_text, raw_markup_in

pytestmark = pytest.mark.django_db

ESCAPED = "&lt;script&gt;hostile"
# Pages showing a stored value with the payload on 26 November 2026; fewer means the check sees less.
PAGES_SHOWING_IT = 100


def test_stored_markup_comes_back_escaped_on_every_page(site):
    for row, _role in site.rows():
        site.url(row)  # each row's records, made before they are changed
    assert every_stored_text(lambda value: f"{MARKUP}{value}") > 50

    pages = site.crawl()

    assert [f"{page.role} {page.url}: {page.status}" for page in pages if page.status >= 500] == []
    html = [page for page in pages if page.content_type.startswith("text/html")]
    assert {
        f"{page.role} {page.url}": raw_markup_in(page.text) for page in html if raw_markup_in(page.text)
    } == {}
    showing = [page for page in html if ESCAPED in page.text]
    assert len(showing) >= PAGES_SHOWING_IT, len(showing)


def test_stored_markup_comes_back_escaped_in_error_messages(site):
    """A form sent with nothing filled in names stored records in its errors (“Choose how far … was met”)."""
    rows = list(site.rows(method="post"))
    for row, _role in rows:
        site.url(row)
    every_stored_text(lambda value: f"{MARKUP}{value}")

    answers = {f"{role} {site.url(row)}": site.fetch(role, "post", site.url(row), {}) for row, role in rows}

    assert len(answers) >= 40
    assert {url: answer.status_code for url, answer in answers.items() if answer.status_code >= 500} == {}
    assert {
        url: raw_markup_in(answer.content.decode())
        for url, answer in answers.items()
        if raw_markup_in(answer.content.decode())
    } == {}
