"""The header of every page: the site's main navigation and the « Mon compte » bar.

Every page a logged-in person opens renders it, and it was a third of the candidate's
dashboard (the menu's pages, the spaces the user holds, three links and a form). What it
shows is small and known before rendering — the live menu pages (``site_token``), the
entries of the user's spaces, whether someone is logged in, the current page — so it is
rendered once per combination of those and then served from the cache
(``vae.fragments.cached_part``, which puts the request's own CSRF token in the logout
form). A change to any of them is a new key: publishing or renaming a page, a role given
or taken, another page.
"""

import hashlib
from dataclasses import dataclass

from django import template
from wagtail.models import Site

from referentiel.caching import site_token
from vae.fragments import cached_part
from vae.navigation import header_entries

register = template.Library()

TEMPLATE = "includes/site_header.html"


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str


def menu_items(request) -> list[MenuItem]:
    """The site's top-level pages shown in menus, live and public, as the request's site
    has them."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    pages = site.root_page.get_children().live().in_menu().public()
    return [MenuItem(page.pk, page.title, page.get_url(request)) for page in pages]


@register.simple_tag(takes_context=True)
def site_header(context):
    request = context["request"]
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    entries = header_entries(user, request.path) if authenticated else []
    # The Wagtail page being shown, if any: its menu entry is marked as the current page.
    current = getattr(context.get("page"), "pk", None)
    state = repr((request.get_host(), site_token(), authenticated, entries, current))
    key = "site-header:" + hashlib.sha256(state.encode()).hexdigest()[:40]
    return cached_part(
        request,
        key,
        TEMPLATE,
        lambda: {
            "site_menu": menu_items(request),
            "account_entries": entries,
            "authenticated": authenticated,
            "current_page_id": current,
        },
    )
