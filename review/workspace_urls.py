"""The evaluator's workspace and dossier pages (``review`` namespace, under /evaluation/)."""

from django.urls import path

from review import workspace_views as views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("affectations/<int:pk>/dossier/", views.dossier, name="dossier"),
    path(
        "affectations/<int:pk>/pieces/<int:evidence_pk>/pages/<int:number>/",
        views.evidence_page,
        name="evidence_page",
    ),
    path("affectations/<int:pk>/passages/ajouter/", views.link_add, name="link_add"),
    path(
        "affectations/<int:pk>/passages/<int:link_pk>/supprimer/",
        views.link_delete,
        name="link_delete",
    ),
    path(
        "affectations/<int:pk>/liens-candidat/<int:link_pk>/avis/",
        views.candidate_link_verdict,
        name="candidate_link_verdict",
    ),
]
