"""Public pages served from cache: the same HTML for every visitor until something they
show is published again.

The certification page renders the whole référentiel (blocs, activités, compétences,
critères, épreuves: a few hundred rows and a long template) from the version in force,
on every request. For visitors who are not logged in, that page and the other public
pages are the same for everyone: their HTML is kept in the cache under a key made of the
URL and of what the pages show, read from the database in three small queries —

- the live pages with their publication dates (a page published again, added, renamed or
  unpublished changes every key: the menu lists them all),
- the published versions of the référentiels (publishing a new version changes them),
- the view restrictions (a page newly restricted is never answered from an older entry).

``VisitorCacheMiddleware`` answers from the cache before Wagtail's routing; the pages
(``CachedForVisitors``) store what they render.

So publishing invalidates by construction, in every process at once (each app server may
hold its own cache: the key is computed from the shared database, never from a counter
kept in one process's memory). Logged-in users get the page rendered for them (their
header and entries differ), with the référentiel part from the cache
(``referentiel_html``), keyed by the version's content hash.

Never cached: anything but a plain GET of the page (query string, preview, POST), a
logged-in user, a request carrying a flash message, and a page under a view restriction
(a password or login restriction passed in one session must not leak to the next
visitor).
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.safestring import mark_safe
from wagtail.models import Page, PageViewRestriction

from referentiel.models.referentiel import Certification

# Keys are versioned by content, so entries never go stale; the timeout only bounds how
# long an unused variant stays in memory.
TIMEOUT = 24 * 60 * 60
VISITOR_HEADER = "X-Page-Cache"


def site_token() -> str:
    """What every public page depends on beyond the request — the live pages (each page's
    publication, and the menu that lists them), the published référentiels and the view
    restrictions — as a short token. Three queries, a few rows each."""
    pages = Page.objects.live().values_list("pk", "last_published_at", "url_path", "title")
    versions = Certification.objects.published().values_list("pk", "content_hash")
    restrictions = PageViewRestriction.objects.values_list("pk", "page_id", "restriction_type")
    state = (sorted(pages), sorted(versions), sorted(restrictions))
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def visitor_key(request) -> str | None:
    """The cache key of the page at this URL as a logged-out visitor sees it, or None when
    this request must be rendered for itself. Computed once a request."""
    if hasattr(request, "_visitor_cache_key"):
        return request._visitor_cache_key
    key = None
    if _cacheable(request):
        address = f"{request.get_host()}{request.path}"
        key = ":".join(
            ("public-page", hashlib.sha256(address.encode()).hexdigest()[:24], site_token())
        )
    request._visitor_cache_key = key
    return key


def _cacheable(request) -> bool:
    if settings.DEBUG or request.method not in ("GET", "HEAD") or request.GET:
        # In development templates are being edited: always render.
        return False
    if getattr(request, "is_preview", False) or request.user.is_authenticated:
        return False
    # A message left for this visitor (a logout, a confirmation…) is theirs alone.
    return not len(get_messages(request))


def _cached_response(key):
    html = cache.get(key)
    if html is None:
        return None
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response[VISITOR_HEADER] = "hit"
    return response


class VisitorCacheMiddleware:
    """Answers a logged-out visitor from the cache before any routing: a stored page
    costs the three queries of the key. Only pages stored by ``CachedForVisitors`` are
    ever found, under a key that changes with any publication or view restriction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = visitor_key(request) if _wagtail_page(request) else None
        response = _cached_response(key) if key else None
        return response if response is not None else self.get_response(request)


def _wagtail_page(request) -> bool:
    """Whether Wagtail serves this URL (the key's queries are spent on its pages only, not
    on the login page, the candidate's space or any other view)."""
    try:
        return resolve(request.path_info).url_name == "wagtail_serve"
    except Resolver404:
        return False


class CachedForVisitors:
    """Mixin for public Wagtail pages: the HTML a logged-out visitor gets is stored for
    the next ones (see the module docstring), unless the page is under a view restriction
    (a password passed in one session must not open it to the next visitor)."""

    def serve(self, request, *args, **kwargs):
        key = visitor_key(request)
        if key is None or self.get_view_restrictions().exists():
            return super().serve(request, *args, **kwargs)
        response = _cached_response(key)
        if response is not None:
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
