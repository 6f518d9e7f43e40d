from django.urls import path

from portal import admin_views

app_name = "candidacy_admin"
urlpatterns = [
    path("", admin_views.CandidacyListView.as_view(), name="list"),
    path("resultats/", admin_views.CandidacyListResultsView.as_view(), name="list_results"),
    path("<id:pk>/", admin_views.CandidacyDetailView.as_view(), name="detail"),
    path(
        "<id:pk>/decision/<slug:action>/",
        admin_views.CandidacyDecisionView.as_view(),
        name="decide",
    ),
]
