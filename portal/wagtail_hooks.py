"""The roof's pages in the Wagtail admin: the candidacies (list, page, decisions) and
the certifier's « À traiter » panel on the admin home."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem

from portal import admin_urls, todo
from vae import permissions
from vae.enums import AWAITING_DECISION
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


class TodoPanel(Component):
    """« À traiter » on the certifier's admin home: the work waiting for them, by kind."""

    name = "a_traiter"
    template_name = "portal/admin/todo_panel.html"
    order = 10  # before Wagtail's own panels (200 and up): the work first

    class Media:
        css = {"all": ["css/admin-todo.css"]}

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        lines = todo.todo_lines(self.user)
        return {"lines": lines, "total": sum(line.count for line in lines)}


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    if permissions.is_certifier(request.user):
        panels.append(TodoPanel(request.user))


@hooks.register("construct_homepage_summary_items", order=1000)
def drop_site_summary(request, summary_items):
    # « 4 Pages » (and the images and documents counts) sat above the work: it counts
    # the public pages, nothing a certifier has to act on; the sidebar still leads to them.
    # Run last (order): the apps that add those items run before.
    if permissions.is_certifier(request.user):
        summary_items.clear()
