"""The certifier's « Analyse des cohortes » in the Wagtail admin (certifiers only:
``vae.admin_policies.CertifierMenuItem``; each view checks again)."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from cohorts import admin_urls
from vae.admin_policies import CertifierMenuItem


@hooks.register("register_admin_urls")
def register_cohorts_urls():
    return [path("cohortes/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_cohorts_menu():
    return SubmenuMenuItem(
        _("Analyse des cohortes"),
        Menu(
            items=[
                CertifierMenuItem(
                    _("Promotions et insertion"),
                    reverse_lazy("cohorts_admin:promotions"),
                    name="promotions-insertion",
                    icon_name="calendar-alt",
                    order=1,
                ),
            ]
        ),
        name="analyse-cohortes",
        icon_name="table",
        order=180,
    )
