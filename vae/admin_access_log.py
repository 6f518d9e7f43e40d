"""The certifier's view of who opened which file of a candidate (back office)."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from vae.admin_policies import CertifierReadOnlyPolicy
from vae.models import AccessedFile, FileAccess

# « VAE-2026-00042 », « 00042 » or « 42 »: what a certifier copies from a candidacy's page.
# ASCII digits only, and few enough to fit any database's integer.
REFERENCE = re.compile(r"(?:VAE-[0-9]{4}-)?([0-9]{1,15})", re.ASCII | re.IGNORECASE)


class FileAccessFilterSet(WagtailFilterSet):
    candidacy = django_filters.CharFilter(
        label=_("Candidature (référence ou numéro)"), method="filter_candidacy"
    )
    person = django_filters.CharFilter(
        label=_("Consulté par (nom ou adresse e-mail)"), method="filter_person"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type de fichier"), choices=AccessedFile.choices, empty_label=_("Tous")
    )
    accessed = django_filters.DateFromToRangeFilter(
        label=_("Date"), field_name="accessed_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = FileAccess
        fields = []

    def filter_candidacy(self, queryset, name, value):
        match = REFERENCE.fullmatch(value.strip())
        if match is None:
            return queryset.none()
        return queryset.filter(candidacy_id=int(match.group(1)))

    def filter_person(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(user__email__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
        return queryset


class FileAccessIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "candidacy__candidate")


class FileAccessViewSet(ModelViewSet):
    model = FileAccess
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    name = "consultations"
    icon = "view"
    menu_label = _("Consultations des fichiers")
    menu_order = 9000
    add_to_admin_menu = True
    index_view_class = FileAccessIndexView
    filterset_class = FileAccessFilterSet
    list_display = ["accessed_at", "user", "candidacy", "kind", "label"]
    list_per_page = 50
    ordering = ["-accessed_at", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = False
    # Never edited (the policy refuses it); named only because a model view set needs a form.
    form_fields = ["label"]


register_permission_policy(FileAccess, CertifierReadOnlyPolicy(FileAccess), exact_class=True)
file_accesses = FileAccessViewSet()
