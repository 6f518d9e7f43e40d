from django.urls import path

from livret import export_views

# Included under /candidature/<candidacy_pk>/livret-2/export/ in the "livret" namespace.
urlpatterns = [
    path("", export_views.dossier_pdf, name="dossier_pdf"),
    path("telecharger/", export_views.dossier_pdf_download, name="dossier_pdf_download"),
]
