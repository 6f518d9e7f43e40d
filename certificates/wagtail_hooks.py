"""Issued documents in the Wagtail admin (certifiers only: ``vae.admin_policies``)."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from certificates import admin_urls
from vae.admin_policies import CertifierMenuItem


@hooks.register("register_admin_urls")
def register_certificates_urls():
    return [path("documents-delivres/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_certificates_menu():
    return CertifierMenuItem(
        _("Documents délivrés"),
        reverse_lazy("certificates_admin:list"),
        name="documents-delivres",
        icon_name="tick-inverse",
        order=175,
    )
