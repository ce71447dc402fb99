"""A real Chromium driven by Playwright, with a watch on what each page loads and logs."""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BUILT_STYLES = settings.BASE_DIR / "static" / "build" / "portal.css"
BLOCKING_IMPACTS = {"serious", "critical"}
# A failing step should say so in seconds, not after Playwright's default half-minute.
STEP_TIMEOUT_MS = 10_000


def require_file(name: str, path: Path, remedy: str) -> None:
    """Skip when a browser tool is absent on a developer's machine; fail in CI, where it must be there."""
    if path.exists():
        return
    reason = f"{name} not found at {path}: {remedy}"
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    require_file("Chromium", CHROMIUM, "install Debian's chromium package")
    require_file("axe-core", AXE_SCRIPT, "run `make install`")
    if not BUILT_STYLES.exists():
        # Without the built styles every page would be unstyled; that is a broken checkout, not an absent tool.
        pytest.fail(f"{BUILT_STYLES} is missing: run `make install` to build the GOV.UK styles")

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop running, and Django refuses database access beside one.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@dataclass
class PageWatch:
    """What went wrong while pages loaded: error responses, failed requests, console errors, uncaught errors."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def _on_request_failed(self, request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # the browser dropped it because the page moved on: not a broken asset
        self.problems.append(f"request failed ({request.failure}) for {request.method} {request.url}")

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _on_page_error(self, error) -> None:
        self.problems.append(f"uncaught error: {error}")

    def report(self) -> str:
        return "\n".join(self.problems)


@dataclass
class WatchedPage:
    """A page in its own browser context, with the watch on what it loads and logs."""

    page: Page
    watch: PageWatch

    def blocking_accessibility_violations(self) -> list[dict]:
        """Run axe-core on the page as it stands and keep what it rates serious or critical."""
        self.page.add_script_tag(path=str(AXE_SCRIPT))
        results = self.page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
        return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def _watched_page(browser: Browser, *, bypass_csp: bool):
    context = browser.new_context(bypass_csp=bypass_csp)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    return context, WatchedPage(page=page, watch=watch)


@pytest.fixture
def watched_page(browser):
    """A page in a fresh context that ignores the site's CSP, so that axe-core can be injected."""
    context, watched = _watched_page(browser, bypass_csp=True)
    yield watched
    context.close()


@pytest.fixture
def watched_page_under_csp(browser):
    """A page in a fresh context that enforces the site's Content-Security-Policy, as a real browser does."""
    context, watched = _watched_page(browser, bypass_csp=False)
    yield watched
    context.close()
