"""The candidacies in the Wagtail admin: the certifier's list, detail and decisions."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from vae import admin_urls, navigation, permissions, typography
from vae.admin_filters import AWAITING_DECISION
from vae.models import Candidacy


class CandidacyMenuItem(MenuItem):
    """« Candidatures », for certifiers, with the number of files waiting for a decision."""

    def is_shown(self, request):
        return permissions.is_certifier(request.user)

    def render_component(self, request):
        # Menu items are shared between requests: build the label per request, never
        # store it on the item.
        waiting = Candidacy.objects.filter(state__in=AWAITING_DECISION).count()
        label = f"{self.label} ({waiting})" if waiting else str(self.label)
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_urls")
def register_candidacy_urls():
    return [path("candidatures/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_candidacy_menu_item():
    return CandidacyMenuItem(
        _("Candidatures"),
        reverse_lazy("candidacy_admin:list"),
        name="candidatures",
        icon_name="group",
        order=150,
    )


class SpaceMenuItem(MenuItem):
    """One of the user's spaces outside the admin (``vae.navigation``): the admin shows
    no site header, and a certifier who also evaluates or sits on a jury must reach
    their other work from here."""

    def __init__(self, key, order):
        label, url_name = navigation.SPACES[key]
        super().__init__(label, reverse_lazy(url_name), name=f"espace-{key}", order=order)
        self.key = key

    def is_shown(self, request):
        return navigation.holds_space(request.user, self.key)


@hooks.register("register_admin_menu_item")
def register_spaces_menu():
    # A submenu shows only when one of its items does: most certifiers never see it.
    return SubmenuMenuItem(
        _("Mes autres espaces"),
        Menu(
            items=[
                SpaceMenuItem(key, order)
                for order, key in enumerate(navigation.HEADER_ORDER)
                if key != "admin"
            ]
        ),
        name="mes-espaces",
        icon_name="user",
        order=10000,
    )


def _french_header_title(view):
    return typography.with_subtitle(view.get_page_title(), view.get_page_subtitle())


# Wagtail joins every admin title and subtitle with an English colon (« Modification:
# Activité 1.1 », « VAE-2026-00006: Mathieu Roche »), in its pages, snippets and viewsets
# as in ours; there is no setting for it, so its one builder is replaced here.
WagtailAdminTemplateMixin.get_header_title = _french_header_title
