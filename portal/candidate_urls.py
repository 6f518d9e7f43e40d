from django.urls import path

from portal import candidate_views as views

app_name = "candidacy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nouvelle/", views.start, name="start"),
    path("<id:pk>/", views.candidacy_detail, name="detail"),
    path("<id:pk>/abandon/", views.withdraw, name="withdraw"),
]
