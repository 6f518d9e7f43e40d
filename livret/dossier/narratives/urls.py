"""Narratives of livret 2: /candidature/<candidacy_pk>/livret-2/recits/… (namespace ``livret``)."""

from django.urls import path

from livret.dossier.narratives import views as narrative_views

urlpatterns = [
    path("", narrative_views.narratives, name="narratives"),
    path("<id:activity_pk>/", narrative_views.narrative, name="narrative"),
    path(
        "<id:activity_pk>/enregistrement-automatique/",
        narrative_views.narrative_autosave,
        name="narrative_autosave",
    ),
    path(
        "<id:activity_pk>/versions/",
        narrative_views.narrative_history,
        name="narrative_history",
    ),
    path(
        "<id:activity_pk>/versions/<id:revision_pk>/restaurer/",
        narrative_views.narrative_restore,
        name="narrative_restore",
    ),
]
