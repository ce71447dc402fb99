"""Every page type of the portal, taken from the permission matrix, and the keyboard walk through a page."""

from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Error, Page

from tests.browser.conftest import AXE_SCRIPT, BLOCKING_IMPACTS, STEP_TIMEOUT_MS, PageWatch, WatchedPage
from tests.permission_matrix import MATRIX, ROLES, Row

HTML = "text/html"


def answers_ok(row: Row, role: str) -> bool:
    expected = row.expected[role]
    return 200 in (expected if isinstance(expected, tuple) else (expected,))


def rows_seen_by(role: str) -> list[Row]:
    """The pages (GET rows) the matrix says `role` may open."""
    return [row for row in MATRIX if row.method == "get" and answers_ok(row, role)]


def first_role_seeing(row: Row) -> str | None:
    """The least privileged role that may open the page: the one its keyboard and error checks use."""
    return next((role for role in ROLES if answers_ok(row, role)), None)


def page_types() -> list[Row]:
    """Every GET row that some role may open."""
    return [row for row in MATRIX if row.method == "get" and first_role_seeing(row)]


@dataclass
class RoleBrowser:
    """One browser context per role, signed in once, with a single watched page in it."""

    context: BrowserContext
    watched: WatchedPage

    @property
    def page(self) -> Page:
        return self.watched.page

    def close(self) -> None:
        self.context.close()


def open_as(browser: Browser, live_server, user) -> RoleBrowser:
    """A context signed in as `user` (or anonymous when None), by the session cookie of a forced login."""
    context = browser.new_context(bypass_csp=True)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    # Given once to the context, axe-core is compiled once and then found ready on every page.
    context.add_init_script(path=str(AXE_SCRIPT))
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    return RoleBrowser(context=context, watched=WatchedPage(page=page, watch=watch))


@dataclass
class Visit:
    url: str
    status: int | None
    content_type: str

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith(HTML)


def visit(role_browser: RoleBrowser, path: str, live_server) -> Visit:
    """Open a page; a download (CSV, PDF, vCard, .ics) is told apart by its content type, not opened."""
    url = f"{live_server.url}{path}"
    role_browser.watched.watch.problems.clear()
    try:
        response = role_browser.page.goto(url)
    except Error as error:
        if "Download is starting" not in str(error):
            raise
        answer = role_browser.context.request.get(url)
        return Visit(url=url, status=answer.status, content_type=answer.headers.get("content-type", ""))
    return Visit(url=url, status=response.status, content_type=response.headers.get("content-type", ""))


class AxeChecker:
    """Runs axe-core, which the context has put on every page, and keeps what it rates serious or critical."""

    def blocking_violations(self, page: Page) -> list[dict]:
        results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
        return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def path_of(row: Row, objects: dict) -> str:
    return reverse(row.url_name, kwargs=row.kwargs(objects))


# Walks the page with the Tab key and reports, per tab stop, whether its focus style differs from its resting one.
# Radios and checkboxes in the GOV.UK Design System draw their focus on the label's ::before, so the label counts.
KEYBOARD_SCRIPT = """
() => {
  const INTERACTIVE = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const PROPS = ['outline-style', 'outline-width', 'outline-color', 'box-shadow'];
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''}`
      + (text ? ` "${text}"` : '');
  };
  const parts = (el) => {
    const list = [el];
    if (el.matches('input[type=radio], input[type=checkbox]') && el.labels) list.push(...el.labels);
    return list;
  };
  const look = (el) => parts(el).flatMap((part) => [null, '::before', '::after'].map((pseudo) => {
    const style = getComputedStyle(part, pseudo);
    return PROPS.map((prop) => style.getPropertyValue(prop)).join('|');
  })).join(' / ');
  const reachable = (el) => {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]') || el.matches('input[type=hidden]')) return false;
    const box = el.getBoundingClientRect();
    const shown = el.checkVisibility({ visibilityProperty: true });
    // GOV.UK radios and checkboxes are see-through inputs laid over their labels: they count as shown.
    const radio = el.matches('input[type=radio], input[type=checkbox]');
    return shown && (radio || (box.width > 0 && box.height > 0));
  };
  // Start from the top, as a fresh visit does: an autofocused field would otherwise be where Tab starts from.
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  const elements = Array.from(document.querySelectorAll(INTERACTIVE)).filter(reachable);
  elements.forEach((el, index) => { el.dataset.keyboardIndex = String(index); });
  window.__keyboard = {
    resting: elements.map(look),
    groups: elements.map((el) => el.matches('input[type=radio]') && el.name
      ? `radio:${el.form ? Array.from(document.forms).indexOf(el.form) : -1}:${el.name}` : `el:${elements.indexOf(el)}`),
    names: elements.map(describe),
    stops: [],
    start,
  };
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    if (el === start) return;
    const index = el.dataset ? el.dataset.keyboardIndex : undefined;
    window.__keyboard.stops.push({
      index: index === undefined ? -1 : Number(index),
      name: describe(el),
      look: look(el),
    });
  }, true);
  return elements.length;
}
"""

KEYBOARD_RESULT = "() => ({ ...window.__keyboard, start: null })"
BACK_TO_THE_TOP = "() => { window.__keyboard.start.focus(); window.__keyboard.stops = []; }"
SKIP_LINK_TARGET = """
() => {
  const el = document.activeElement;
  const href = el && el.getAttribute('href');
  return href && href.startsWith('#') && href.length > 1 && el.innerText.toLowerCase().includes('skip')
    ? href.slice(1) : null;
}
"""
FOCUSED = "() => document.activeElement.id || document.activeElement.tagName.toLowerCase()"


@dataclass
class KeyboardWalk:
    """What pressing Tab round a page met: its interactive elements, and each tab stop in order."""

    names: list[str]
    groups: list[str]
    resting: list[str]
    stops: list[dict]
    cycled: bool
    skip_link_target: str | None
    focus_after_skip: str | None

    def problems(self) -> list[str]:
        found = []
        reached_groups = {self.groups[stop["index"]] for stop in self.stops if stop["index"] >= 0}
        missed = [
            name for name, group in zip(self.names, self.groups, strict=True) if group not in reached_groups
        ]
        if missed:
            found.append(f"not reached by Tab: {', '.join(dict.fromkeys(missed))}")
        if not self.cycled:
            trail = " -> ".join(stop["name"] for stop in self.stops[-6:])
            found.append(f"focus never came back to the first element (trapped?): ... {trail}")
        unmarked = [
            stop["name"]
            for stop in self.stops
            if stop["index"] >= 0 and stop["look"] == self.resting[stop["index"]]
        ]
        if unmarked:
            found.append(f"no visible focus indicator on: {', '.join(dict.fromkeys(unmarked))}")
        outsiders = [stop["name"] for stop in self.stops if stop["index"] < 0]
        if outsiders:
            found.append(f"focus went to elements that are not interactive or not visible: {outsiders}")
        if self.skip_link_target is None:
            found.append("the first tab stop is not a skip link")
        elif self.focus_after_skip != self.skip_link_target:
            found.append(
                f"the skip link points at #{self.skip_link_target} but focus went to {self.focus_after_skip}"
            )
        return found


def walk_with_tab(page: Page) -> KeyboardWalk:
    """Follow the skip link with Tab and Enter; then, from the top, press Tab until focus has come back round."""
    count = page.evaluate(KEYBOARD_SCRIPT)
    page.keyboard.press("Tab")
    skip_link_target = page.evaluate(SKIP_LINK_TARGET)
    focus_after_skip = None
    if skip_link_target:
        page.keyboard.press("Enter")
        focus_after_skip = page.evaluate(FOCUSED)
    page.evaluate(BACK_TO_THE_TOP)
    # Every element once, a stop outside the page between rounds, and the first element again.
    for _ in range(count + 3):
        page.keyboard.press("Tab")
    result = page.evaluate(KEYBOARD_RESULT)
    # Bring the focus back from wherever Tab left it (perhaps outside the page), as a click on the page would.
    page.evaluate(BACK_TO_THE_TOP)
    stops = result["stops"]
    cycled = count == 0 or (
        bool(stops)
        and stops[0]["index"] >= 0
        and any(stop["index"] == stops[0]["index"] for stop in stops[1:])
    )
    return KeyboardWalk(
        names=result["names"],
        groups=result["groups"],
        resting=result["resting"],
        stops=stops,
        cycled=cycled,
        skip_link_target=skip_link_target,
        focus_after_skip=focus_after_skip,
    )
