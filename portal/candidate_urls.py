from django.urls import path

from portal import candidate_views as views

app_name = "candidacy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nouvelle/", views.start, name="start"),
    path("<int:pk>/", views.candidacy_detail, name="detail"),
    path("<int:pk>/abandon/", views.withdraw, name="withdraw"),
]
