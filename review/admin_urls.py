"""The review in the Wagtail admin, mounted at /admin/evaluation/ (namespace review_admin)."""

from django.urls import path

from review import admin_views

app_name = "review_admin"
urlpatterns = [
    path("accord/", admin_views.AgreementView.as_view(), name="agreement"),
    path("<int:pk>/", admin_views.PanelView.as_view(), name="panel"),
    path("<int:pk>/appreciations/", admin_views.RatingsView.as_view(), name="ratings"),
    path("<int:pk>/grille.pdf", admin_views.GridPdfView.as_view(), name="grid_pdf"),
]
