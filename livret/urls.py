from django.urls import include, path

from livret import views

app_name = "livret"

# Mounted under candidature/ by config.urls: /candidature/42/livret-1/...
urlpatterns = [
    path("<int:candidacy_pk>/livret-1/", views.livret1, name="livret1"),
    path("<int:candidacy_pk>/livret-1/envoyer/", views.submit, name="submit"),
    path(
        "<int:candidacy_pk>/livret-1/experiences/ajouter/",
        views.experience_add,
        name="experience_add",
    ),
    path(
        "<int:candidacy_pk>/livret-1/experiences/<int:pk>/modifier/",
        views.experience_edit,
        name="experience_edit",
    ),
    path(
        "<int:candidacy_pk>/livret-1/experiences/<int:pk>/supprimer/",
        views.experience_delete,
        name="experience_delete",
    ),
    path(
        "<int:candidacy_pk>/livret-1/formations/ajouter/",
        views.training_add,
        name="training_add",
    ),
    path(
        "<int:candidacy_pk>/livret-1/formations/<int:pk>/modifier/",
        views.training_edit,
        name="training_edit",
    ),
    path(
        "<int:candidacy_pk>/livret-1/formations/<int:pk>/supprimer/",
        views.training_delete,
        name="training_delete",
    ),
    path("<int:candidacy_pk>/livret-1/<slug:slug>/", views.section, name="section"),
    # Livret 2: each part has its own URL module, all in this "livret" namespace.
    path("<int:candidacy_pk>/livret-2/", include("livret.dossier_urls")),
    path("<int:candidacy_pk>/livret-2/recits/", include("livret.narrative_urls")),
    path("<int:candidacy_pk>/livret-2/pieces/", include("livret.evidence_urls")),
    path("<int:candidacy_pk>/livret-2/liens/", include("livret.link_urls")),
    path("<int:candidacy_pk>/livret-2/export/", include("livret.export_urls")),
]
