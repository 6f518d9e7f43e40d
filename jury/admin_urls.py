"""The jury in the Wagtail admin, mounted at /admin/jury/ (namespace jury_admin)."""

from django.urls import path

from jury import admin_views
from jury.enums import SessionTransition

app_name = "jury_admin"
urlpatterns = [
    path("sessions/", admin_views.SessionListView.as_view(), name="sessions"),
    path("sessions/nouvelle/", admin_views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<id:pk>/", admin_views.SessionDetailView.as_view(), name="session"),
    path("sessions/<id:pk>/composition/", admin_views.SessionComposeView.as_view(), name="compose"),
    path(
        "sessions/<id:pk>/candidatures/<id:candidacy_pk>/absence/",
        admin_views.AbsenceView.as_view(),
        name="absence",
    ),
    path(
        "sessions/<id:pk>/tenue/",
        admin_views.SessionStatusView.as_view(transition=SessionTransition.HOLD),
        name="hold",
    ),
    path(
        "sessions/<id:pk>/cloture/",
        admin_views.SessionStatusView.as_view(transition=SessionTransition.CLOSE),
        name="close",
    ),
    path("en-attente/", admin_views.WaitingView.as_view(), name="waiting"),
    path("candidatures/<id:pk>/convocation/", admin_views.ScheduleView.as_view(), name="schedule"),
    path("candidatures/<id:pk>/entretien/", admin_views.InterviewView.as_view(), name="interview"),
    path(
        "candidatures/<id:pk>/decision/rectifier/",
        admin_views.RectifyView.as_view(),
        name="rectify",
    ),
]
