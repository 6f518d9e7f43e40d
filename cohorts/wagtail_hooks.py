"""The certifier's « Analyse des cohortes » in the back office (certifiers only:
``vae.admin_policies``): the promotions and their insertion tables, the process dashboard,
and the survey waves, editable (the schedule is data). A wave is never deleted (its surveys
point at it): unticking « envoyée » stops it.
"""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cohorts import admin_urls
from cohorts.admin_forms import SurveyWaveForm
from cohorts.models import SurveyWave
from vae.admin_policies import CertifierMenuItem, CertifierPermissionPolicy


@hooks.register("register_admin_urls")
def register_cohorts_urls():
    return [path("cohortes/", include(admin_urls))]


class WavePolicy(CertifierPermissionPolicy):
    actions = ("add", "change", "view")


register_permission_policy(SurveyWave, WavePolicy(SurveyWave), exact_class=True)


class SurveyWaveViewSet(ModelViewSet):
    model = SurveyWave
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    name = "cohorts_waves"
    icon = "date"
    menu_label = _("Vagues d'enquête")
    add_item_label = _("Ajouter une vague")
    add_to_admin_menu = False  # in the « Analyse des cohortes » submenu below
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "label",
        "months_after_decision",
        "reminder_after_days",
        "open_for_days",
        "active",
    ]
    ordering = ["months_after_decision"]

    def get_form_class(self, for_update=False):
        return SurveyWaveForm


survey_waves = SurveyWaveViewSet()


@hooks.register("register_admin_viewset")
def register_survey_waves():
    return survey_waves


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
                CertifierMenuItem(
                    _("Tableau de bord du processus"),
                    reverse_lazy("cohorts_admin:dashboard"),
                    name="tableau-de-bord-processus",
                    icon_name="table",
                    order=2,
                ),
                CertifierMenuItem(
                    _("Enquêtes de suivi"),
                    reverse_lazy("cohorts_admin:surveys"),
                    name="enquetes-suivi",
                    icon_name="mail",
                    order=3,
                ),
                survey_waves.get_menu_item(order=90),
            ]
        ),
        name="analyse-cohortes",
        icon_name="table",
        order=180,
    )
