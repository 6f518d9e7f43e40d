"""The candidate's links to compétences and no-evidence reasons (``livret`` namespace)."""

from django.urls import path

from livret.dossier.links import views as link_views

urlpatterns = [
    path("", link_views.link_list, name="links"),
    path("ajouter/", link_views.link_add, name="link_add"),
    path("<id:pk>/modifier/", link_views.link_edit, name="link_edit"),
    path("<id:pk>/supprimer/", link_views.link_delete, name="link_delete"),
    path(
        "sans-piece/<id:competence_pk>/",
        link_views.no_evidence,
        name="no_evidence",
    ),
]
