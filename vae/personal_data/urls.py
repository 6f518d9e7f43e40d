"""The person's own data, under /compte/mes-donnees/ (namespace ``personal_data``)."""

from django.urls import path

from vae.personal_data import views

app_name = "personal_data"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("archive/", views.my_data_archive, name="archive"),
]
