from django.utils.functional import SimpleLazyObject
from wagtail.models import Site


def site_menu(request):
    """The site's top-level pages, for the main navigation of every public page."""

    def menu():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return list(site.root_page.get_children().live().in_menu().public())

    # Lazy: admin pages and error pages never pay for the query.
    return {"site_menu": SimpleLazyObject(menu)}
