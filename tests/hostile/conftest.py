"""Hostile input: the portal's pages and forms found by crawling the permission matrix, and hostile values."""

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests.permission_matrix import MATRIX

# Hypothesis keeps caches even with no example database: out of the working tree.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "portal-hypothesis"))
# Small in CI; `HOSTILE_EXAMPLES=200 make test` (or pytest) runs longer locally.
HOSTILE = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "4")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)

# The roles a crawl visits each page as: council staff with every permission, a provider user, and nobody.
CRAWL_ROLES = ("superuser", "provider_a", "anonymous")

# Markup a page must never give back as markup: each payload below carries one of these.
RAW_MARKERS = ("<script>hostile", "<img src=x onerror=hostile", "<svg onload=hostile")
MARKUP = '<script>hostile()</script>"><img src=x onerror=hostile()>'
# An address a header injection would add.
INJECTED = "hostile@example.org"
FORMULAS = ("=HYPERLINK(1)", "+SUM(1)", "-SUM(1)", "@SUM(1)", "\t=SUM(1)", "\r=SUM(1)")
PAYLOADS = (
    MARKUP,
    "<script>hostile()</script>",
    '"><img src=x onerror=hostile()>',
    "'><svg onload=hostile()>",
    "Evil\r\nBcc: hostile@example.org",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b\x7f",
    "x" * 10_000,
    "\u202e\ufeff\u200b",
    "😀" * 300,
    "Zoë Ødegård 王",
    *FORMULAS,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "31/13/2024",
    "0000-00-00",
    "9999-12-31T25:61",
    "../../etc/passwd",
    "%00",
    "{{ request }}",
    "' OR 1=1 --",
    "",
    " ",
)
# Surrogates cannot be sent in a UTF-8 request at all, so they are left out.
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def email_problems(messages) -> list[str]:
    """Headers that carry a line break or were injected, and HTML parts that give markup back as markup."""
    problems = []
    for record in messages:
        message = message_from_bytes(bytes(record.message), policy=policy.default)
        for name, value in message.items():
            if "\n" in str(value) or "\r" in str(value):
                problems.append(f"{record.subject!r}: {name} header has a line break")
        if message["Bcc"] or message["X-Injected"] or INJECTED in record.recipients:
            problems.append(f"{record.subject!r}: a header was injected")
        for part in message.walk():
            if part.get_content_type() == "text/html" and raw_markup_in(part.get_content()):
                problems.append(f"{record.subject!r}: markup in its HTML part")
    return problems


PORTAL_APPS = ("portal", "directory", "engagement", "partnerships", "surveys", "principles", "market")
# Values that must keep their form for the pages that show them to be reachable at all.
_KEEP = (models.SlugField, models.URLField)
_KEEP_NAMES = {"password", "token", "reference"}


def _in_a_unique_key(model) -> set[str]:
    """Fields whose values must stay distinct: cut to the field's length, two changed values could be the same."""
    keyed = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            keyed |= set(constraint.fields)
    for fields in model._meta.unique_together:
        keyed |= set(fields)
    return keyed


def every_stored_text(change) -> int:
    """Replace every stored free-text value of the portal's records with `change(value)`; return how many
    records changed. Slugs, links, tokens, references and fields with choices keep their values, and so does a field
    in a unique key where the changed value would have to be cut short."""
    changed = 0
    for model in (m for app in PORTAL_APPS for m in apps.get_app_config(app).get_models()):
        keyed = _in_a_unique_key(model)
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not isinstance(f, _KEEP)
            and not (f.choices or f.primary_key or f.name in _KEEP_NAMES)
        ]
        for record in model._default_manager.all() if fields else []:
            values = {}
            for f in fields:
                if getattr(record, f.attname):
                    value = change(getattr(record, f.attname))
                    if f.max_length and len(value) > f.max_length:
                        if f.name in keyed:
                            continue
                        value = value[: f.max_length]
                    values[f.attname] = value
            with transaction.atomic():
                changed += model._default_manager.filter(pk=record.pk).update(**values) if values else 0
    return changed


def raw_markup_in(text: str) -> list[str]:
    """The payload markers a page gives back as markup, not as escaped text."""
    return [marker for marker in RAW_MARKERS if marker in text]


@dataclass
class FormField:
    name: str
    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    max_length: int | None = None


@dataclass
class Form:
    """A <form> as a browser would submit it: where to, how, and its fields with what they hold."""

    page: str
    role: str
    action: str
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)
    enctype: str = ""

    @property
    def key(self) -> tuple:
        """Forms that differ only in the record they act on (`/officers/1/check/`, `/officers/2/check/`) are one."""
        return (
            self.role == "anonymous",
            self.method,
            re.sub(r"\d+", "N", self.action),
            tuple(sorted(self.fields)),
        )

    @property
    def editable(self) -> list[FormField]:
        return [f for f in self.fields.values() if f.kind not in {"hidden", "submit"}]


class FormParser(HTMLParser):
    """Every <form> of a page and every query parameter its links use."""

    def __init__(self, page: str, role: str):
        super().__init__(convert_charrefs=True)
        self.page, self.role = page, role
        self.forms: list[Form] = []
        self.link_parameters: dict[str, set[str]] = {}
        self._form: Form | None = None
        self._select: FormField | None = None
        self._option: str | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and "?" in attributes.get("href", ""):
            self._link(attributes["href"])
        elif tag == "form":
            action = urlsplit(attributes.get("action") or self.page).path or self.page
            method = (attributes.get("method") or "get").lower()
            self._form = Form(self.page, self.role, action, method, enctype=attributes.get("enctype", ""))
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._start_option(attributes)
        elif self._form is None or not attributes.get("name"):
            return
        elif tag == "input":
            self._input(attributes)
        elif tag == "button" and attributes.get("type", "submit") == "submit":
            self._add(FormField(attributes["name"], "submit", attributes.get("value", "")))
        elif tag == "select":
            self._select = self._add(FormField(attributes["name"], "select"))
        elif tag == "textarea":
            length = attributes.get("maxlength")
            self._textarea = self._add(
                FormField(attributes["name"], "textarea", max_length=int(length) if length else None)
            )

    def _link(self, href: str) -> None:
        link = urlsplit(href)
        for name, _value in parse_qsl(link.query, keep_blank_values=True):
            self.link_parameters.setdefault(link.path or self.page, set()).add(name)

    def _start_option(self, attributes: dict) -> None:
        self._option = attributes.get("value")
        if "selected" in attributes:
            self._select.value = self._option or ""

    def _input(self, attributes: dict) -> None:
        kind = attributes.get("type", "text").lower()
        name, value = attributes["name"], attributes.get("value", "")
        if kind in {"checkbox", "radio"}:
            existing = self._form.fields.get(name) or self._add(FormField(name, kind))
            existing.options.append(value or "on")
            if "checked" in attributes:
                existing.value = value or "on"
            return
        length = attributes.get("maxlength")
        self._add(FormField(name, kind, value, max_length=int(length) if length else None))

    def _add(self, form_field: FormField) -> FormField:
        return self._form.fields.setdefault(form_field.name, form_field)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._select is not None and self._option is None and data.strip():
            self._select.options.append(data.strip())
            self._option = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._select is not None:
            if self._option is not None and self._option != "":
                self._select.options.append(self._option)
            self._option = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Page:
    row_id: str
    role: str
    url: str
    status: int
    content_type: str
    text: str


class Site:
    """The portal as the permission matrix lists it, visited as people in each role."""

    def __init__(self, users: dict, objects: dict):
        self.users, self.objects = users, objects
        self._clients: dict[str, Client] = {}
        self._urls: dict[int, str] = {}

    def client(self, role: str, **options) -> Client:
        client = Client(**options)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def signed_in(self, role: str) -> Client:
        """One client per role, signed in again if a form signed it out."""
        client = self._clients.get(role)
        if client is None or (self.users[role] is not None and "_auth_user_id" not in client.session):
            client = self._clients[role] = self.client(role, raise_request_exception=False)
        return client

    def rows(self, method: str = "get", status: int = 200, roles: tuple[str, ...] = CRAWL_ROLES):
        """Each matrix row of `method` with each of `roles` that gets `status` there."""
        for row in MATRIX:
            if row.method != method:
                continue
            for role in roles:
                if row.expected[role] == status:
                    yield row, role

    def url(self, row) -> str:
        """The row's URL, its records made once: a crawl again revisits the same pages."""
        if id(row) not in self._urls:
            self._urls[id(row)] = reverse(row.url_name, kwargs=row.kwargs(self.objects))
        return self._urls[id(row)]

    def fetch(self, role: str, method: str, url: str, data=None, **extra):
        """A request in a savepoint of its own, so a failing one leaves the test's transaction usable."""
        try:
            with transaction.atomic():
                return getattr(self.signed_in(role), method)(url, data, **extra)
        except Exception as error:  # noqa: BLE001 - a crash is what the property is about
            raise AssertionError(f"{role} {method.upper()} {url} raised {error!r}") from error

    def crawl(self, roles: tuple[str, ...] = CRAWL_ROLES) -> list[Page]:
        pages = []
        for row, role in self.rows(roles=roles):
            url = self.url(row)
            response = self.fetch(role, "get", url)
            pages.append(
                Page(
                    row.id, role, url, response.status_code, response.get("Content-Type", ""), _text(response)
                )
            )
        return pages


def _text(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def forms_on(pages: list[Page]) -> list[Form]:
    """Each distinct form of the crawled HTML pages, once."""
    found: dict[tuple, Form] = {}
    for page in pages:
        if page.status != 200 or not page.content_type.startswith("text/html"):
            continue
        parser = FormParser(page.url, page.role)
        parser.feed(page.text)
        for form in parser.forms:
            found.setdefault(form.key, form)
    return list(found.values())


def link_parameters(pages: list[Page]) -> dict[tuple[str, str], set[str]]:
    """The query parameters each page's links use, by (role, path)."""
    found: dict[tuple[str, str], set[str]] = {}
    for page in pages:
        if page.status != 200 or not page.content_type.startswith("text/html"):
            continue
        parser = FormParser(page.url, page.role)
        parser.feed(page.text)
        for path, names in parser.link_parameters.items():
            found.setdefault((page.role, path), set()).update(names)
    return found


@pytest.fixture
def site(users, matrix_objects) -> Site:
    # The factories date each relationship check a quarter before the last one made in the process: open it
    # again, so its answer form is there whichever tests ran first.
    check = matrix_objects["relationship_check"]
    check.opened_on = timezone.localdate()
    check.closes_on = check.opened_on + dt.timedelta(days=21)
    check.save(update_fields=["opened_on", "closes_on"])
    return Site(users, matrix_objects)
