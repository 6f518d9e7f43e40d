"""The jury in the Wagtail admin, mounted at /admin/jury/ (namespace jury_admin)."""

from django.urls import path

from jury import admin_views

app_name = "jury_admin"
urlpatterns = [
    path("sessions/", admin_views.SessionListView.as_view(), name="sessions"),
    path("sessions/nouvelle/", admin_views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<id:pk>/", admin_views.SessionDetailView.as_view(), name="session"),
    path("sessions/<id:pk>/composition/", admin_views.SessionComposeView.as_view(), name="compose"),
    path("en-attente/", admin_views.WaitingView.as_view(), name="waiting"),
    path("candidatures/<id:pk>/convocation/", admin_views.ScheduleView.as_view(), name="schedule"),
]
