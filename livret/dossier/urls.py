"""Livret 2: /candidature/<candidacy_pk>/livret-2/… (namespace ``livret``).

The overview, the signature, the submission and the PDF export here; narratives, evidence
and links have their own URL modules.
"""

from django.urls import include, path

from livret.dossier import views

urlpatterns = [
    path("", views.overview, name="dossier"),
    path("signer/", views.sign, name="dossier_sign"),
    path("deposer/", views.submit, name="dossier_submit"),
    path("recits/", include("livret.dossier.narratives.urls")),
    path("pieces/", include("livret.dossier.evidence.urls")),
    path("liens/", include("livret.dossier.links.urls")),
    path("export/", views.dossier_pdf, name="dossier_pdf"),
    path("export/telecharger/", views.dossier_pdf_download, name="dossier_pdf_download"),
]
