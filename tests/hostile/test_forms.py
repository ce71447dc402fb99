"""Every form and query parameter the crawl finds, given hostile values: never a 5xx, never markup given back.

The forms are found by construction: each GET page of the permission matrix is fetched as council staff, as a
provider user and as an anonymous visitor, and its <form>s are read, so a new form is covered without a change
here. `HOSTILE_EXAMPLES=200` runs more examples per form than CI does.
"""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from portal.models import OutboxMessage
from tests.hostile.conftest import (
    HOSTILE,
    MARKUP,
    Form,
    FormField,
    email_problems,
    forms_on,
    hostile_text,
    link_parameters,
    raw_markup_in,
)

pytestmark = pytest.mark.django_db

# Distinct forms the crawl found on 26 November 2026; fewer means the crawl silently stopped covering some.
FORMS_FOUND = 94
# Forms that make the contact-list PDF: seconds each, and they have no field to fill.
MAKES_A_PDF = ("/directory/contact-list/make/", "/directory/circulations/new/")
ESCAPED_MARKUP = "&lt;script&gt;hostile()&lt;/script&gt;"
NEXT_YEAR = dt.date.today().year + 1

HOSTILE_FILES = (
    ("invoice.pdf", b"<html><script>hostile()</script></html>"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("empty.csv", b""),
    ("<script>hostile()</script>.csv", b"Email,Full name\n=HYPERLINK(1),x\n"),
    ("notes.csv", b"\xff\xfe\x00\x00\x01"),
)


def _valid(form_field: FormField) -> st.SearchStrategy:
    """A value the form expects for this field: what it holds already, or one of its choices."""
    choices = [option for option in form_field.options if option] or [form_field.value]
    return st.sampled_from(choices)


def _value(form_field: FormField) -> st.SearchStrategy:
    if form_field.kind == "file":
        return st.sampled_from(HOSTILE_FILES).map(lambda file: [SimpleUploadedFile(*file)])
    if form_field.kind == "hidden" and form_field.name == "csrfmiddlewaretoken":
        return st.just(form_field.value)
    if form_field.kind in {"checkbox", "select"}:
        # Several values at once, one of them hostile, as a tampered request could send.
        return st.one_of(
            _valid(form_field), st.lists(st.one_of(_valid(form_field), hostile_text), max_size=3)
        )
    return st.one_of(_valid(form_field), hostile_text)


def submissions(form: Form) -> st.SearchStrategy:
    """The form's fields, each valid or hostile, some left out, and a few fields the form does not have."""
    fields = st.fixed_dictionaries(
        {},
        optional={name: _value(form_field) for name, form_field in form.fields.items()},
    )
    extra = st.dictionaries(
        st.sampled_from(["id", "pk", "user", "provider", "is_staff", "page"]), hostile_text
    )
    return st.tuples(fields, extra).map(lambda both: {**both[1], **both[0]})


def _fill(form_field: FormField) -> object:
    """A value meant to pass the form's checks, with the markup payload in every free-text field."""
    name, kind = form_field.name, form_field.kind
    if kind in {"hidden", "submit"} or (form_field.value and re.fullmatch(r"[\d ,:./-]+", form_field.value)):
        return form_field.value
    if kind in {"radio", "select", "checkbox"}:
        return form_field.value or next((option for option in form_field.options if option), "")
    if re.search(r"_[012]$", name):
        return {"0": "15", "1": "6", "2": str(NEXT_YEAR)}[name[-1]]
    if kind == "file":
        return []
    hints = {"email": "hostile@example.org", "link": "https://example.org/", "phone": "0300 555 0199"}
    hints |= {"time": "10:00", "year": str(NEXT_YEAR), "capacity": "10", "cap_per": "2"}
    for hint, value in hints.items():
        if hint in name or hint == kind:
            return value
    if kind in {"email", "url", "number"}:
        return {"email": "hostile@example.org", "url": "https://example.org/", "number": "5"}[kind]
    text = f"Evil {MARKUP} & Co"
    return text[: form_field.max_length] if form_field.max_length else text


def _submit(site, form: Form, data: dict):
    method = form.method if form.method in {"get", "post"} else "get"
    response = site.fetch(form.role, method, form.action, data)
    assert response.status_code < 500, (
        f"{form.role} {method.upper()} {form.action} {data!r}: {response.status_code}"
    )
    if response.get("Content-Type", "").startswith("text/html"):
        text = response.content.decode("utf-8", errors="replace")
        assert raw_markup_in(text) == [], f"{form.action} gave back {raw_markup_in(text)} for {data!r}"
    return response


def _fuzz(site, form: Form, strategy: st.SearchStrategy) -> None:
    @HOSTILE
    @given(data=strategy)
    def never_a_5xx_nor_markup(data):
        _submit(site, form, data)

    never_a_5xx_nor_markup()


def test_every_form_takes_hostile_values_without_a_5xx_or_markup_and_escapes_what_it_stores(site):
    forms = [form for form in forms_on(site.crawl()) if form.action not in MAKES_A_PDF]
    assert len(forms) >= FORMS_FOUND, f"only {len(forms)} forms found; the crawl no longer reaches them"

    failures, stored = [], 0
    for form in forms:
        try:
            _fuzz(site, form, submissions(form))
            filled = {name: _fill(form_field) for name, form_field in form.fields.items()}
            stored += _submit(site, form, filled).status_code == 302 and form.method == "post"
        except (AssertionError, ExceptionGroup) as failure:  # several distinct failures come as a group
            failures.append(str(failure).splitlines()[0][:600])
    assert failures == []

    pages = [page for page in site.crawl() if page.content_type.startswith("text/html")]
    unescaped = {page.url: raw_markup_in(page.text) for page in pages if raw_markup_in(page.text)}
    assert unescaped == {}
    # The payload did reach pages, escaped: the check above looked at stored values, not at nothing.
    assert stored >= 20, stored
    assert sum(ESCAPED_MARKUP in page.text for page in pages) >= 10
    # And every email those submissions caused kept its headers and escaped any HTML part.
    emails = OutboxMessage.objects.all()
    assert len(emails) >= 5
    assert email_problems(emails) == []


def test_every_query_parameter_and_page_number_takes_hostile_values(site):
    pages = site.crawl()
    parameters = link_parameters(pages)
    for form in forms_on(pages):
        if form.method == "get":
            parameters.setdefault((form.role, form.action), set()).update(form.fields)
    assert len(parameters) >= 10, parameters

    failures = []
    for (role, path), names in parameters.items():
        query = st.fixed_dictionaries({}, optional=dict.fromkeys([*names, "page"], hostile_text))

        try:
            _fuzz(site, Form(path, role, path, "get"), query)
        except (AssertionError, ExceptionGroup) as failure:  # several distinct failures come as a group
            failures.append(str(failure).splitlines()[0][:600])
    assert failures == []
