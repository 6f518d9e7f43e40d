from django.urls import path

from vae import views

app_name = "candidacy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.dashboard, name="detail"),
]
