"""axe-core on every page the browser tests visit (the machinery; tests/e2e/conftest.py
wires it into pytest).

The `browser` and `page` fixtures hand out proxies (so do the contexts and pages they
create): the main frame's `framenavigated` event marks the page as holding a new document,
and axe runs on it, once loaded, before the test's next use of the page (any method, or a
locator taken from it), when the page or its context is closed, and at the end of the test.
The copy of axe is the one shipped inside the axe-playwright-python wheel.

Not a test module: the conftest and the tests of the checking itself import from here.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

FAILING_IMPACTS = ("critical", "serious")
# Only violations come back: the passes of a big page weigh megabytes.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Colours read half-way through a fade-in are not the page's: axe waits for the finite CSS
# animations and transitions under way (a spinner's infinite one would never end).
SETTLE = """async () => {
  const running = document.getAnimations().filter((animation) => {
    const timing = animation.effect && animation.effect.getComputedTiming();
    return animation.playState === "running" && timing && Number.isFinite(timing.endTime);
  });
  const finished = Promise.all(running.map((animation) => animation.finished.catch(() => null)));
  await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 3000))]);
}"""


@dataclass
class AxeSessionReport:
    """What every test checked, for the list written at the end of the session.

    Under pytest-xdist each worker keeps its own, sends it to the controller as plain data
    (``as_data``) when it finishes, and the controller merges them (``merge``) before
    writing the list: one list for the whole run, as without xdist.
    """

    checks: Counter = field(default_factory=Counter)
    widths: defaultdict = field(default_factory=lambda: defaultdict(set))
    failures: int = 0
    # (rule id, impact, help) -> {page pattern: a failing node}, below "serious" (not failing).
    lesser: defaultdict = field(default_factory=lambda: defaultdict(dict))
    axe_version: str = ""

    def as_data(self) -> dict:
        """The report as lists, dicts, strings and numbers (what execnet can carry)."""
        return {
            "checks": dict(self.checks),
            "widths": {pattern: sorted(widths) for pattern, widths in self.widths.items()},
            "failures": self.failures,
            "lesser": [[*key, pages] for key, pages in self.lesser.items()],
            "axe_version": self.axe_version,
        }

    def merge(self, data: dict) -> None:
        """Add a worker's report (``as_data``) to this one."""
        self.checks.update(data["checks"])
        for pattern, widths in data["widths"].items():
            self.widths[pattern].update(widths)
        self.failures += data["failures"]
        for rule, impact, help_text, pages in data["lesser"]:
            for pattern, node in pages.items():
                self.lesser[(rule, impact, help_text)].setdefault(pattern, node)
        self.axe_version = self.axe_version or data["axe_version"]

    def lines(self) -> list[str]:
        """The list written to test-results/axe-pages.txt."""
        lines = [
            f"# axe-core {self.axe_version}: {sum(self.checks.values())} checks "
            f"on {len(self.checks)} pages; serious or critical violations: "
            f"{self.failures}",
            "# page, checks, viewport widths (px)",
        ]
        for pattern in sorted(self.checks):
            widths = ", ".join(str(width) for width in sorted(self.widths[pattern]))
            lines.append(f"{pattern}  {self.checks[pattern]}  ({widths})")
        if self.lesser:
            lines.append("# violations below serious (not failing): rule, impact, help; pages")
            for (rule, impact, help_text), pages in sorted(self.lesser.items()):
                lines.append(f"{rule} ({impact}): {help_text}")
                lines.extend(f"  {pattern}  e.g. {pages[pattern]}" for pattern in sorted(pages))
        return lines


# This process's report: the whole session's without xdist, a worker's share with it.
AXE_REPORT = AxeSessionReport()
AXE_REPORT_PATH = Path("test-results") / "axe-pages.txt"


def is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def finish_session(config) -> None:
    """At the end of a session: a worker hands its share to xdist's controller; the
    controller, or a session without xdist, writes the list."""
    if is_xdist_worker(config):
        config.workeroutput["axe_report"] = AXE_REPORT.as_data()
        return
    if not AXE_REPORT.checks:
        return
    path = config.rootpath / AXE_REPORT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(AXE_REPORT.lines()) + "\n", encoding="utf-8")


def worker_finished(node) -> None:
    """xdist's controller: add a worker's share (``finish_session``) to the report."""
    data = getattr(node, "workeroutput", {}).get("axe_report")
    if data:
        AXE_REPORT.merge(data)


def summary(config) -> str:
    """The line of the terminal summary, empty when no page was checked here."""
    if is_xdist_worker(config) or not AXE_REPORT.checks:
        return ""
    return (
        f"axe-core: {sum(AXE_REPORT.checks.values())} checks on {len(AXE_REPORT.checks)} "
        f"pages, {AXE_REPORT.failures} serious or critical violations; "
        f"list in {AXE_REPORT_PATH}"
    )


def page_pattern(url):
    """The page's path with its ids as <id>, so one entry stands for every candidacy."""
    from django.urls import Resolver404, resolve

    path = urlsplit(url).path or "/"
    try:
        route = resolve(path).route
    except Resolver404:
        route = None
    # Wagtail's pages resolve to a regular expression: their path says more.
    if not route or any(char in route for char in "^$()["):
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)
    route = re.sub(r"<(?:\w+:)?(\w*(?:pk|id))>", "<id>", route)
    return "/" + re.sub(r"<\w+:(\w+)>", r"<\1>", route)


def describe_violation(violation):
    lines = [
        f"  [{violation['impact']}] {violation['id']}: {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"]:
        # One selector per frame level; a list within is a path through shadow roots.
        target = " >> ".join(" >>> ".join(t) if isinstance(t, list) else t for t in node["target"])
        snippet = " ".join(node["html"].split())
        if len(snippet) > 300:
            snippet = snippet[:300] + "…"
        lines.append(f"    - {target}")
        lines.append(f"      {snippet}")
        if node.get("failureSummary"):
            heading, *checks = node["failureSummary"].splitlines()
            lines.append(f"      {heading} {'; '.join(check.strip() for check in checks)}")
    return "\n".join(lines)


class PageTracker:
    """Whether a page holds a document axe has not seen yet.

    Every new document of the main frame is announced by `framenavigated` (so are changes
    of its #fragment, checked again: cheap, and :target may restyle the page); the check
    waits for its `load`. The handlers only count: calling the page from inside a handler
    would deadlock Playwright's sync API."""

    def __init__(self, raw, *, dirty=False):
        self.raw = raw
        self.navigations = 1 if dirty else 0
        self.seen = 0  # the value of `navigations` when axe last ran
        self.closed = False
        raw.on("framenavigated", self._navigated)
        raw.on("close", self._closed)

    @property
    def dirty(self):
        return self.navigations != self.seen

    def _navigated(self, frame):
        if frame.parent_frame is None:
            self.navigations += 1

    def _closed(self, *args):
        self.closed = True


class A11yChecker:
    """One per test: runs axe on the test's pages and keeps what it found."""

    def __init__(self, report=AXE_REPORT):
        from axe_playwright_python.sync_playwright import Axe

        self.axe_script = Axe().axe_script
        self.axe_version = re.search(r"axe v([\d.]+)", self.axe_script[:200]).group(1)
        # Wagtail's admin brings its own axe (for its checker): ours replaces it, so that
        # every page is judged by the same rules.
        self.has_our_axe = (
            f"() => typeof window.axe !== 'undefined' && axe.version === '{self.axe_version}'"
        )
        self.report_to = report
        self.trackers = {}  # id(raw page) -> PageTracker
        self.contexts = []
        self.findings = {}  # (page pattern, rule, targets) -> readable text
        self.checked = []  # (page pattern, viewport width), in order
        self.active = True

    def track(self, raw, *, dirty=False):
        tracker = self.trackers.get(id(raw))
        if tracker is None:
            tracker = self.trackers[id(raw)] = PageTracker(raw, dirty=dirty)
        return tracker

    def trackers_of(self, raw_context):
        # A page the test did not open itself (a popup) is found here, its document unseen.
        return [self.track(raw, dirty=True) for raw in raw_context.pages]

    def check(self, tracker, *, force=False):
        """Run axe on the page's current document if it is new (or if asked to)."""
        if not self.active or tracker.closed or not (tracker.dirty or force):
            return
        if tracker.raw.is_closed():
            return
        tracker.seen = tracker.navigations
        outcome = self.run(tracker.raw)
        if outcome == "navigated":
            # Left for another document while axe ran: that one will be checked.
            tracker.seen = -1
        elif outcome is not None:
            self.record(*outcome)

    def run(self, page):
        """axe's results on the page's document, None when there is nothing to check."""
        from playwright.sync_api import Error

        try:
            page.wait_for_load_state("load")
            document = page.evaluate(
                "() => ({url: location.href, type: document.contentType, width: innerWidth})"
            )
            if document["type"] != "text/html" or not document["url"].startswith("http"):
                return None  # a PDF, a JSON answer, about:blank: nothing for axe
            if not page.evaluate(self.has_our_axe):
                page.evaluate(self.axe_script)
            self.inject_into_frames(page)
            page.evaluate(SETTLE)
            results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        except Error as error:
            message = str(error)
            if "closed" in message:
                return None
            if "navigat" in message or "context was destroyed" in message:
                return "navigated"
            raise
        return document, results

    def inject_into_frames(self, page):
        """axe checks same-origin frames when it runs inside them too; a frame that does
        not answer (a PDF viewer) is skipped by axe after half a second."""
        from playwright.sync_api import Error

        for frame in page.frames[1:]:
            try:
                if frame.evaluate("document.contentType") == "text/html" and not frame.evaluate(
                    self.has_our_axe
                ):
                    frame.evaluate(self.axe_script)
            except Error:
                continue

    def record(self, document, results):
        report = self.report_to
        pattern = page_pattern(document["url"])
        self.checked.append((pattern, document["width"]))
        report.checks[pattern] += 1
        report.widths[pattern].add(document["width"])
        report.axe_version = results.get("testEngine", {}).get("version", "")
        for violation in results["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                key = (violation["id"], violation["impact"], violation["help"])
                report.lesser[key].setdefault(pattern, str(violation["nodes"][0]["target"]))
                continue
            targets = tuple(str(node["target"]) for node in violation["nodes"])
            key = (pattern, violation["id"], targets)
            if key not in self.findings:
                report.failures += 1
                self.findings[key] = (
                    f"{document['url']} (viewport {document['width']} px wide)\n"
                    + describe_violation(violation)
                )

    def check_pages(self, trackers):
        for tracker in trackers:
            self.check(tracker)

    def report(self):
        count = len(self.findings)
        return (
            f"axe-core found {count} serious or critical accessibility "
            f"violation{'s' if count > 1 else ''}:\n\n" + "\n\n".join(self.findings.values())
        )

    def finish(self):
        """At the end of the test: the pages still open, then the verdict."""
        try:
            for context in self.contexts:
                self.check_pages(self.trackers_of(context._raw))
        finally:
            self.active = False
        if self.findings:
            pytest.fail(self.report(), pytrace=False)


class A11yPage:
    """Playwright's Page, with axe run before the test uses a document it has not seen."""

    # Reading these does not act on the document: no check before them.
    PASSIVE = frozenset(
        {
            "url",
            "main_frame",
            "is_closed",
            "on",
            "once",
            "remove_listener",
            "set_default_timeout",
            "set_default_navigation_timeout",
            "viewport_size",
        }
    )

    def __init__(self, raw, context, checker):
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_context", context)
        object.__setattr__(self, "_checker", checker)
        object.__setattr__(self, "_tracker", checker.track(raw))

    @property
    def __class__(self):
        # So that playwright's expect(page) and isinstance(page, Page) accept the proxy.
        from playwright.sync_api import Page

        return Page

    @property
    def context(self):
        return self._context

    def check_a11y(self):
        """Run axe now, e.g. after the page changed in place (autosave, a panel opened)."""
        self._checker.check(self._tracker, force=True)

    def axe_violations(self):
        """Every violation on the document as it is, whatever its impact (nothing recorded):
        for a test that holds a page to more than the suite-wide serious/critical bar."""
        outcome = self._checker.run(self._raw)
        assert isinstance(outcome, tuple), f"axe could not run on {self._raw.url}"
        return outcome[1]["violations"]

    def close(self, **kwargs):
        self._checker.check(self._tracker)
        return self._raw.close(**kwargs)

    def __getattr__(self, name):
        if name not in self.PASSIVE:
            self._checker.check(self._tracker)
        return getattr(self._raw, name)

    def __setattr__(self, name, value):
        setattr(self._raw, name, value)

    def __repr__(self):
        return f"<A11yPage {self._raw.url}>"


class A11yContext:
    """Playwright's BrowserContext, handing out checked pages."""

    def __init__(self, raw, checker):
        self._raw = raw
        self._checker = checker
        self._proxies = {}

    @property
    def __class__(self):
        from playwright.sync_api import BrowserContext

        return BrowserContext

    def wrap(self, raw):
        if id(raw) not in self._proxies:
            self._proxies[id(raw)] = A11yPage(raw, self, self._checker)
        return self._proxies[id(raw)]

    def new_page(self):
        return self.wrap(self._raw.new_page())

    @property
    def pages(self):
        return [self.wrap(raw) for raw in self._raw.pages]

    def close(self, **kwargs):
        self._checker.check_pages(self._checker.trackers_of(self._raw))
        return self._raw.close(**kwargs)

    def __getattr__(self, name):
        return getattr(self._raw, name)


class A11yBrowser:
    """The session's browser, for one test: its contexts give checked pages.

    ``on_new_context`` is called with each raw Playwright context as it is created, before
    any page of it loads a document (the conftest watches CSP violations there)."""

    def __init__(self, raw, checker, *, on_new_context=None):
        self._raw = raw
        self._checker = checker
        self._on_new_context = on_new_context or (lambda raw_context: None)

    def new_context(self, **kwargs):
        raw = self._raw.new_context(**kwargs)
        self._on_new_context(raw)
        context = A11yContext(raw, self._checker)
        self._checker.contexts.append(context)
        return context

    def new_page(self, **kwargs):
        raw = self._raw.new_page(**kwargs)
        self._on_new_context(raw.context)
        context = A11yContext(raw.context, self._checker)
        self._checker.contexts.append(context)
        return context.wrap(raw)

    def __getattr__(self, name):
        return getattr(self._raw, name)
