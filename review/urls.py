"""The evaluator's pages (``review`` namespace, under /evaluation/): the declaration, the
workspace, the dossier and its evidence pages, the grid and the consolidation."""

from django.urls import path

from review.views import consolidation, declaration, dossier, grid, workspace

app_name = "review"
urlpatterns = [
    path("affectations/<int:pk>/declaration/", declaration.declare, name="declare"),
    path("", workspace.workspace, name="workspace"),
    path("affectations/<int:pk>/dossier/", dossier.dossier, name="dossier"),
    path(
        "affectations/<int:pk>/pieces/<int:evidence_pk>/pages/<int:number>/",
        dossier.evidence_page,
        name="evidence_page",
    ),
    path("affectations/<int:pk>/passages/ajouter/", dossier.link_add, name="link_add"),
    path(
        "affectations/<int:pk>/passages/<int:link_pk>/supprimer/",
        dossier.link_delete,
        name="link_delete",
    ),
    path(
        "affectations/<int:pk>/liens-candidat/<int:link_pk>/avis/",
        dossier.candidate_link_verdict,
        name="candidate_link_verdict",
    ),
    path("affectations/<int:pk>/grille/", grid.grid, name="grid"),
    path("affectations/<int:pk>/grille/remettre/", grid.grid_submit, name="grid_submit"),
    path(
        "affectations/<int:pk>/consolidation/",
        consolidation.consolidation,
        name="consolidation",
    ),
]
