"""User accounts of the public site: sign-up and confirmation, login and its throttling,
password reset and change, profile and change of address, who reaches the admin."""

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django import forms
from django.contrib.auth import SESSION_KEY
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from tests.accounts import current_code, enrolled_device, log_in, verify_second_factor
from tests.factories import UserFactory
from vae.accounts import throttling
from vae.accounts.tokens import account_activation_token, encode_uid, make_email_change_token
from vae.enums import Role
from vae.models import User
from vae.roles import assign_role

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-test"
NEW_PASSWORD = "Claquette-Tournage-2025"
LINK = re.compile(r"https?://[^\s\"'<>]+")

SIGNUP_DATA = {
    "first_name": "Camille",
    "last_name": "Martin",
    "email": "camille.martin@exemple.fr",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "accept_privacy": "on",
}


def text(response) -> str:
    return unescape(response.content.decode())


def link_in(message, path_prefix: str) -> str:
    """The path of the link to ``path_prefix`` in the e-mail; it must be in both the
    text and the HTML part."""
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    paths = [urlsplit(url).path for url in LINK.findall(message.body)]
    matching = [path for path in paths if path.startswith(path_prefix)]
    assert matching, f"no link to {path_prefix} in {message.body!r}"
    assert matching[0] in unescape(html)
    return matching[0]


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def login(client, email, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def signup(client, capture, **changes):
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), {**SIGNUP_DATA, **changes})


# Sign-up and confirmation


def test_signup_creates_an_inactive_candidate_and_sends_a_confirmation_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = signup(
        client, django_capture_on_commit_callbacks, email=" Camille.Martin@Exemple.FR "
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "camille.martin@exemple.fr"
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    assert not user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert user.roles == {Role.CANDIDATE}
    assert user.privacy_accepted_at is not None  # proof of consent kept
    assert logged_in_user_id(client) is None

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["camille.martin@exemple.fr"]
    assert message.subject == "Confirmez votre adresse e-mail pour activer votre compte VAE"
    assert "Bonjour Camille" in message.body
    path = link_in(message, "/compte/inscription/confirmer/")

    response = client.get(path, follow=True)
    assert response.redirect_chain[-1] == (reverse("candidacy:dashboard"), 302)
    assert response.status_code == 200
    assert "Votre adresse e-mail est confirmée : votre compte est activé." in text(response)
    user.refresh_from_db()
    assert user.is_active
    assert logged_in_user_id(client) == str(user.pk)


def test_signup_done_page_says_to_check_the_mailbox(client):
    response = client.get(reverse("accounts:signup_done"))
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in text(response)


def test_signup_with_a_registered_address_looks_the_same_and_warns_its_owner(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="camille.martin@exemple.fr", first_name="Dominique")
    fresh = signup(client, django_capture_on_commit_callbacks, email="nouvelle@exemple.fr")
    mailoutbox.clear()

    response = signup(client, django_capture_on_commit_callbacks, email="CAMILLE.martin@exemple.fr")

    assert (response.status_code, response["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email="camille.martin@exemple.fr").count() == 1
    owner.refresh_from_db()
    assert owner.first_name == "Dominique"
    assert owner.check_password(PASSWORD)
    assert owner.is_active
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["camille.martin@exemple.fr"]
    assert message.subject == "Vous avez déjà un compte sur la plateforme de VAE"
    assert "un compte l'utilise déjà" in message.body
    assert link_in(message, reverse("accounts:login")) == reverse("accounts:login")
    assert link_in(message, reverse("accounts:password_reset"))
    assert "/compte/inscription/confirmer/" not in message.body


def test_signup_with_an_unconfirmed_address_sends_a_working_confirmation_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="camille.martin@exemple.fr", is_active=False, role=Role.CANDIDATE)
    response = signup(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    (message,) = mailoutbox
    assert "pas encore activé" in message.body
    path = link_in(message, "/compte/inscription/confirmer/")
    client.get(path)
    owner.refresh_from_db()
    assert owner.is_active


SIGNUP_ERRORS = [
    ({"first_name": ""}, "first_name", "Indiquez votre prénom."),
    ({"last_name": ""}, "last_name", "Indiquez votre nom."),
    ({"email": ""}, "email", "Indiquez votre adresse e-mail."),
    (
        {"email": "camille.martin@"},
        "email",
        "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.",
    ),
    (
        {"password2": "Autre-Chose-2025"},
        "password2",
        "Les deux mots de passe ne sont pas identiques.",
    ),
    (
        {"password1": "Court-1", "password2": "Court-1"},
        "password1",
        "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères.",
    ),
    (
        {"password1": "password123", "password2": "password123"},
        "password1",
        "Ce mot de passe est trop courant.",
    ),
    (
        {"password1": "81726354091", "password2": "81726354091"},
        "password1",
        "Ce mot de passe est entièrement numérique.",
    ),
    (
        {"password1": "camille.martin", "password2": "camille.martin"},
        "password1",
        "Le mot de passe est trop semblable au champ «\xa0adresse e-mail\xa0».",
    ),
    ({"password1": "", "password2": ""}, "password1", "Choisissez un mot de passe."),
    (
        {"accept_privacy": ""},
        "accept_privacy",
        "Pour créer un compte, acceptez la notice d'information sur les données personnelles.",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), SIGNUP_ERRORS)
def test_signup_refuses_bad_input_in_french_and_keeps_the_values(
    client, mailoutbox, django_capture_on_commit_callbacks, changes, field, message
):
    response = signup(client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert mailoutbox == []
    page = text(response)
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Erreur : Créer un compte" in page
    # In the summary, linked to the field, and next to the field, described by it.
    assert '<div class="error-summary" role="alert"' in page
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert f'href="#id_{field}"' in summary
    assert message in summary
    field_errors = page.split(f'id="id_{field}_error"')[1].split("</ul>")[0]
    assert message in field_errors
    control = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in control
    assert f"id_{field}_error" in re.search(r'aria-describedby="([^"]*)"', control).group(1)
    # Values kept, except the passwords.
    for name in ("first_name", "last_name", "email"):
        value = {**SIGNUP_DATA, **changes}[name]
        if value:
            assert re.search(rf'<input[^>]*name="{name}"[^>]*value="{re.escape(value)}"', page)
    for name in ("password1", "password2"):
        control = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "value=" not in control


def test_empty_signup_lists_every_missing_field(client):
    response = client.post(reverse("accounts:signup"), {})
    assert response.status_code == 200
    page = text(response)
    for message in [
        "Indiquez votre prénom.",
        "Indiquez votre nom.",
        "Indiquez votre adresse e-mail.",
        "Choisissez un mot de passe.",
        "Confirmez le mot de passe.",
        "acceptez la notice",
    ]:
        assert message in page
    assert not User.objects.exists()


def test_signup_form_is_labelled_with_autocomplete_tokens(client):
    page = text(client.get(reverse("accounts:signup")))
    for field, token in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("password1", "new-password"),
        ("password2", "new-password"),
    ]:
        assert f'<label class="field__label" for="id_{field}">' in page
        control = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', page).group(0)
        assert f'autocomplete="{token}"' in control
    assert '<label class="field__label" for="id_accept_privacy">' in page
    assert "Notice d'information sur vos données personnelles" in page
    assert "error-summary" not in page


def test_logged_in_user_is_sent_away_from_signup(client):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    response = client.get(reverse("accounts:signup"))
    assert response["Location"] == reverse("accounts:home")


def confirmation_path(user):
    token = account_activation_token.make_token(user)
    return reverse("accounts:confirm", kwargs={"uidb64": encode_uid(user), "token": token})


def test_confirmation_link_works_once(client):
    user = UserFactory(is_active=False, role=Role.CANDIDATE)
    path = confirmation_path(user)
    assert client.get(path)["Location"] == reverse("accounts:home")
    client.post(reverse("accounts:logout"))

    response = client.get(path)
    assert response.status_code == 400
    assert "Ce lien de confirmation n'est plus valable" in text(response)
    assert "a déjà servi" in text(response)
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize(
    "breakage", ["token", "uid", "foreign_uid", "expired"], ids=lambda value: value
)
def test_broken_confirmation_link_explains_and_offers_a_new_one(client, monkeypatch, breakage):
    user = UserFactory(is_active=False, role=Role.CANDIDATE)
    other = UserFactory(is_active=False)
    path = confirmation_path(user)
    uidb64, token = path.rstrip("/").split("/")[-2:]
    if breakage == "token":
        path = path.replace(token, token[:-3] + "abc")
    elif breakage == "uid":
        path = path.replace(uidb64, "zzzz")
    elif breakage == "foreign_uid":
        path = path.replace(uidb64, confirmation_path(other).rstrip("/").split("/")[-2])
    else:
        later = datetime.now() + timedelta(days=4)
        monkeypatch.setattr(account_activation_token, "_now", lambda: later)

    response = client.get(path)

    assert response.status_code == 400
    page = text(response)
    assert "Ce lien de confirmation n'est plus valable" in page
    assert f'action="{reverse("accounts:resend_confirmation")}"' in page
    assert "Envoyer un nouveau lien" in page
    user.refresh_from_db()
    other.refresh_from_db()
    assert not user.is_active and not other.is_active
    assert logged_in_user_id(client) is None


def test_resend_confirmation_only_mails_unconfirmed_accounts_and_always_says_the_same(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    pending = UserFactory(email="attente@exemple.fr", is_active=False, role=Role.CANDIDATE)
    UserFactory(email="actif@exemple.fr")
    url = reverse("accounts:resend_confirmation")
    locations = []
    for email in ("ATTENTE@exemple.fr", "actif@exemple.fr", "inconnu@exemple.fr"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": email})
        locations.append((response.status_code, response["Location"]))
    assert locations == [(302, reverse("accounts:signup_done"))] * 3
    (message,) = mailoutbox
    assert message.to == ["attente@exemple.fr"]
    client.get(link_in(message, "/compte/inscription/confirmer/"))
    pending.refresh_from_db()
    assert pending.is_active


def test_resend_confirmation_form_errors_are_in_french(client):
    response = client.post(reverse("accounts:resend_confirmation"), {"email": "pas une adresse"})
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in text(response)


# Login, logout, where users land


def test_login_form_is_labelled_in_french(client):
    page = text(client.get(reverse("accounts:login")))
    assert '<label class="field__label" for="id_username">Adresse e-mail</label>' in page
    assert '<label class="field__label" for="id_password">Mot de passe</label>' in page
    assert re.search(r'<input[^>]*autocomplete="email"[^>]*id="id_username"', page)
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*id="id_password"', page)


def test_wrong_password_gets_the_generic_error(client):
    user = UserFactory()
    for email, password in [(user.email, "mauvais"), ("inconnu@exemple.fr", PASSWORD)]:
        response = login(client, email, password)
        assert response.status_code == 200
        page = text(response)
        assert "Adresse e-mail ou mot de passe incorrect." in page
        assert "Confirmez d'abord" not in page
    assert logged_in_user_id(client) is None


def test_unconfirmed_account_with_right_password_is_told_to_confirm(client):
    user = UserFactory(is_active=False, role=Role.CANDIDATE)
    response = login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 200
    page = text(response)
    assert "Confirmez d'abord votre adresse e-mail" in page
    assert reverse("accounts:resend_confirmation") in page
    assert "Adresse e-mail ou mot de passe incorrect." not in page
    assert logged_in_user_id(client) is None

    page = text(login(client, user.email, "mauvais"))
    assert "Adresse e-mail ou mot de passe incorrect." in page
    assert "Confirmez d'abord" not in page


@pytest.mark.parametrize(
    ("role", "destination"),
    [
        (Role.CANDIDATE, "candidacy:dashboard"),
        (Role.EVALUATOR, "review:workspace"),
        (Role.JURY_MEMBER, "jury:home"),
        (Role.CERTIFIER, "wagtailadmin_home"),
    ],
)
def test_login_without_next_dispatches_by_role(client, role, destination):
    user = UserFactory(role=role)
    response = login(client, user.email.upper(), PASSWORD)
    assert response["Location"] == reverse("accounts:home")
    assert logged_in_user_id(client) == str(user.pk)
    if role == Role.CERTIFIER:
        # Their second step (tests/vae/test_two_factor.py) comes before any space.
        verify_second_factor(client, user)
    response = client.get(reverse("accounts:home"))
    assert response["Location"] == reverse(destination)


def test_staff_without_admin_access_is_not_sent_to_the_admin(client):
    # Wagtail would refuse them and send them back to the login page: a loop.
    log_in(client, UserFactory(is_staff=True))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    assert "<h1>Mon espace</h1>" in text(response)


def test_home_requires_login(client):
    response = client.get(reverse("accounts:home"))
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:home')}"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/compte/profil/", "/compte/profil/"),
        ("/candidature/?onglet=livret", "/candidature/?onglet=livret"),
        ("https://pirate.example/", "/compte/"),
        ("//pirate.example/compte/", "/compte/"),
        ("javascript:alert(1)", "/compte/"),
    ],
)
def test_login_honours_only_a_safe_next(client, next_url, expected):
    user = UserFactory(role=Role.CANDIDATE)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def test_login_page_keeps_next_in_the_form(client):
    page = text(client.get(reverse("accounts:login") + "?next=/compte/profil/"))
    assert '<input type="hidden" name="next" value="/compte/profil/">' in page


def test_logged_in_user_visiting_login_goes_to_their_space(client):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    response = client.get(reverse("accounts:login") + "?next=/admin/")
    assert response["Location"] == reverse("accounts:home")


def test_logout_needs_a_post(client):
    user = UserFactory(role=Role.CANDIDATE)
    log_in(client, user)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert logged_in_user_id(client) == str(user.pk)

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None
    assert "Vous êtes déconnecté." in text(client.get(reverse("accounts:login")))


def test_header_menu_follows_the_login_state(client):
    page = text(client.get(reverse("accounts:login")))
    assert f'<a href="{reverse("accounts:signup")}">Créer un compte</a>' in page
    assert f'<a href="{reverse("accounts:login")}">Se connecter</a>' in page
    assert "Se déconnecter" not in page
    assert reverse("wagtailadmin_login") not in page

    log_in(client, UserFactory(role=Role.CANDIDATE))
    page = text(client.get(reverse("accounts:profile")))
    assert f'<a href="{reverse("candidacy:dashboard")}">Ma candidature</a>' in page
    assert f'<a href="{reverse("accounts:profile")}" aria-current="page">Mon profil</a>' in page
    assert re.search(
        rf'<form class="logout-form" method="post" action="{reverse("accounts:logout")}">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        page,
    )
    assert "Créer un compte" not in page
    assert "Administration" not in page

    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = text(client.get(reverse("accounts:profile")))
    assert f'<a href="{reverse("wagtailadmin_home")}">Administration</a>' in page


# Throttling (django-axes)


def test_username_callable_normalises_every_source(rf):
    request = rf.post("/", {"username": " Camille@Exemple.FR "})
    assert throttling.username_from_request(request, None) == "camille@exemple.fr"
    assert throttling.username_from_request(request, {"email": "A@X.fr"}) == "a@x.fr"
    assert throttling.username_from_request(rf.get("/"), {"username": "B@x.FR"}) == "b@x.fr"
    assert throttling.username_from_request(rf.get("/"), {"username": None}) is None
    assert throttling.username_from_request(rf.get("/"), None) is None


def fail(client, email, times, url=None, **extra):
    responses = []
    for _ in range(times):
        responses.append(
            client.post(
                url or reverse("accounts:login"), {"username": email, "password": "faux"}, **extra
            )
        )
    return responses


def test_five_failures_lock_the_address_out_whatever_its_case(client):
    user = UserFactory(email="camille@exemple.fr", role=Role.CANDIDATE)
    spellings = [
        "camille@exemple.fr",
        "Camille@Exemple.fr",
        "CAMILLE@EXEMPLE.FR",
        " camille@exemple.fr",
    ]
    for response in [fail(client, email, 1)[0] for email in spellings]:
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in text(response)
    assert AccessAttempt.objects.get().failures_since_start == 4

    response = fail(client, "camille@EXEMPLE.fr", 1)[0]
    assert response.status_code == 429
    page = text(response)
    assert "Connexion temporairement bloquée" in page
    assert "patienter 15 minutes" in page
    assert reverse("accounts:password_reset") in page

    # Even the right password is refused now, without being checked.
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_successful_login_resets_the_failure_count(client):
    user = UserFactory(role=Role.CANDIDATE)
    fail(client, user.email, 4)
    assert login(client, user.email.upper(), PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post(reverse("accounts:logout"))
    assert [response.status_code for response in fail(client, user.email, 4)] == [200] * 4
    assert login(client, user.email, PASSWORD).status_code == 302


def test_wagtail_admin_login_is_throttled_too(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    url = reverse("wagtailadmin_login")
    responses = fail(client, certifier.email.upper(), 5, url=url)
    assert [response.status_code for response in responses] == [200] * 4 + [429]
    assert "Connexion temporairement bloquée" in text(responses[-1])
    response = client.post(url, {"username": certifier.email, "password": PASSWORD})
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


# Password reset and change


def test_password_reset_full_flow_lifts_a_lockout(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="camille@exemple.fr", role=Role.CANDIDATE)
    fail(client, user.email, 5)
    assert login(client, user.email, PASSWORD).status_code == 429

    page = text(client.get(reverse("accounts:password_reset")))
    assert '<label class="field__label" for="id_email">Adresse e-mail</label>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "Camille@Exemple.fr"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert "Vérifiez votre messagerie" in text(client.get(response["Location"]))
    (message,) = mailoutbox
    assert message.to == ["camille@exemple.fr"]
    assert message.subject == "Choisissez un nouveau mot de passe pour votre compte VAE"
    path = link_in(message, "/compte/mot-de-passe/reinitialiser/")

    response = client.get(path)
    assert response.status_code == 302  # Django hides the token behind a session redirect
    set_password_url = response["Location"]
    page = text(client.get(set_password_url))
    assert "Choisir un nouveau mot de passe" in page
    response = client.post(set_password_url, {"new_password1": "court", "new_password2": "court"})
    assert "Ce mot de passe est trop court" in text(response)
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "Votre mot de passe est modifié" in text(client.get(response["Location"]))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link is spent, and the lockout is lifted.
    response = client.get(path, follow=True)
    assert "Ce lien n'est plus valable" in text(response)
    assert login(client, user.email, NEW_PASSWORD)["Location"] == reverse("accounts:home")


def test_password_reset_mails_nobody_for_unknown_or_unconfirmed_addresses(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="attente@exemple.fr", is_active=False)
    for email in ("inconnu@exemple.fr", "attente@exemple.fr"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_change_for_a_logged_in_user(client):
    user = UserFactory(role=Role.CANDIDATE)
    url = reverse("accounts:password_change")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    log_in(client, user)
    page = text(client.get(url))
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*id="id_old_password"', page)
    assert re.search(r'<input[^>]*autocomplete="new-password"[^>]*id="id_new_password1"', page)

    response = client.post(
        url,
        {"old_password": "mauvais", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Le mot de passe actuel est incorrect." in text(response)
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still logged in: Django updates the session's hash.
    assert client.get(reverse("accounts:profile")).status_code == 200


# Profile and change of address


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"


def test_profile_shows_roles_in_french_and_edits_the_names(client):
    user = UserFactory(role=Role.EVALUATOR)
    assign_role(user, Role.JURY_MEMBER)
    log_in(client, user)
    page = text(client.get(reverse("accounts:profile")))
    assert "<dt>Rôles :</dt><dd>Membre du jury, Évaluateur</dd>" in page
    assert user.email in page

    response = client.post(reverse("accounts:profile"), {"first_name": "", "last_name": "Roux"})
    assert response.status_code == 200
    assert "Indiquez votre prénom." in text(response)
    assert 'value="Roux"' in text(response)

    response = client.post(
        reverse("accounts:profile"), {"first_name": "Sacha", "last_name": "Roux"}, follow=True
    )
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Votre profil est enregistré." in text(response)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Sacha", "Roux")


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", "Sacha<b>", 'Roux"onmouseover=x', "Roux & fils", "R2D2"],
)
def test_profile_names_refuse_markup_as_livret_1_does_and_keep_what_was_typed(client, name):
    user = UserFactory(role=Role.CANDIDATE, first_name="Alex", last_name="Durand")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"first_name": "Sacha", "last_name": name})
    assert response.status_code == 200
    page = text(response)
    assert "Utilisez uniquement des lettres (accents compris)" in page
    assert 'value="Sacha"' in page
    # What was typed is shown again, escaped.
    assert f'value="{escape(name)}"' in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alex", "Durand")


def test_profile_names_keep_accents_hyphens_and_apostrophes(client):
    user = UserFactory(role=Role.CANDIDATE)
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"first_name": "Anne-Sophie", "last_name": "N'Diaye"})
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Anne-Sophie", "N'Diaye")


def test_signup_names_refuse_markup(client):
    response = client.post(
        reverse("accounts:signup"),
        {"first_name": "<i>Léa</i>", "last_name": "Roux", "email": "lea@exemple.fr"},
    )
    assert response.status_code == 200
    assert "Utilisez uniquement des lettres (accents compris)" in text(response)
    assert not User.objects.filter(email="lea@exemple.fr").exists()


def test_wrong_current_passwords_are_counted_on_the_email_change(client, settings, mailoutbox):
    settings.VAE_REAUTH_FAILURES = 2
    user = UserFactory(email="ancienne@exemple.fr", role=Role.CANDIDATE)
    log_in(client, user)
    url = reverse("accounts:email_change")
    for _attempt in range(2):
        client.post(url, {"new_email": "nouvelle@exemple.fr", "current_password": "devine"})
    response = client.post(url, {"new_email": "nouvelle@exemple.fr", "current_password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de mots de passe erronés" in text(response)
    assert 'value="nouvelle@exemple.fr"' in text(response)  # nothing typed is lost
    assert mailoutbox == []


def test_email_change_is_applied_only_once_the_new_address_confirms(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="ancienne@exemple.fr", role=Role.CANDIDATE)
    log_in(client, user)
    url = reverse("accounts:email_change")

    for data, error in [
        (
            {"new_email": "nouvelle@exemple.fr", "current_password": "mauvais"},
            "Le mot de passe actuel est incorrect.",
        ),
        (
            {"new_email": "Ancienne@exemple.fr", "current_password": PASSWORD},
            "C'est déjà votre adresse e-mail actuelle.",
        ),
        (
            {"new_email": "nouvelle@", "current_password": PASSWORD},
            "Saisissez une adresse e-mail valide",
        ),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 200
        assert error in text(response)
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"new_email": "Nouvelle@Exemple.fr", "current_password": PASSWORD}, follow=True
        )
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Un lien de confirmation a été envoyé à nouvelle@exemple.fr." in text(response)
    user.refresh_from_db()
    assert user.email == "ancienne@exemple.fr"
    (message,) = mailoutbox
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject == "Confirmez votre nouvelle adresse e-mail"
    path = link_in(message, "/compte/profil/adresse-e-mail/")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path, follow=True)
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Votre adresse e-mail est désormais nouvelle@exemple.fr." in text(response)
    user.refresh_from_db()
    assert user.email == "nouvelle@exemple.fr"
    (notice,) = mailoutbox
    assert notice.to == ["ancienne@exemple.fr"]
    assert "est désormais nouvelle@exemple.fr" in notice.body

    response = client.get(path)
    assert response.status_code == 400
    assert "Ce lien a déjà servi" in text(response)

    client.post(reverse("accounts:logout"))
    assert login(client, "ancienne@exemple.fr", PASSWORD).status_code == 200
    assert login(client, "nouvelle@exemple.fr", PASSWORD)["Location"] == reverse("accounts:home")


def test_email_change_link_works_from_another_browser(client):
    user = UserFactory(email="ancienne@exemple.fr")
    path = reverse(
        "accounts:email_change_confirm", args=[make_email_change_token(user, "nouvelle@exemple.fr")]
    )
    response = client.get(path)
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.email == "nouvelle@exemple.fr"


def test_email_change_to_a_taken_address_reveals_nothing_and_changes_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="moi@exemple.fr")
    UserFactory(email="pris@exemple.fr")
    log_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:email_change"),
            {"new_email": "pris@exemple.fr", "current_password": PASSWORD},
        )
    assert response["Location"] == reverse("accounts:profile")
    (message,) = mailoutbox
    assert message.to == ["pris@exemple.fr"]
    assert "déjà celle d'un autre compte" in message.body
    assert "/compte/profil/adresse-e-mail/" not in message.body
    user.refresh_from_db()
    assert user.email == "moi@exemple.fr"


def test_email_change_link_refused_when_tampered_or_address_taken_meanwhile(client):
    user = UserFactory(email="moi@exemple.fr")
    token = make_email_change_token(user, "nouvelle@exemple.fr")
    response = client.get(reverse("accounts:email_change_confirm", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "Ce lien a expiré ou a été mal copié." in text(response)

    UserFactory(email="nouvelle@exemple.fr")
    response = client.get(reverse("accounts:email_change_confirm", args=[token]))
    assert response.status_code == 400
    assert "devenue celle d'un autre compte" in text(response)
    user.refresh_from_db()
    assert user.email == "moi@exemple.fr"


def test_email_change_link_expires(client, settings):
    user = UserFactory(email="moi@exemple.fr")
    token = make_email_change_token(user, "nouvelle@exemple.fr")
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(reverse("accounts:email_change_confirm", args=[token]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "moi@exemple.fr"


# The Wagtail admin


def test_a_candidate_opening_the_admin_lands_on_their_dashboard(client):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    response = client.get("/admin/", follow=True)
    assert [url for url, _ in response.redirect_chain] == [
        f"{reverse('accounts:login')}?next=/admin/",
        reverse("accounts:home"),
        reverse("candidacy:dashboard"),
    ]
    assert "Vous n’avez pas l’autorisation d’accéder à l’administration." in text(response)


def test_anonymous_admin_visitors_use_the_platform_login(client):
    response = client.get("/admin/")
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/"


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_non_staff_roles_are_refused_the_admin(client, role):
    log_in(client, UserFactory(role=role))
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:login"))


def test_certifier_reaches_the_admin_after_the_second_factor(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    device = enrolled_device(certifier)
    response = login(client, certifier.email, PASSWORD, follow=True)
    verify_url = reverse("accounts:two_factor_verify")
    # Their space is the admin, yet the code page comes first, wherever they go.
    assert response.redirect_chain[-1] == (f"{verify_url}?next=%2Fcompte%2F", 302)
    response = client.post(verify_url, {"code": current_code(device), "next": "/compte/"})
    assert response["Location"] == "/compte/"
    assert client.get("/compte/")["Location"] == reverse("wagtailadmin_home")
    assert client.get("/admin/").status_code == 200


# The reusable form includes


class EveryWidgetForm(forms.Form):
    title = forms.CharField(label="Intitulé", help_text="Tel qu'il figure au contrat.")
    summary = forms.CharField(label="Résumé", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Type", choices=[("cdd", "CDD"), ("cdi", "CDI")])
    level = forms.ChoiceField(
        label="Niveau", choices=[("1", "Débutant"), ("2", "Confirmé")], widget=forms.RadioSelect
    )
    tasks = forms.MultipleChoiceField(
        label="Tâches",
        choices=[("budget", "Budget"), ("planning", "Planning")],
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(label="Début", widget=forms.DateInput(attrs={"type": "date"}))
    certify = forms.BooleanField(label="Je certifie l'exactitude de ces informations.")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Le formulaire entier est refusé.")


FORM_TEMPLATE = (
    '{% include "includes/form_errors.html" with form=form %}'
    '{% for field in form %}{% include "includes/field.html" %}{% endfor %}'
)


def test_form_includes_render_every_kind_of_field_accessibly():
    html = Template(FORM_TEMPLATE).render(Context({"form": EveryWidgetForm(data={})}))
    page = unescape(html)
    summary = page.split("error-summary__list")[1].split("</ul>")[0]
    assert "<li>Le formulaire entier est refusé.</li>" in summary
    for anchor, label in [
        ("id_title", "Intitulé : "),
        ("id_kind", "Type : "),
        ("id_level_0", "Niveau : "),
        ("id_tasks_0", "Tâches : "),
        ("id_start", "Début : "),
        ("id_certify", ""),
    ]:
        assert f'<a href="#{anchor}">{label}Champ requis.</a>' in summary
    # The hidden field's error is listed, without a link to a field nobody can see.
    assert summary.rstrip().endswith("<li>Champ requis.</li>")
    assert re.search(r'id="id_level_0"', page) and re.search(r'id="id_tasks_0"', page)
    # Text-like controls: a label, the hint and errors referenced by aria-describedby.
    assert '<label class="field__label" for="id_title">Intitulé</label>' in page
    assert '<div class="field__hint" id="id_title_helptext">' in page
    title = re.search(r'<input[^>]*name="title"[^>]*>', page).group(0)
    assert 'aria-describedby="id_title_helptext id_title_error"' in title
    assert (
        '<label class="field__label" for="id_summary">Résumé '
        '<span class="field__optional">(facultatif)</span></label>' in page
    )
    assert re.search(r'<textarea[^>]*id="id_summary"', page)
    assert re.search(r'<select[^>]*aria-describedby="id_kind_error"[^>]*id="id_kind"', page)
    assert re.search(r'<input type="date"[^>]*aria-describedby="id_start_error"', page)
    # Choice lists: a fieldset described by its errors, with a legend.
    for name, legend in [("level", "Niveau"), ("tasks", "Tâches")]:
        assert f'<fieldset aria-describedby="id_{name}_error">' in page
        assert f'<legend class="field__label">{legend}</legend>' in page
    # A checkbox: label after the box.
    assert re.search(
        r'<input type="checkbox" name="certify"[^>]*id="id_certify">\s*'
        r'<label class="field__label" for="id_certify">',
        page,
    )
    assert 'type="hidden" name="token"' in page


def test_form_includes_render_nothing_extra_without_errors():
    html = Template(FORM_TEMPLATE).render(Context({"form": EveryWidgetForm()}))
    assert "error-summary" not in html
    assert "field__errors" not in html
    assert "aria-invalid" not in html
