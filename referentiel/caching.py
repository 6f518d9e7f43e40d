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

``VisitorCacheMiddleware`` answers from the cache before the session, the user and
Wagtail's routing are looked at, with the headers the page was first served with, gzipped
for the browsers that accept it; the pages (``CachedForVisitors``) say what may be stored.

So publishing invalidates by construction, in every process at once (each app server may
hold its own cache: the key is computed from the shared database, never from a counter
kept in one process's memory). Logged-in users get the page rendered for them (their
header and entries differ), with the référentiel part from the cache
(``referentiel_html``), keyed by the version's content hash.

Never cached: anything but a plain GET of the page (query string, preview, POST), a
request with a session (a logged-in user) or a flash message, and a page under a view restriction
(a password or login restriction passed in one session must not leak to the next
visitor).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.text import compress_string
from wagtail.models import Page, PageViewRestriction

from referentiel.enums import VersionStatus
from referentiel.models.referentiel import Bloc, Certification
from referentiel.prepared import PreparedQuery

# Keys are versioned by content, so entries never go stale; the timeout only bounds how
# long an unused variant stays in memory.
TIMEOUT = 24 * 60 * 60
VISITOR_HEADER = "X-Page-Cache"
MESSAGE_COOKIE = CookieStorage.cookie_name
# Set on the request by a page that may be stored for visitors.
STORE_FLAG = "_store_for_visitors"


# What every public page depends on beyond the request: the live pages (each page's
# publication, and the menu that lists them), the published référentiels and the view
# restrictions. Compiled once per process: building three querysets through the ORM cost
# about ten times their execution (2 ms of a cached page's 3 ms).
_TOKEN_QUERIES = (
    PreparedQuery(
        lambda: (
            Page.objects.live()
            .order_by("pk")
            .values_list("pk", "last_published_at", "url_path", "title")
        )
    ),
    PreparedQuery(
        lambda: Certification.objects.published().order_by("pk").values_list("pk", "content_hash")
    ),
    PreparedQuery(
        lambda: PageViewRestriction.objects.order_by("pk").values_list(
            "pk", "page_id", "restriction_type"
        )
    ),
)


def site_token() -> str:
    """A short token of what every public page depends on (``_TOKEN_QUERIES``)."""
    # Each query orders its rows by primary key: the token never depends on the order a
    # database happens to return them in.
    state = [query() for query in _TOKEN_QUERIES]
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def visitor_key(request) -> str:
    """The cache key of the page at this URL as a logged-out visitor sees it (for a
    request the middleware found ``_cacheable``)."""
    address = f"{request.get_host()}{request.path}"
    return ":".join(
        ("public-page", hashlib.sha256(address.encode()).hexdigest()[:24], site_token())
    )


def _cacheable(request) -> bool:
    """A plain GET from someone who is not logged in and has no message waiting.

    Decided from the request's cookies, before the session is read: no session cookie
    means nobody is logged in and nothing was left in a session for this visitor; no
    message cookie means no flash message (a logout, a confirmation…) waits for them.
    A visitor who has a session (after a password-protected page, say) simply gets their
    page rendered."""
    if settings.DEBUG or request.method not in ("GET", "HEAD") or request.GET:
        # In development templates are being edited: always render.
        return False
    # An emptied cookie (a logout, messages shown) is as good as none.
    cookies = request.COOKIES
    return not (cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(MESSAGE_COOKIE))


def _wagtail_page(request) -> bool:
    """Whether Wagtail serves this URL (the key's queries are spent on its pages only, not
    on the login page, the candidate's space or any other view)."""
    try:
        return resolve(request.path_info).url_name == "wagtail_serve"
    except Resolver404:
        return False


@dataclass(frozen=True)
class StoredPage:
    """A visitor's response as the whole middleware stack made it: headers included
    (frame options, security and content policies, Vary), and its body compressed once
    for the browsers that accept gzip (all of them), so a hit costs no compression."""

    headers: tuple
    body: bytes
    gzipped: bytes

    @classmethod
    def of(cls, response) -> "StoredPage":
        patch_vary_headers(response, ("Accept-Encoding",))
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("content-length", "content-encoding", "etag")
        )
        return cls(headers, response.content, compress_string(response.content))

    def response(self, request) -> HttpResponse:
        gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        response = HttpResponse(self.gzipped if gzipped else self.body)
        for name, value in self.headers:
            response[name] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        response[VISITOR_HEADER] = "hit"
        return response


class VisitorCacheMiddleware:
    """Answers a logged-out visitor's public page from the cache, before the session, the
    user or any routing are looked at: a hit costs the three small queries of the key.

    Placed near the top of ``MIDDLEWARE``: what the middleware below it add to a response
    is stored with the page (``StoredPage``), what the ones above add is added to every
    answer. Only the pages that ask for it (``CachedForVisitors``) are stored, under a key
    that changes with any publication or view restriction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The cookie check first: it is free, the URL resolution is not.
        if not (_cacheable(request) and _wagtail_page(request)):
            return self.get_response(request)
        key = visitor_key(request)
        stored = cache.get(key)
        if stored is not None:
            return stored.response(request)
        response = self.get_response(request)
        if (
            getattr(request, STORE_FLAG, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(key, StoredPage.of(response), TIMEOUT)
            response[VISITOR_HEADER] = "miss"
        return response


class CachedForVisitors:
    """Mixin for public Wagtail pages: what a logged-out visitor gets is stored for the
    next ones by ``VisitorCacheMiddleware`` (see the module docstring), unless the page is
    under a view restriction (a password passed in one session must not open it to the
    next visitor)."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if _cacheable(request) and not self.get_view_restrictions().exists():
            if hasattr(response, "render"):
                response.render()
            setattr(request, STORE_FLAG, True)
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


def bloc_tree(blocs) -> list:
    """The given blocs (rows of ``pk``, ``certification_id``, the version's content hash
    and status) with their activités, compétences and critères, in référentiel order.

    A published version is locked (a change makes a new version, with its own hash): its
    tree is read once and kept in the cache, so the reviewers' pages, which all show it,
    unpickle a copy instead of four queries and a few hundred model instances. A draft is
    always read."""
    blocs = list(blocs)
    tree = Bloc.objects.filter(pk__in=[pk for pk, *_ in blocs]).order_by("sort_order", "code")
    frozen = {
        (version, content_hash)
        for _pk, version, content_hash, status in blocs
        if status == VersionStatus.PUBLISHED and content_hash
    }
    if len(frozen) != 1:
        return list(tree.with_tree())
    ((version, content_hash),) = frozen
    ids = ",".join(str(pk) for pk in sorted(pk for pk, *_ in blocs))
    key = f"bloc-tree:{version}:{content_hash}:{ids}"
    return cache.get_or_set(key, lambda: list(tree.with_tree()), TIMEOUT)
