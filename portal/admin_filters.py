"""Filters of the certifier's list of candidacies (Wagtail admin)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from portal.todo import CATEGORIES, filter_candidacies
from referentiel.models import Bloc
from vae.enums import CandidacyState
from vae.models import Candidacy


def bloc_choices():
    """Every bloc code any version of the référentiel has, labelled by its latest title.

    Codes rather than rows: a certifier looking for « BC2 » wants the candidacies of
    every version, not those pinned to one of them.
    """
    titles = {}
    for code, title in Bloc.objects.order_by("code", "-certification__version").values_list(
        "code", "title"
    ):
        titles.setdefault(code, title)
    return [(code, f"{code} — {title}") for code, title in titles.items()]


def todo_choices():
    """The kinds of work of the certifier's « À traiter » panel."""
    return [(category.key, category.title) for category in CATEGORIES]


class CandidacyFilterSet(WagtailFilterSet):
    # The « À traiter » panel's links land here: the list shows exactly what it counted.
    todo = django_filters.ChoiceFilter(
        label=_("À traiter"),
        choices=todo_choices,
        method="filter_todo",
        empty_label=_("Toutes les candidatures"),
        widget=forms.RadioSelect,
    )
    state = django_filters.MultipleChoiceFilter(
        label=_("État"),
        choices=CandidacyState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    bloc = django_filters.MultipleChoiceFilter(
        label=_("Bloc visé"),
        choices=bloc_choices,
        method="filter_bloc",
        widget=forms.CheckboxSelectMultiple,
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Date de création"),
        field_name="created_at",
        widget=DateRangePickerWidget,
    )
    state_changed = django_filters.DateFromToRangeFilter(
        label=_("Date du dernier changement d'état"),
        field_name="state_changed_at",
        widget=DateRangePickerWidget,
    )

    class Meta:
        model = Candidacy
        fields = []

    def filter_todo(self, queryset, name, value):
        return filter_candidacies(queryset, value, user=self.request.user)

    def filter_bloc(self, queryset, name, value):
        # A subquery, not a join: no DISTINCT over the whole list, and the ordering of the
        # list stays the database's to serve.
        if not value:
            return queryset
        targeting = Candidacy.targeted_blocs.through.objects.filter(
            candidacy=OuterRef("pk"), bloc__code__in=value
        )
        return queryset.filter(Exists(targeting))
