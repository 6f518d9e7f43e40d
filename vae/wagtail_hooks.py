"""The core's part of the Wagtail admin: the user's other spaces, French page titles."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from french import format as fr
from vae import navigation


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
    return fr.with_subtitle(view.get_page_title(), view.get_page_subtitle())


# Wagtail joins every admin title and subtitle with an English colon (« Modification:
# Activité 1.1 », « VAE-2026-00006: Mathieu Roche »), in its pages, snippets and viewsets
# as in ours; there is no setting for it, so its one builder is replaced here.
WagtailAdminTemplateMixin.get_header_title = _french_header_title
