"""Public pages served from cache: the same HTML for every visitor until something they
show is published again.

The certification page renders the whole référentiel (blocs, activités, compétences,
critères, épreuves: a few hundred rows and a long template) from the version in force,
on every request. For visitors who are not logged in, that page and the other public
pages are the same for everyone: their HTML is kept in the cache under a key made of
what they show, read from the database in two small queries —

- the page itself, with its publication date (a page published again changes the key),
- the live pages of the site (the menu lists them: adding, renaming or unpublishing one
  changes every key),
- the published versions of the référentiels (publishing a new version changes them).

So publishing invalidates by construction, in every process at once (each app server may
hold its own cache: the key is computed from the shared database, never from a counter
kept in one process's memory). Logged-in users get the page rendered for them (their
header and entries differ), with the référentiel part from the cache
(``referentiel_html``), keyed by the version's content hash.

Never cached: anything but a plain GET of the page (query string, preview, POST), a
request carrying a flash message, and a page under a view restriction (a password or
login restriction passed in one session must not leak to the next visitor).
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Page, PageViewRestriction

from referentiel.models.referentiel import Certification

# Keys are versioned by content, so entries never go stale; the timeout only bounds how
# long an unused variant stays in memory.
TIMEOUT = 24 * 60 * 60
VISITOR_HEADER = "X-Page-Cache"


def site_state() -> tuple[str, list[str]]:
    """What every public page depends on beyond itself — the live pages (the menu lists
    them) and the published référentiels — as a short token, and the tree paths of the
    pages under a view restriction. Three queries, a few rows each."""
    pages = Page.objects.live().values_list("pk", "last_published_at", "url_path", "title")
    versions = Certification.objects.published().values_list("pk", "content_hash")
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    digest = hashlib.sha256(repr((sorted(pages), sorted(versions))).encode())
    return digest.hexdigest()[:32], restricted


def visitor_key(page, request) -> str | None:
    """The cache key of ``page`` as a logged-out visitor sees it, or None when this
    request must be rendered for itself."""
    if settings.DEBUG or request.method not in ("GET", "HEAD") or request.GET:
        # In development templates are being edited: always render.
        return None
    if getattr(request, "is_preview", False) or request.user.is_authenticated:
        return None
    if len(get_messages(request)):
        return None
    token, restricted = site_state()
    # Wagtail has already refused a visitor who may not see the page; but one who passed
    # a password restriction sees it for their session only.
    if any(page.path.startswith(path) for path in restricted):
        return None
    return ":".join(
        (
            "public-page",
            str(page.pk),
            page.last_published_at.isoformat() if page.last_published_at else "-",
            hashlib.sha256(request.path.encode()).hexdigest()[:16],
            token,
        )
    )


class CachedForVisitors:
    """Mixin for public Wagtail pages: logged-out visitors get the page's HTML from the
    cache (see the module docstring)."""

    def serve(self, request, *args, **kwargs):
        key = visitor_key(self, request)
        if key is None:
            return super().serve(request, *args, **kwargs)
        html = cache.get(key)
        if html is not None:
            response = HttpResponse(html, content_type="text/html; charset=utf-8")
            response[VISITOR_HEADER] = "hit"
            return response
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response.content, TIMEOUT)
            response[VISITOR_HEADER] = "miss"
        return response


def referentiel_html(certification) -> str:
    """The référentiel part of the certification page (summary, blocs, épreuves,
    prérequis, évaluateurs and jury), rendered once per published version's content."""
    key = f"referentiel-html:{certification.pk}:{certification.content_hash or '-'}"
    if settings.DEBUG:
        # In development the template is being edited: always render.
        return _render_referentiel(certification)
    # Our own template's output, escaped when rendered: safe to show as is.
    return mark_safe(cache.get_or_set(key, lambda: _render_referentiel(certification), TIMEOUT))


def _render_referentiel(certification) -> str:
    tree = Certification.objects.with_tree().get(pk=certification.pk)
    # The summary counts each bloc's compétences from the prefetched tree: no query per bloc.
    summaries = [
        {
            "bloc": bloc,
            "competences": sum(len(a.competences.all()) for a in bloc.activities.all()),
        }
        for bloc in tree.blocs.all()
    ]
    return render_to_string(
        "referentiel/includes/referentiel.html",
        {"certification": tree, "bloc_summaries": summaries},
    )
