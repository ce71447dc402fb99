"""The accessibility statement: open to everyone, in the GOV.UK model, linked from every page's footer, and true.

"True" is checked against the suite itself: the checks it names are the ones the browser tests run, and each
known issue is still the case. When a check or an issue changes, these tests fail until the statement does too.
"""

import inspect
import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

import tests.browser.test_every_page as every_page
import tests.browser.test_session_warning as session_warning
from directory.tests import test_contact_list
from tests.browser import page_types
from tests.browser.conftest import BLOCKING_IMPACTS
from tests.permission_matrix import MATRIX, NAMESPACES_COVERED_WHOLE, ROLES

pytestmark = pytest.mark.django_db

SECTIONS = [
    "How accessible this service is",
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "How we test this service",
    "Preparation of this accessibility statement",
]
# How the statement names each kind of visitor the browser tests open every page as.
ROLE_WORDS = {
    "anonymous": "signed out",
    "provider_a": "each of two providers",
    "provider_b": "each of two providers",
    "officer": "council officer",
    "editor": "directory editor",
    "manager": "engagement manager",
    "director": "director",
    "superuser": "administrator",
}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _section(html: str, heading: str) -> str:
    """The text from a heading to the next heading of the same or a higher level."""
    match = re.search(rf"<h([1-6])[^>]*>\s*{re.escape(heading)}\s*</h\1>", html)
    assert match, f"no section headed {heading!r}"
    rest = html[match.end() :]
    end = re.search(rf"<h[1-{match.group(1)}][\s>]|</main>", rest)
    return _text(rest[: end.start() if end else None])


@pytest.fixture
def statement(client) -> str:
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    return response.content.decode()


def test_everyone_may_read_the_statement_signed_in_or_not(client, users):
    assert client.get(reverse("accessibility_statement")).status_code == 200
    client.force_login(users["provider_a"])
    assert client.get(reverse("accessibility_statement")).status_code == 200


def test_the_statement_has_the_sections_of_the_gov_uk_model(statement):
    headings = [_text(heading) for heading in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", statement, re.S)]

    assert headings[0].startswith("Accessibility statement for")
    missing = [section for section in SECTIONS if section not in headings]
    assert missing == []


def test_how_to_report_a_problem_names_the_contact_from_the_settings(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access.team@council.example.gov.uk"

    html = client.get(reverse("accessibility_statement")).content.decode()

    assert "access.team@council.example.gov.uk" in _section(
        html, "Reporting accessibility problems with this service"
    )
    assert 'href="mailto:access.team@council.example.gov.uk"' in html


def test_the_enforcement_procedure_names_the_ehrc_and_eass(statement):
    enforcement = _section(statement, "Enforcement procedure")

    assert "Equality and Human Rights Commission" in enforcement
    assert "Equality Advisory and Support Service" in enforcement


def test_the_checks_it_names_are_the_ones_the_browser_tests_run(statement):
    checks = _section(statement, "How we test this service")
    axe_pin = json.loads((settings.BASE_DIR / "package.json").read_text())["devDependencies"]["axe-core"]

    assert f"axe-core {axe_pin} on every page" in checks
    assert {"serious", "critical"} == BLOCKING_IMPACTS
    assert "serious or critical" in checks
    # Every page as every role, keyboard walk and empty forms: the tests exist and cover every role.
    assert callable(every_page.test_every_page_a_role_may_open_passes_axe)
    assert callable(every_page.test_every_page_works_by_keyboard_and_its_form_shows_accessible_errors)
    assert set(every_page.HTML_PAGES_AT_LEAST) == set(ROLES) == set(ROLE_WORDS)
    assert [words for words in ROLE_WORDS.values() if words not in checks] == []
    walk = inspect.getsource(page_types.KeyboardWalk.problems)
    for finding in ("not reached by Tab", "no visible focus indicator", "trapped", "not a skip link"):
        assert finding in walk
    assert "keyboard walk of every kind of page" in checks
    assert "every form sent empty: the answer has an error summary that takes the focus" in checks
    assert callable(session_warning.test_the_warning_takes_the_focus_and_staying_signed_in_keeps_the_session)
    assert "the signed-out warning" in checks
    assert callable(test_contact_list.test_pdf_is_tagged_pdf_ua_with_title_and_language)
    assert "the contact list: a tagged PDF (PDF/UA) with a title and a language" in checks


def test_the_known_issues_are_still_the_case(statement, settings):
    issues = _section(statement, "How accessible this service is")

    # The administration pages: the permission matrix (and so the browser tests) opens only their index.
    assert "admin" in NAMESPACES_COVERED_WHOLE
    assert {row.url_name for row in MATRIX if row.url_name.startswith("admin:")} == {"admin:index"}
    assert "administration pages" in issues
    # The survey report PDF is made tagged, but no test looks at its tags.
    survey_tests = (settings.BASE_DIR / "surveys" / "tests").rglob("test_*.py")
    assert not [path for path in survey_tests if "StructTreeRoot" in path.read_text()]
    assert "survey report PDF" in issues
    assert "moderate or minor" in issues
    assert "not yet been tested by people who use assistive technology" in issues


def test_the_timing_issue_follows_the_session_rules(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 20
    settings.SESSION_ABSOLUTE_HOURS = 10
    settings.SESSION_WARNING_MINUTES = 2

    html = client.get(reverse("accessibility_statement")).content.decode()

    issues = _section(html, "How accessible this service is")
    assert "signed out after 20 minutes without using the service, and 10 hours after signing in" in issues
    assert "warned 2 minutes before" in issues
    assert "more than 10 hours" in _section(html, "Non-compliance with the accessibility regulations")


@pytest.mark.parametrize("name", ["home", "login", "accessibility_statement", "directory:search"])
def test_every_page_links_to_the_statement_from_its_footer(client, users, name):
    client.force_login(users["officer"])
    if name == "login":
        client.logout()

    html = client.get(reverse(name)).content.decode()

    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    assert f'href="{reverse("accessibility_statement")}">Accessibility statement</a>' in footer
