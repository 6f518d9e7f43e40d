"""The core's part of the Wagtail admin: the user's other spaces, the account security
page, French page titles."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from referentiel import french as fr
from vae import navigation
from vae.accounts import admin_urls
from vae.accounts.permissions import can_manage_accounts
from vae.admin_access_log import file_accesses


class SpaceMenuItem(MenuItem):
    """One of the user's spaces outside the admin (``vae.navigation``): the admin shows
    no site header, and a certifier who also evaluates or sits on a jury must reach
    their other work from here."""

    def __init__(self, definition, order):
        super().__init__(
            definition.label,
            reverse_lazy(definition.url_name),
            name=f"espace-{definition.key}",
            order=order,
        )
        self.key = definition.key

    def is_shown(self, request):
        return navigation.holds_space(request.user, self.key)


@hooks.register("register_admin_menu_item")
def register_spaces_menu():
    # Called when the admin first builds its menu: by then every app has registered its
    # space. A submenu shows only when one of its items does: most certifiers never see it.
    return SubmenuMenuItem(
        _("Mes autres espaces"),
        Menu(
            items=[
                SpaceMenuItem(definition, order)
                for order, definition in enumerate(navigation.definitions())
                if definition.key != "admin"
            ]
        ),
        name="mes-espaces",
        icon_name="user",
        order=10000,
    )


class AccountSecurityMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_accounts(request.user)


@hooks.register("register_admin_urls")
def register_account_security_urls():
    return [path("comptes/securite/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_account_security_menu_item():
    return AccountSecurityMenuItem(
        _("Sécurité des comptes"),
        reverse_lazy("account_security:index"),
        name="securite-des-comptes",
        icon_name="lock",
        order=9000,
    )


def _french_header_title(view):
    return fr.with_subtitle(view.get_page_title(), view.get_page_subtitle())


# Wagtail joins every admin title and subtitle with an English colon (« Modification:
# Activité 1.1 », « VAE-2026-00006: Mathieu Roche »), in its pages, snippets and viewsets
# as in ours; there is no setting for it, so its one builder is replaced here.
WagtailAdminTemplateMixin.get_header_title = _french_header_title


@hooks.register("register_admin_viewset")
def register_file_access_log():
    return file_accesses
