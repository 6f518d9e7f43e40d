"""The certifier's search across every dossier, in the back office (/admin/recherche/).

Registered with Wagtail's hooks by ``register()``, called from ``search.apps`` before the
admin first reads its hooks (``search/wagtail_hooks.py`` holds the synonym list)."""

from django.urls import path, reverse_lazy
from wagtail import hooks

from search.views import CertifierSearchView
from vae.admin_policies import CertifierMenuItem


def search_urls():
    return [path("recherche/", CertifierSearchView.as_view(), name="search_admin")]


def search_menu_item():
    return CertifierMenuItem(
        "Recherche dans les dossiers",
        reverse_lazy("search_admin"),
        name="recherche-dossiers",
        icon_name="search",
        order=155,
    )


def register() -> None:
    hooks.register("register_admin_urls", search_urls)
    hooks.register("register_admin_menu_item", search_menu_item)
