"""Content-Security-Policy violations in the browser tests (the machinery; the conftest
wires it into the `browser` fixture, so every browser test records them).

Each browser context gets an init script (csp_listener.js) that listens for
`securitypolicyviolation` in every document and frame, and a binding through which it
reports them here. At the end of the test, any violation fails it, with the page, the
directive and what was blocked: a template that slipped an inline script, a handler or a
style attribute in, or an admin page needing more than its policy allows.

Not a test module: the conftest and the tests of the checking itself import from here.
"""

from pathlib import Path

import pytest

LISTENER = Path(__file__).with_name("csp_listener.js")
BINDING = "__vaeReportCspViolation"


class CspWatcher:
    """One per test: the violations reported by the pages of its browser contexts."""

    def __init__(self):
        self.violations = []

    def watch(self, raw_context):
        """Listen in this Playwright context, for the pages it has and those to come."""
        # The handler only records: calling the page from inside it would deadlock
        # Playwright's sync API.
        raw_context.expose_binding(BINDING, lambda source, report: self.violations.append(report))
        raw_context.add_init_script(path=str(LISTENER))

    def report(self) -> str:
        lines = [f"{len(self.violations)} Content-Security-Policy violation(s):"]
        for violation in self.violations:
            where = violation["source"] or violation["page"]
            if violation["line"]:
                where += f":{violation['line']}"
            lines.append(
                f"  {violation['page']}: {violation['directive']} refused "
                f"{violation['blocked'] or '(inline)'} at {where} ({violation['disposition']})"
            )
        return "\n".join(lines)

    def finish(self):
        if self.violations:
            pytest.fail(self.report(), pytrace=False)
