from django.urls import path

from cohorts import admin_views, dashboard_views

app_name = "cohorts_admin"

urlpatterns = [
    # The promotions and their insertion tables.
    path("promotions/", admin_views.PromotionListView.as_view(), name="promotions"),
    path("promotions/<id:year>/", admin_views.PromotionView.as_view(), name="promotion"),
    path(
        "promotions/export/<str:name>/",
        admin_views.ExportView.as_view(),
        name="promotions_export",
    ),
    # The follow-up surveys and where each stands.
    path("enquetes/", admin_views.SurveyListView.as_view(), name="surveys"),
    # The process dashboard.
    path("tableau-de-bord/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path(
        "tableau-de-bord/graphiques/<slug:name>.svg",
        dashboard_views.DashboardChartView.as_view(),
        name="dashboard_chart",
    ),
    path("tableau-de-bord/pdf/", dashboard_views.DashboardPdfView.as_view(), name="dashboard_pdf"),
]
