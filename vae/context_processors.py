from dataclasses import dataclass

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from referentiel.caching import TIMEOUT, site_token
from vae.navigation import header_entries


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str


def _menu_items(request) -> list[MenuItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    pages = site.root_page.get_children().live().in_menu().public()
    return [MenuItem(page.pk, page.title, page.get_url(request)) for page in pages]


def site_menu(request):
    """The site's top-level pages, for the main navigation of every page.

    Kept in the cache under the site token (``referentiel.caching.site_token``: live pages,
    their titles and view restrictions), so publishing, renaming or restricting a page
    changes the menu everywhere at once; finding the site and its live public children
    cost every logged-in page four ORM queries before."""

    def menu():
        key = f"site-menu:{request.get_host()}:{site_token()}"
        return cache.get_or_set(key, lambda: _menu_items(request), TIMEOUT)

    # Lazy: admin pages and error pages never pay for it.
    return {"site_menu": SimpleLazyObject(menu)}


def account_menu(request):
    """The account entries of the site header (``vae.navigation.header_entries``)."""

    def entries():
        user = getattr(request, "user", None)
        return header_entries(user, request.path) if user is not None else []

    # Lazy, like the site menu: pages that never show the header never pay for it.
    return {"account_entries": SimpleLazyObject(entries)}
