from django.urls import path

from vae import admin_views

app_name = "candidacy_admin"
urlpatterns = [
    path("", admin_views.candidacy_list, name="list"),
    path("<int:pk>/", admin_views.candidacy_detail, name="detail"),
]
