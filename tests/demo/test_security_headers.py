"""Every page carries the security headers: a crawl of the site as each demo person sees it.

For each person (a visitor, candidates in several states, evaluators, the jury member, the
certifier), the crawl starts from every URL pattern that takes no parameter and follows
every same-site link, frame, image, script, stylesheet and form target it finds, once per
route (the same page of another candidacy adds nothing). Each response, whatever its
status (pages, redirects, files, 403, 404, 405), must carry the Content-Security-Policy,
the Permissions-Policy, the Referrer-Policy and the Cross-Origin-Opener-Policy; outside the
Wagtail admin, the page policy allows no inline script or style, and the HTML has no inline
script, no on…= handler, no style attribute and no javascript: URL (what templates and
HTML built in Python write alike). Files we store are sent with the file policy.
"""

import html
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.accounts import log_in
from tests.e2e.a11y import page_pattern
from tests.security_headers import check_headers, check_html
from vae.models import User

CRAWLED = [
    None,  # a visitor
    "candidat@demo.vae.local",  # livret 1 in progress
    "ines.lambert@demo.vae.local",  # dossier submitted, real PDF pieces
    "mathieu.roche@demo.vae.local",  # dossier under review
    "evaluateur@demo.vae.local",
    "eval.certif@demo.vae.local",  # consolidates
    "jury@demo.vae.local",
    "certificateur@demo.vae.local",  # the admin
]
# Enough to reach every route the demo offers each person, with room to spare: a crawl
# that hits the cap fails rather than silently leaving pages out.
MAX_REQUESTS = 600

LINK = re.compile(r"""\b(?:href|src|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def parameterless_paths(resolver=None, prefix=""):
    """Every URL pattern of the project that takes no parameter, as a path."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or any(char in route for char in "^$()[?*+\\"):
            continue  # a parameter (or a regular expression): reached by links
        if isinstance(pattern, URLResolver):
            yield from parameterless_paths(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


def same_site_targets(page_url, body):
    for raw in LINK.findall(body):
        target = html.unescape(raw).strip()
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, a fragment or a relative oddity
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, seeds):
    """Visit every route reachable from the seeds once; return the routes seen and the
    problems found."""
    queue = deque(seeds)
    seen_paths, seen_routes, problems = set(), set(), []
    requests = 0
    while queue:
        path = queue.popleft()
        route = page_pattern("http://testserver" + path.split("?")[0])
        key = (route, "?" in path)
        if path in seen_paths or key in seen_routes:
            continue
        seen_paths.add(path)
        seen_routes.add(key)
        requests += 1
        assert requests <= MAX_REQUESTS, "the crawl found more pages than it may visit"
        response = client.get(path)
        check_headers(path, response, problems)
        if response.streaming:
            # Read to its end: that closes the file the way the test client expects.
            # Closing it again would close the database connection (PostgreSQL).
            b"".join(response.streaming_content)
            continue
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
            check_html(path, body, problems)
            queue.extend(same_site_targets(path, body))
    return {route for route, _ in seen_routes}, problems


@pytest.fixture
def seeds():
    # Wagtail's /admin/failwhale/ raises on purpose (to test error reporting).
    paths = sorted(set(parameterless_paths()) - {"/admin/failwhale/"})
    assert "/compte/connexion/" in paths and "/admin/" in paths
    return ["/", *paths]


def test_every_page_of_every_person_carries_the_security_headers(demo, seeds):
    routes_by_person = {}
    all_problems = []
    for email in CRAWLED:
        client = Client()
        if email:
            log_in(client, User.objects.get(email=email))
        routes, problems = crawl(client, seeds)
        routes_by_person[email or "visitor"] = routes
        all_problems += [f"[{email or 'visitor'}] {problem}" for problem in problems]
    assert not all_problems, "\n".join(all_problems)
    every_route = set().union(*routes_by_person.values())
    # The crawl reached each kind of page: a crawl that found nothing would prove nothing.
    for expected in (
        "/candidature/<id>/livret-2/pieces/",
        "/candidature/<id>/livret-2/pieces/<id>/fichier/",
        "/evaluation/affectations/<id>/dossier/",
        "/evaluation/affectations/<id>/pieces/<id>/pages/<number>/",
        "/admin/candidatures/<id>/",
        "/compte/inscription/",
        "/static/css/site.css",
    ):
        assert expected in every_route, (expected, sorted(every_route))
    assert len(every_route) > 60, sorted(every_route)


def test_error_pages_carry_the_security_headers(demo):
    problems = []
    not_found = Client().get("/cette-page-n-existe-pas/")
    assert not_found.status_code == 404
    check_headers("/cette-page-n-existe-pas/", not_found, problems)
    # A form posted without its CSRF token: Django's 403.
    forbidden = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {})
    assert forbidden.status_code == 403
    check_headers("login without CSRF", forbidden, problems)
    # A candidate in the admin, a visitor on a candidate's page: refused or sent away.
    candidate = Client()
    candidate.force_login(User.objects.get(email="candidat@demo.vae.local"))
    for client, path in ((candidate, "/admin/"), (Client(), reverse("candidacy:dashboard"))):
        response = client.get(path)
        assert response.status_code in (302, 403, 404)
        check_headers(path, response, problems)
    assert not problems, "\n".join(problems)
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
