"""Every page of the portal, as every role, in a real Chromium: axe-core finds nothing serious or critical, each
page works by keyboard alone, and each form sent empty answers with an accessible, focused error summary.

The pages come from the permission matrix: each GET row that answers 200 to a role is opened as that role, in one
browser context per role. Downloads (CSV, PDF, vCard, .ics) are told apart by their content type and skipped. The
keyboard walk and the empty form use one role per page, the first in the matrix that may open it. The floors
below are the counts when they were written down, so the tests fail if they ever quietly visit fewer pages.
"""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import AXE_SCRIPT
from tests.browser.page_types import (
    AxeChecker,
    RoleBrowser,
    first_role_seeing,
    open_as,
    page_types,
    path_of,
    rows_seen_by,
    visit,
    walk_with_tab,
)
from tests.browser.test_sign_in_accessibility import describe
from tests.permission_matrix import ROLES

pytestmark = pytest.mark.browser
# The live server reads what the test writes, so those tests need a database that commits.
on_live_server = pytest.mark.django_db(transaction=True)

# Pages visited per role, error summaries checked and pages walked with the keyboard when this was written.
HTML_PAGES_AT_LEAST = {
    "anonymous": 8,
    "provider_a": 57,
    "provider_b": 56,
    "officer": 120,
    "editor": 132,
    "manager": 157,
    "director": 91,
    "superuser": 171,
}
KEYBOARD_PAGES_AT_LEAST = 186
ERROR_SUMMARIES_AT_LEAST = 68
# The error pages, each as a visitor who meets it.
ERROR_PAGES = [
    ("anonymous", lambda objects: "/no-such-page/", 404),
    ("provider_b", lambda objects: f"/directory/providers/{objects['provider_a'].pk}/", 404),
    ("provider_a", lambda objects: "/directory/providers/", 403),
]
# Forms whose every field may be left empty, so an empty one is sent, not refused.
ANSWERS_ALL_OPTIONAL = {
    # The matrix's questionnaire has one question, and it does not need an answer.
    "GET surveys:respond with an unused invitation",
}
FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea"
# The primary button first: a secondary one ("Save and come back later") may accept an empty form.
SUBMIT = "button.govuk-button:not(.govuk-button--secondary):not([type=button]), button:not([type=button])"
SUMMARY_FOCUSED = "() => document.activeElement?.classList.contains('govuk-error-summary')"
SUMMARY_FOCUS_TIMEOUT_MS = 3_000
EMPTY_THE_FORM = """
(form) => {
  for (const field of form.elements) {
    if (field.matches('input[type=radio], input[type=checkbox]')) field.checked = false;
    else if (field.matches('select')) field.selectedIndex = -1;
    else if (field.matches('textarea, input:not([type=hidden]):not([type=submit]):not([type=button])'))
      field.value = '';
  }
}
"""


def check_page(role_browser: RoleBrowser, axe: AxeChecker, *, expected_status: int = 200) -> list[str]:
    """What is wrong with the page as it stands: a failed asset or script, and what axe-core rates serious."""
    watched = role_browser.watched
    url = watched.page.url
    expected = (f"HTTP {expected_status} for GET {url}", f"status of {expected_status}")
    problems = [
        problem
        for problem in watched.watch.problems
        if not (expected[0] == problem or (expected[1] in problem and f"'url': '{url}'" in problem))
        # Chromium asks for /favicon.ico after a download or JSON answer, which name no icon of their own.
        and "/favicon.ico" not in problem
    ]
    violations = axe.blocking_violations(watched.page)
    if violations:
        problems.append(describe(violations))
    return problems


@pytest.fixture
def signed_in_as(browser, live_server, users):
    """Opens (once) a context signed in as a role; every context is closed at the end of the test."""
    opened: dict[str, RoleBrowser] = {}

    def open_role(role: str) -> RoleBrowser:
        if role not in opened:
            opened[role] = open_as(browser, live_server, users[role])
        return opened[role]

    yield open_role
    for role_browser in opened.values():
        role_browser.close()


@on_live_server
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_passes_axe(role, live_server, signed_in_as, matrix_objects):
    role_browser, axe, failures, visited = signed_in_as(role), AxeChecker(), [], 0
    for row in rows_seen_by(role):
        page = visit(role_browser, path_of(row, matrix_objects), live_server)
        if not page.is_html:
            continue
        visited += 1
        if page.status != 200:
            failures.append(f"{row.id} ({page.url}): HTTP {page.status}, expected 200")
            continue
        failures.extend(f"{row.id} ({page.url}): {problem}" for problem in check_page(role_browser, axe))

    assert visited >= HTML_PAGES_AT_LEAST[role], f"only {visited} pages visited as {role}"
    assert failures == [], "\n".join(failures)


@on_live_server
def test_not_found_and_forbidden_pages_pass_axe(live_server, signed_in_as, matrix_objects):
    axe, failures = AxeChecker(), []
    for role, path, status in ERROR_PAGES:
        role_browser = signed_in_as(role)
        page = visit(role_browser, path(matrix_objects), live_server)
        if page.status != status:
            failures.append(f"{page.url} as {role}: HTTP {page.status}, expected {status}")
        problems = check_page(role_browser, axe, expected_status=status)
        failures.extend(f"the {status} page as {role} ({page.url}): {problem}" for problem in problems)

    assert failures == [], "\n".join(failures)


def error_summary_problems(row_id: str, role_browser: RoleBrowser, axe: AxeChecker) -> list[str] | None:
    """Send the page's form empty: the answer must show a focused error summary that passes axe-core.

    None when the page has no form with fields to leave empty.
    """
    page = role_browser.page
    forms = page.locator("main form[method=post]", has=page.locator(FIELDS))
    if row_id in ANSWERS_ALL_OPTIONAL or forms.count() == 0:
        return None
    forms.first.evaluate(EMPTY_THE_FORM)
    role_browser.watched.watch.problems.clear()
    with page.expect_navigation():
        forms.first.locator(SUBMIT).first.click()
    summary = page.locator(".govuk-error-summary")
    if summary.count() == 0:
        return ["the empty form was accepted, or showed no error summary"]
    try:
        # GOV.UK Frontend moves the focus to the summary once its module script has run.
        page.wait_for_function(SUMMARY_FOCUSED, timeout=SUMMARY_FOCUS_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        return ["the error summary did not take the focus"]
    return check_page(role_browser, axe)


@on_live_server
def test_every_page_works_by_keyboard_and_its_form_shows_accessible_errors(
    live_server, signed_in_as, matrix_objects
):
    axe, failures, walked, summaries = AxeChecker(), [], 0, 0
    for row in page_types():
        role = first_role_seeing(row)
        role_browser = signed_in_as(role)
        page = visit(role_browser, path_of(row, matrix_objects), live_server)
        if not page.is_html:
            continue
        walked += 1
        problems = walk_with_tab(role_browser.page).problems()
        failures.extend(f"{row.id} as {role} ({page.url}): keyboard: {problem}" for problem in problems)
        problems = error_summary_problems(row.id, role_browser, axe)
        if problems is not None:
            summaries += 1
            failures.extend(f"{row.id} as {role}, sent empty: {problem}" for problem in problems)

    assert walked >= KEYBOARD_PAGES_AT_LEAST, f"only {walked} pages walked with the keyboard"
    assert summaries >= ERROR_SUMMARIES_AT_LEAST, f"only {summaries} error summaries checked"
    assert failures == [], "\n".join(failures)


GOOD_PAGE = """
<a href="#main" class="skip">Skip to main content</a>
<nav><a href="#one">One</a> <button>Menu</button></nav>
<main id="main" tabindex="-1">
  <details><summary>More</summary><a href="#hidden-until-opened">Hidden</a></details>
  <input type="radio" name="choice" id="yes"><label for="yes">Yes</label>
  <input type="radio" name="choice" id="no"><label for="no">No</label>
  <textarea aria-label="Note"></textarea>
  <a href="#last">Last</a>
</main>
"""
# Each fault below is the good page with one thing broken, and what the walk must say about it.
KEYBOARD_FAULTS = {
    "no focus indicator": ("<style>a:focus { outline: none; }</style>", "no visible focus indicator on: a"),
    "a focus trap": (
        "<script>document.querySelector('textarea').addEventListener('keydown', (event) => {"
        " if (event.key === 'Tab') event.preventDefault(); });</script>",
        "focus never came back to the first element",
    ),
    "an element Tab jumps over": (
        "<script>document.querySelector('nav a').addEventListener('keydown', (event) => {"
        " if (event.key === 'Tab') { event.preventDefault(); document.querySelector('textarea').focus(); } });"
        "</script>",
        'not reached by Tab: button "Menu"',
    ),
    "no skip link": (
        "<script>document.querySelector('.skip').remove();</script>",
        "the first tab stop is not a skip link",
    ),
    "a skip link that goes nowhere": (
        "<script>document.querySelector('main').removeAttribute('tabindex');</script>",
        "the skip link points at #main but focus went to",
    ),
}


@pytest.fixture
def bare_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_keyboard_walk_finds_nothing_on_a_page_that_works_by_keyboard(bare_page):
    bare_page.set_content(GOOD_PAGE)

    walk = walk_with_tab(bare_page)

    assert walk.problems() == []
    assert [stop["name"] for stop in walk.stops][:3] == [
        'a "Skip to main content"',
        'a "One"',
        'button "Menu"',
    ]


@pytest.mark.parametrize("fault", KEYBOARD_FAULTS)
def test_keyboard_walk_fails_a_page_with(fault, bare_page):
    breakage, complaint = KEYBOARD_FAULTS[fault]
    bare_page.set_content(GOOD_PAGE + breakage)

    problems = walk_with_tab(bare_page).problems()

    assert any(complaint in problem for problem in problems), problems


def test_axe_check_fails_a_page_with_an_unnamed_button(bare_page):
    bare_page.set_content("<main><h1>Page</h1><button></button></main>")
    bare_page.add_script_tag(path=str(AXE_SCRIPT))

    violations = AxeChecker().blocking_violations(bare_page)

    assert "button-name" in [violation["id"] for violation in violations]
