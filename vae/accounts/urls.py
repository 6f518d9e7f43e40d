from django.contrib.auth import views as auth_views
from django.urls import path

from vae.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/message-envoye/", views.signup_done, name="signup_done"),
    path("inscription/confirmer/<uidb64>/<token>/", views.confirm, name="confirm"),
    path("inscription/nouveau-lien/", views.resend_confirmation, name="resend_confirmation"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("double-authentification/", views.two_factor_verify, name="two_factor_verify"),
    path("double-authentification/activer/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "double-authentification/codes-de-secours/",
        views.recovery_codes,
        name="recovery_codes",
    ),
    path("profil/adresse-e-mail/", views.email_change, name="email_change"),
    path(
        "profil/adresse-e-mail/<str:token>/",
        views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/message-envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
