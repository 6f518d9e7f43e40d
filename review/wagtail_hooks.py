"""The review in the Wagtail admin: the certifier's pages and the evaluator profiles.

Certifiers only. Their role group does not carry Django model permissions on the review's
models: who may act is decided by ``vae.permissions.is_certifier``, here as everywhere.
"""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from review import admin_urls
from review.admin_forms import EvaluatorProfileForm
from review.models import EvaluatorProfile
from vae.admin_policies import CertifierMenuItem, CertifierPermissionPolicy

# Registered before the viewset, which would otherwise fall back on model permissions.
register_permission_policy(
    EvaluatorProfile, CertifierPermissionPolicy(EvaluatorProfile), exact_class=True
)


class EvaluatorProfileIndexView(IndexView):
    # Not Wagtail's « Ajouter un(e) profil d'évaluateur ».
    add_item_label = _("Ajouter un profil d'évaluateur")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")


class EvaluatorProfileViewSet(ModelViewSet):
    model = EvaluatorProfile
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    index_view_class = EvaluatorProfileIndexView
    name = "evaluator_profiles"
    icon = "user"
    menu_label = _("Profils d'évaluateurs")
    add_to_admin_menu = False  # in the « Évaluation » submenu below
    copy_view_enabled = False
    list_display = ["user", "category", "organisation"]
    list_filter = ["category"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation"]
    ordering = ["user__last_name", "user__first_name"]

    def get_form_class(self, for_update=False):
        return EvaluatorProfileForm


evaluator_profiles = EvaluatorProfileViewSet()


@hooks.register("register_admin_viewset")
def register_evaluator_profiles():
    return evaluator_profiles


@hooks.register("register_admin_urls")
def register_review_urls():
    return [path("evaluation/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_review_menu():
    return SubmenuMenuItem(
        _("Évaluation"),
        Menu(
            items=[
                CertifierMenuItem(
                    _("Accord entre évaluateurs"),
                    reverse_lazy("review_admin:agreement"),
                    name="accord-evaluateurs",
                    icon_name="table",
                    order=1,
                ),
                evaluator_profiles.get_menu_item(order=2),
            ]
        ),
        name="evaluation",
        icon_name="clipboard-list",
        order=160,
    )
