"""Generated documents: /documents/<pk>/… (namespace ``documents``)."""

from django.urls import path

from vae.documents import views

app_name = "documents"

urlpatterns = [
    path("<id:pk>/", views.document_download, name="download"),
    path("<id:pk>/etat/", views.document_status, name="status"),
]
