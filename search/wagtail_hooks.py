"""The certifier's search across every dossier, in the back office (/admin/recherche/)."""

from django.urls import path, reverse_lazy
from wagtail import hooks

from search.views import CertifierSearchView
from vae.admin_policies import CertifierMenuItem


@hooks.register("register_admin_urls")
def register_search_urls():
    return [path("recherche/", CertifierSearchView.as_view(), name="search_admin")]


@hooks.register("register_admin_menu_item")
def register_search_menu():
    return CertifierMenuItem(
        "Recherche dans les dossiers",
        reverse_lazy("search_admin"),
        name="recherche-dossiers",
        icon_name="search",
        order=155,
    )
