from django.urls import path

from certificates import admin_views

app_name = "certificates_admin"

urlpatterns = [
    path("", admin_views.CredentialListView.as_view(), name="list"),
    path("<id:pk>/", admin_views.CredentialView.as_view(), name="detail"),
    path(
        "candidatures/<id:candidacy_pk>/delivrer/",
        admin_views.IssueView.as_view(),
        name="issue",
    ),
]
