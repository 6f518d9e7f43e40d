from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from vae.navigation import header_entries


def site_menu(request):
    """The site's top-level pages, for the main navigation of every public page."""

    def menu():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return list(site.root_page.get_children().live().in_menu().public())

    # Lazy: admin pages and error pages never pay for the query.
    return {"site_menu": SimpleLazyObject(menu)}


def account_menu(request):
    """The account entries of the site header (``vae.navigation.header_entries``)."""

    def entries():
        user = getattr(request, "user", None)
        return header_entries(user, request.path) if user is not None else []

    # Lazy, like the site menu: pages that never show the header never pay for it.
    return {"account_entries": SimpleLazyObject(entries)}
