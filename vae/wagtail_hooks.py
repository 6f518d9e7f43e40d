"""The candidacies in the Wagtail admin: the certifier's list, detail and decisions."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from vae import admin_urls, permissions
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
