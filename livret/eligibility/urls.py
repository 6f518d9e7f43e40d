"""Livret 1: /candidature/<candidacy_pk>/livret-1/… (namespace ``livret``)."""

from django.urls import path

from livret.eligibility.views import items, sections, summary

urlpatterns = [
    path("", summary.livret1, name="livret1"),
    path("envoyer/", summary.submit, name="submit"),
    path("experiences/ajouter/", items.experience_add, name="experience_add"),
    path("experiences/<id:pk>/modifier/", items.experience_edit, name="experience_edit"),
    path("experiences/<id:pk>/supprimer/", items.experience_delete, name="experience_delete"),
    path("formations/ajouter/", items.training_add, name="training_add"),
    path("formations/<id:pk>/modifier/", items.training_edit, name="training_edit"),
    path("formations/<id:pk>/supprimer/", items.training_delete, name="training_delete"),
    # Last: « envoyer » would match a section slug too.
    path("<slug:slug>/", sections.section, name="section"),
]
