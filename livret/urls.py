"""The livrets' pages, in one ``livret`` namespace, mounted under candidature/ by
config.urls: /candidature/42/livret-1/… (eligibility) and /candidature/42/livret-2/…
(dossier)."""

from django.urls import include, path

app_name = "livret"

urlpatterns = [
    path("<id:candidacy_pk>/livret-1/", include("livret.eligibility.urls")),
    path("<id:candidacy_pk>/livret-2/", include("livret.dossier.urls")),
]
