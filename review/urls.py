"""The evaluator's pages (``review`` namespace, under /evaluation/): the declaration, the
workspace, the dossier and its evidence pages, the grid and the consolidation."""

from django.urls import path

from review.views import consolidation, declaration, dossier, grid, workspace

app_name = "review"
urlpatterns = [
    path("affectations/<id:pk>/declaration/", declaration.declare, name="declare"),
    path("", workspace.workspace, name="workspace"),
    path("affectations/<id:pk>/dossier/", dossier.dossier, name="dossier"),
    path(
        "affectations/<id:pk>/pieces/<id:evidence_pk>/pages/<id:number>/",
        dossier.evidence_page,
        name="evidence_page",
    ),
    path("affectations/<id:pk>/passages/ajouter/", dossier.link_add, name="link_add"),
    path(
        "affectations/<id:pk>/passages/<id:link_pk>/supprimer/",
        dossier.link_delete,
        name="link_delete",
    ),
    path(
        "affectations/<id:pk>/liens-candidat/<id:link_pk>/avis/",
        dossier.candidate_link_verdict,
        name="candidate_link_verdict",
    ),
    path("affectations/<id:pk>/grille/", grid.grid, name="grid"),
    path("affectations/<id:pk>/grille/remettre/", grid.grid_submit, name="grid_submit"),
    path(
        "affectations/<id:pk>/consolidation/",
        consolidation.consolidation,
        name="consolidation",
    ),
]
