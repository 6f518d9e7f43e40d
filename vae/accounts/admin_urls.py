from django.urls import path

from vae.accounts import admin_views

app_name = "account_security"
urlpatterns = [
    path("", admin_views.AccountSecurityView.as_view(), name="index"),
    path("debloquer/", admin_views.unlock, name="unlock"),
    path("sessions/<id:pk>/terminer/", admin_views.end_session, name="end_session"),
    path(
        "utilisateurs/<id:pk>/double-authentification/reinitialiser/",
        admin_views.reset_second_factor,
        name="reset_second_factor",
    ),
]
