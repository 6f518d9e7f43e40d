"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They run when /usr/bin/chromium exists and are skipped with one clear line otherwise.
Playwright's own browser downloads are never used.

Every page the tests visit is checked by axe-core (the copy shipped inside the
axe-playwright-python wheel: nothing is downloaded; the machinery is in tests/e2e/a11y.py).
The `browser` and `page` fixtures hand out proxies that run axe on every new document, so
pages reached by a click or a form post are checked as well as those opened with `goto`: a
new test needs nothing more than to use these fixtures. After an update in place
(autosave, a panel shown by a script), call `page.check_a11y()`. A violation of impact
"serious" or "critical" fails the test at its end, with the URL, rule, help and every
failing node; lesser ones are listed, with the pages checked, in
test-results/axe-pages.txt: one list for the run, under pytest-xdist too (the workers send
their share to the controller, which writes it: those session hooks are in tests/conftest.py,
the conftest every process loads, xdist's controller included).

The same contexts report every Content-Security-Policy violation of their pages and frames
(tests/e2e/csp.py): one fails the test at its end, with the page, directive and what was
refused.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from referentiel.site_setup import ensure_site_pages
from tests.accounts import log_in
from tests.e2e.a11y import A11yBrowser, A11yChecker
from tests.e2e.csp import CspWatcher

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The live server runs in a thread while Playwright's sync API keeps an event loop in the
# test thread; ORM calls from the test are then flagged by Django's async-safety check.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on the loopback address itself, not on "localhost": a minimal
# machine (a container or chroot without /etc/hosts) cannot resolve that name.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHECKER = pytest.StashKey()
CSP_WATCHER = pytest.StashKey()


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)"
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


# ---- axe-core on every page (tests/e2e/a11y.py) ----


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    checker = item.stash.get(CHECKER, None)
    watcher = item.stash.get(CSP_WATCHER, None)
    try:
        result = yield
    except BaseException:
        if checker is not None:
            checker.active = False
            if checker.findings:
                item.add_report_section("call", "axe-core", checker.report())
        if watcher is not None and watcher.violations:
            item.add_report_section("call", "Content-Security-Policy", watcher.report())
        raise
    try:
        if checker is not None:
            # Runs on the pages still open, which also delivers their last CSP reports.
            checker.finish()
    finally:
        if watcher is not None:
            watcher.finish()
    return result


# ---- fixtures ----


@pytest.fixture
def site(referentiel):
    """The public Wagtail pages (home, référentiel…) over the loaded référentiel."""
    ensure_site_pages()
    return referentiel


@pytest.fixture(scope="session")
def chromium():
    """One browser for the whole session; tests get it through `browser`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def a11y(request):
    checker = A11yChecker()
    request.node.stash[CHECKER] = checker
    yield checker
    checker.active = False
    # A test that stopped half-way leaves its contexts open.
    for context in checker.contexts:
        context._raw.close()


@pytest.fixture
def csp_watcher(request):
    """The CSP violations of the test's pages (tests/e2e/csp.py): any fails the test."""
    watcher = CspWatcher()
    request.node.stash[CSP_WATCHER] = watcher
    return watcher


@pytest.fixture
def browser(chromium, a11y, csp_watcher):
    return A11yBrowser(chromium, a11y, on_new_context=csp_watcher.watch)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def browser_page(live_server, browser):
    """A page of the session's browser in a French context, against the live server."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    context.close()


@pytest.fixture
def sign_in(client, live_server):
    """Logs a user into a browser context with the test client's session cookie: for
    tests whose subject is not the login form (staff with their second factor verified,
    ``tests.accounts.log_in``)."""

    def sign_in(context, user):
        log_in(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return sign_in
