"""What the security-header tests check on a response and on a page's HTML, shared by the
crawl of every page (tests/demo/test_security_headers.py) and the sweep of the templates
(tests/vae/test_security_headers.py). Not a test module."""

import re

from django.urls import reverse

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>\s*\S",
    re.IGNORECASE,
)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']\s*javascript:""", re.IGNORECASE)

FORBIDDEN_IN_HTML = {
    "inline <script>": INLINE_SCRIPT,
    "on…= handler": HANDLER,
    "style attribute": STYLE_ATTRIBUTE,
    "<style> block": STYLE_BLOCK,
    "javascript: URL": JAVASCRIPT_URL,
}


def admin_path(path):
    return path.startswith(reverse("wagtailadmin_home"))


def check_headers(path, response, problems):
    csp = response.get("Content-Security-Policy", "")
    for header in ("Permissions-Policy", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        if not response.get(header):
            problems.append(f"{path} ({response.status_code}): no {header}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{path}: the Permissions-Policy leaves the camera on")
    if not csp:
        problems.append(f"{path} ({response.status_code}): no Content-Security-Policy")
        return
    content_type = response.get("Content-Type", "")
    if content_type.startswith(("application/pdf", "image/")) and "inline=1" in path:
        if "default-src 'none'" not in csp:
            problems.append(f"{path}: a stored file without the file policy: {csp}")
        return
    if "object-src 'none'" not in csp or "frame-ancestors 'self'" not in csp:
        problems.append(f"{path}: policy without object-src/frame-ancestors: {csp}")
    if not admin_path(path) and "unsafe-inline" in csp:
        problems.append(f"{path}: 'unsafe-inline' outside the admin: {csp}")


def check_html(path, body, problems):
    if admin_path(path):
        return  # Wagtail's own markup; our admin templates are swept as files
    for what, pattern in FORBIDDEN_IN_HTML.items():
        found = pattern.search(body)
        if found:
            problems.append(f"{path}: {what}: {body[found.start() : found.start() + 120]!r}")
