"""Evidence pages, under /candidature/<candidacy_pk>/livret-2/pieces/ (``livret`` namespace)."""

from django.urls import path

from livret.dossier.evidence import views

urlpatterns = [
    path("", views.evidence_list, name="evidence_list"),
    path("ajouter/", views.evidence_upload, name="evidence_upload"),
    path("etat/", views.evidence_status, name="evidence_status"),
    path("<id:pk>/fichier/", views.evidence_file, name="evidence_file"),
    path("<id:pk>/remplacer/", views.evidence_replace, name="evidence_replace"),
    path("<id:pk>/retirer/", views.evidence_withdraw, name="evidence_withdraw"),
    path("<id:pk>/supprimer/", views.evidence_delete, name="evidence_delete"),
]
