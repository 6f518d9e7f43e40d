"""The security headers' middleware and the rule every template follows (no inline
script, handler, style or javascript: URL: see CONTENT_SECURITY_POLICY in the settings).

The crawl of every page with the demo's people is tests/demo/test_security_headers.py;
the browser tests record CSP violations (tests/e2e/csp.py)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from tests.security_headers import FORBIDDEN_IN_HTML, check_html
from vae.security_headers import (
    PRIVATE_FILE_POLICY,
    SecurityHeadersMiddleware,
    permissions_policy,
    private_file,
)

# Not served to a browser: e-mails (mail clients need inline styles) and the templates
# WeasyPrint renders to PDF (read from the disk, no network, no script): in a pdf/ folder
# or named *_pdf.html.
NOT_SERVED = (
    "emails/",
    "jury/email/",
    "review/pdf/",
    "livret/pdf/",
    "demo/document.html",
)


PRINTED = "_pdf.html"


def served_templates():
    roots = [settings.BASE_DIR / "templates"] + [
        path for path in settings.BASE_DIR.glob("*/templates") if ".venv" not in path.parts
    ]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            name = path.relative_to(root).as_posix()
            if not (name.startswith(NOT_SERVED) or name.endswith(PRINTED)):
                yield name, path


def test_no_template_served_to_a_browser_has_inline_code_or_style():
    templates = list(served_templates())
    assert len(templates) > 50  # the sweep looks where the templates are
    problems = [
        f"{name}: {what}"
        for name, path in templates
        for what, pattern in FORBIDDEN_IN_HTML.items()
        if pattern.search(Path(path).read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<main><script>alert(1)</script></main>", 1),
        ('<main><script type="module">import "x";</script></main>', 1),
        ('<button type="button" onclick="go()">Go</button>', 1),
        ('<p style="color: red">texte</p>', 1),
        ("<style>p { color: red; }</style>", 1),
        ('<a href="javascript:void(0)">lien</a>', 1),
        # Files and data pass; so do the words in a text.
        ('<script src="/static/js/autosave.js" type="module"></script>', 0),
        ('<script id="data" type="application/json">{"a": 1}</script>', 0),
        ('<p class="style-note" data-onload="x">style= onclick= dans le texte</p>', 0),
    ],
)
def test_the_sweep_finds_each_kind_of_inline_code_and_lets_files_through(html, found):
    problems = []
    check_html("/candidature/", html, problems)
    assert len(problems) == found, problems


def response_for(path, response=None):
    request = RequestFactory().get(path)
    middleware = SecurityHeadersMiddleware(lambda request: response or HttpResponse("ok"))
    return middleware(request)


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_pages_get_the_strict_policy():
    policy = directives(response_for("/candidature/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    # As X-Frame-Options SAMEORIGIN: Wagtail's preview frames our pages.
    assert settings.X_FRAME_OPTIONS == "SAMEORIGIN"
    assert policy["frame-ancestors"] == ["'self'"]


def test_only_the_admin_gets_inline_scripts_and_styles():
    policy = directives(response_for("/admin/candidatures/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    # A path that merely starts like the admin's is not the admin.
    lookalike = directives(response_for("/administration/")["Content-Security-Policy"])
    assert lookalike["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/candidature/1/livret-2/pieces/1/fichier/", "/admin/x.pdf"])
def test_stored_files_get_the_file_policy_even_in_the_admin(path):
    response = response_for(path, private_file(HttpResponse(b"%PDF-1.7")))
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "script-src" not in policy
    assert PRIVATE_FILE_POLICY["default-src"] == ["'none'"]


def test_permissions_policy_turns_the_devices_off():
    header = response_for("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header.split(", ")
    assert permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


def test_a_view_that_sets_its_own_permissions_policy_keeps_it():
    own = HttpResponse("ok")
    own["Permissions-Policy"] = "fullscreen=(self)"
    assert response_for("/", own)["Permissions-Policy"] == "fullscreen=(self)"
