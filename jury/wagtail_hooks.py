"""The jury in the Wagtail admin: sessions, candidacies waiting for a session, members.

Certifiers only. Their role group carries no Django model permissions on the jury's
models: who may act is decided by ``jury.permissions.can_manage``, here as everywhere.
"""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from jury import admin_urls
from jury.admin_forms import JuryMemberForm
from jury.models import JuryMember
from vae.admin_policies import CertifierMenuItem, CertifierPermissionPolicy

register_permission_policy(JuryMember, CertifierPermissionPolicy(JuryMember), exact_class=True)


class JuryMemberIndexView(IndexView):
    add_item_label = _("Ajouter un membre du jury")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")


class JuryMemberViewSet(ModelViewSet):
    model = JuryMember
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    index_view_class = JuryMemberIndexView
    name = "jury_members"
    icon = "user"
    menu_label = _("Membres du jury")
    add_to_admin_menu = False  # in the « Jury » submenu below
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["user", "college", "civility", "qualified", "active", "organisation"]
    list_filter = ["college", "qualified", "active"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation"]
    ordering = ["user__last_name", "user__first_name"]

    def get_form_class(self, for_update=False):
        return JuryMemberForm


jury_members = JuryMemberViewSet()


@hooks.register("register_admin_viewset")
def register_jury_members():
    return jury_members


@hooks.register("register_admin_urls")
def register_jury_urls():
    return [path("jury/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_jury_menu():
    return SubmenuMenuItem(
        _("Jury"),
        Menu(
            items=[
                CertifierMenuItem(
                    _("Sessions du jury"),
                    reverse_lazy("jury_admin:sessions"),
                    name="sessions-jury",
                    icon_name="date",
                    order=1,
                ),
                CertifierMenuItem(
                    _("En attente d'un jury"),
                    reverse_lazy("jury_admin:waiting"),
                    name="attente-jury",
                    icon_name="time",
                    order=2,
                ),
                jury_members.get_menu_item(order=3),
            ]
        ),
        name="jury",
        icon_name="group",
        order=170,
    )
