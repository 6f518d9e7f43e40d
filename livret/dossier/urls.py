"""Livret 2 overview, sworn statement and submission (in the ``livret`` namespace)."""

from django.urls import path

from livret import dossier_views

urlpatterns = [
    path("", dossier_views.overview, name="dossier"),
    path("signer/", dossier_views.sign, name="dossier_sign"),
    path("deposer/", dossier_views.submit, name="dossier_submit"),
]
