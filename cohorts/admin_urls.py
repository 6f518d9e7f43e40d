from django.urls import path

from cohorts import dashboard_views

app_name = "cohorts_admin"

urlpatterns = [
    # The process dashboard (cohorts-dashboard).
    path("tableau-de-bord/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("tableau-de-bord/pdf/", dashboard_views.DashboardPdfView.as_view(), name="dashboard_pdf"),
]
