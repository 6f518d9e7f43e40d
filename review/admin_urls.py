"""The review in the Wagtail admin, mounted at /admin/evaluation/ (namespace review_admin)."""

from django.urls import path

from review.views import admin

app_name = "review_admin"
urlpatterns = [
    path("accord/", admin.AgreementView.as_view(), name="agreement"),
    path("<id:pk>/", admin.PanelView.as_view(), name="panel"),
    path("<id:pk>/appreciations/", admin.RatingsView.as_view(), name="ratings"),
    path("<id:pk>/grille.pdf", admin.GridPdfView.as_view(), name="grid_pdf"),
]
