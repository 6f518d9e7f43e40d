"""The référentiel in the Wagtail back office.

Each level of the référentiel is a snippet with filters by version. Published and
retired versions open read-only (inspect view); drafts are edited, then published from
the « Publier » action, and a published version is changed by first creating a new
draft from it.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from referentiel import views
from referentiel.ids import parse_id
from referentiel.models import (
    Activity,
    Assessment,
    Bloc,
    Certification,
    CertificationRegistration,
    Competence,
    CompositionSeat,
    Criterion,
    Prerequisite,
)
from referentiel.models.referentiel import VersionLockedError
from referentiel.permissions import (
    ReferentielPermissionPolicy,
    can_create_draft,
    can_publish,
    is_editable,
)

for model in (
    Certification,
    Bloc,
    Activity,
    Competence,
    Criterion,
    Assessment,
    CompositionSeat,
    Prerequisite,
):
    register_permission_policy(model, ReferentielPermissionPolicy(model), exact_class=True)


class _InstancePermissionMixin:
    """Wagtail's generic edit and delete views check model permissions only; the
    référentiel also locks instances (published versions). A locked instance sends the
    user to its read-only page with an explanation instead of a bare refusal."""

    instance_action = "change"
    locked = False

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        self.locked = not is_editable(instance)
        if not self.locked and not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, instance
        ):
            raise PermissionDenied
        return instance

    def dispatch(self, request, *args, **kwargs):
        if self.locked:
            messages.error(request, VersionLockedError(self.object.get_certification()).messages[0])
            return redirect(self.get_inspect_url_for(self.object))
        return super().dispatch(request, *args, **kwargs)

    def get_inspect_url_for(self, instance):
        return reverse(
            f"wagtailsnippets_{instance._meta.app_label}_{instance._meta.model_name}:inspect",
            args=[instance.pk],
        )


class LockedEditView(_InstancePermissionMixin, snippet_views.EditView):
    instance_action = "change"


class LockedDeleteView(_InstancePermissionMixin, snippet_views.DeleteView):
    instance_action = "delete"


class IdChosenMultipleView(snippet_choosers.SnippetChosenMultipleView):
    # Wagtail gives the ids of ?id=… to the ORM as they come: « ² » was a 500.
    def get_objects(self, pks):
        return super().get_objects([pk for pk in map(parse_id, pks) if pk is not None])


class IdChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    """The snippet chooser of our models, reading ids as every URL of the project does:
    ``<id:pk>`` instead of Wagtail's ``<str:pk>``, which let « ² » reach the ORM (a 500)."""

    chosen_multiple_view_class = IdChosenMultipleView

    def get_urlpatterns(self):
        return [
            path("chosen/<id:pk>/", self.chosen_view, name="chosen")
            if pattern.name == "chosen"
            else pattern
            for pattern in super().get_urlpatterns()
        ]


class ReadOnlyWhenLockedMixin:
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_view_class = LockedEditView
    delete_view_class = LockedDeleteView


class FrenchLabelsMixin:
    """Wagtail names the add button « Ajouter un(e) <verbose_name> » and the new item's
    page « Nouveau : <verbose_name> »: French needs each noun's own article and gender."""

    add_item_label = ""  # « Ajouter une activité »
    new_item_title = ""  # « Nouvelle »

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=self.add_item_label, **kwargs)

    def get_add_view_kwargs(self, **kwargs):
        if self.new_item_title:
            kwargs.setdefault("page_title", self.new_item_title)
        return super().get_add_view_kwargs(**kwargs)


def _bloc_codes():
    codes = Bloc.objects.order_by("code").values_list("code", flat=True).distinct()
    return [(code, code) for code in codes]


class ActivityFilterSet(WagtailFilterSet):
    """The filters with their French names: Wagtail names a filter on a lookup after its
    path (« Bloc certification », « Bloc code »)."""

    bloc__certification = django_filters.ModelChoiceFilter(
        queryset=Certification.objects.all(), label=_("Version du référentiel")
    )
    bloc__code = django_filters.ChoiceFilter(choices=_bloc_codes, label=_("Bloc"))

    class Meta:
        model = Activity
        fields = []


class CompetenceFilterSet(WagtailFilterSet):
    """As ``ActivityFilterSet`` (« Activity bloc certification » otherwise)."""

    activity__bloc__certification = django_filters.ModelChoiceFilter(
        queryset=Certification.objects.all(), label=_("Version du référentiel")
    )
    activity__bloc__code = django_filters.ChoiceFilter(choices=_bloc_codes, label=_("Bloc"))

    class Meta:
        model = Competence
        fields = []


class CertificationViewSet(FrenchLabelsMixin, ReadOnlyWhenLockedMixin, SnippetViewSet):
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    chooser_viewset_class = IdChooserViewSet
    model = Certification
    icon = "doc-full"
    menu_label = _("Versions")
    add_item_label = _("Ajouter une version du référentiel")
    new_item_title = _("Nouvelle")
    list_display = ["title", "version", "status", "effective_date", "published_at"]
    list_filter = ["status", "code"]
    search_fields = ["title", "code"]
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("version")]),
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("certifier")]),
                FieldPanel("effective_date"),
            ],
            heading=_("Certification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("all_blocs_required"),
                FieldPanel("obtention_text"),
                FieldPanel("rating_scale_text"),
                FieldPanel("questionnaire_max_score"),
                FieldPanel("acquired_bloc_validity_months"),
            ],
            heading=_("Règles d'obtention et échelle d'évaluation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("prerequisites_text"),
                InlinePanel("prerequisites", label=_("Prérequis (l'un d'eux suffit)")),
                FieldPanel("prerequisites_per_bloc_text"),
            ],
            heading=_("Prérequis"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("evaluators_text"),
                FieldPanel("evaluators_must_not_know_candidate"),
                FieldPanel("jury_text"),
                InlinePanel("seats", label=_("Sièges (évaluateurs et jury)")),
            ],
            heading=_("Évaluateurs et jury de délibération"),
        ),
    ]


class BlocViewSet(FrenchLabelsMixin, ReadOnlyWhenLockedMixin, SnippetViewSet):
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    chooser_viewset_class = IdChooserViewSet
    model = Bloc
    icon = "folder-open-inverse"
    menu_label = _("Blocs")
    add_item_label = _("Ajouter un bloc de compétences")
    new_item_title = _("Nouveau")
    list_display = ["code", "title", "certification"]
    list_filter = ["certification"]
    search_fields = ["code", "title"]
    panels = [
        FieldPanel("certification"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldPanel("rule_text"),
                FieldRowPanel(
                    [
                        FieldPanel("min_acquired"),
                        FieldPanel("max_partial"),
                        FieldPanel("max_not_acquired"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("competences_on_vae"), FieldPanel("competences_on_training")]
                ),
                FieldPanel("min_questionnaire_score"),
                FieldRowPanel(
                    [FieldPanel("questionnaire_on_vae"), FieldPanel("questionnaire_on_training")]
                ),
            ],
            heading=_("Règle de validation du bloc"),
        ),
        InlinePanel("assessments", label=_("Épreuves")),
    ]


class ActivityViewSet(FrenchLabelsMixin, ReadOnlyWhenLockedMixin, SnippetViewSet):
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    chooser_viewset_class = IdChooserViewSet
    model = Activity
    icon = "list-ul"
    menu_label = _("Activités")
    add_item_label = _("Ajouter une activité")
    new_item_title = _("Nouvelle")
    list_display = ["code", "title", "bloc"]
    filterset_class = ActivityFilterSet
    search_fields = ["code", "title"]
    panels = [
        FieldPanel("bloc"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("title"),
    ]


class CompetenceViewSet(FrenchLabelsMixin, ReadOnlyWhenLockedMixin, SnippetViewSet):
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    chooser_viewset_class = IdChooserViewSet
    model = Competence
    icon = "tick-inverse"
    menu_label = _("Compétences")
    add_item_label = _("Ajouter une compétence")
    new_item_title = _("Nouvelle")
    list_display = ["code", "statement", "activity"]
    filterset_class = CompetenceFilterSet
    search_fields = ["code", "statement"]
    panels = [
        FieldPanel("activity"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("statement"),
        FieldPanel("preamble"),
        InlinePanel("criteria", label=_("Critères d'évaluation")),
    ]


class RegistrationViewSet(FrenchLabelsMixin, SnippetViewSet):
    """Editable whatever the version's status: these facts are not the référentiel's
    content (``referentiel.models.registration``)."""

    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    chooser_viewset_class = IdChooserViewSet
    model = CertificationRegistration
    icon = "tick-inverse"
    menu_label = _("Enregistrement RNCP")
    add_item_label = _("Saisir l'enregistrement d'une version")
    new_item_title = _("Nouvel")
    copy_view_enabled = False
    list_display = ["certification", "rncp_number", "decision_date", "signatory_name"]
    panels = [
        FieldPanel("certification"),
        FieldPanel("certifier_legal_name"),
        FieldRowPanel([FieldPanel("rncp_number"), FieldPanel("decision_date")]),
        FieldPanel("nsf_codes"),
        FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
        FieldPanel("issue_place"),
    ]


class ReferentielGroup(SnippetViewSetGroup):
    menu_label = _("Référentiel")
    menu_icon = "doc-full-inverse"
    menu_order = 200
    items = (
        CertificationViewSet,
        BlocViewSet,
        ActivityViewSet,
        CompetenceViewSet,
        RegistrationViewSet,
    )


register_snippet(ReferentielGroup)


@hooks.register("register_admin_urls")
def register_referentiel_admin_urls():
    return [
        path(
            "referentiel/versions/<id:pk>/publier/",
            views.PublishVersionView.as_view(),
            name="referentiel_publish",
        ),
        path(
            "referentiel/versions/<id:pk>/nouveau-brouillon/",
            views.NewDraftView.as_view(),
            name="referentiel_new_draft",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def certification_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Certification):
        return []
    buttons = []
    if snippet.is_editable and can_publish(user):
        buttons.append(
            Button(
                _("Publier cette version"),
                reverse("referentiel_publish", args=[snippet.pk]),
                icon_name="upload",
                priority=5,
            )
        )
    if can_create_draft(user):
        buttons.append(
            Button(
                _("Créer un brouillon à partir de cette version"),
                reverse("referentiel_new_draft", args=[snippet.pk]),
                icon_name="copy",
                priority=6,
            )
        )
    return buttons
