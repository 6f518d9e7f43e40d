"""The jury members' pages, and the candidate's convocation (``jury`` namespace, under
/jury/)."""

from django.urls import path

from jury import deliberation_views, views

app_name = "jury"
urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<id:pk>/", views.session_agenda, name="session"),
    path("passages/<id:pk>/declaration/", views.declare, name="declare"),
    path("passages/<id:pk>/issue/", views.slot_outcome, name="outcome"),
    path("passages/<id:pk>/dossier/", views.candidate_file, name="candidate_file"),
    path(
        "passages/<id:pk>/deliberation/",
        deliberation_views.deliberation_page,
        name="deliberation",
    ),
    path(
        "passages/<id:pk>/pieces/<id:evidence_pk>/pages/<id:number>/",
        views.evidence_page,
        name="evidence_page",
    ),
    path(
        "passages/<id:pk>/dossier/blocs/<id:bloc_pk>/enregistrement-automatique/",
        views.bloc_note_autosave,
        name="bloc_note_autosave",
    ),
    path("convocations/<id:pk>/", views.convocation, name="convocation"),
    path("convocations/<id:pk>/pdf/", views.convocation_pdf, name="convocation_pdf"),
    path("convocations/<id:pk>/invitation.ics", views.convocation_ics, name="convocation_ics"),
]
