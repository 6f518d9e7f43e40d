"""Staff sessions: they end with the browser and after a working day, candidates keep
theirs; each login is recorded, the certifier sees open sessions and ends them."""

from html import unescape
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts import log_in
from tests.factories import UserFactory
from vae.accounts.sessions import STAFF_LOGIN_KEY
from vae.enums import Role
from vae.models import UserSession

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-test"
SECURITY = reverse("account_security:index")


def text(response) -> str:
    return unescape(response.content.decode())


def login(client, user, **meta):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, **meta
    )


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER, Role.CERTIFIER])
def test_staff_sessions_end_with_the_browser_and_the_working_day(client, role):
    login(client, UserFactory(role=role))
    session = client.session
    assert session.get_expire_at_browser_close()
    assert session.get_expiry_age() == settings.VAE_STAFF_SESSION_MAX_AGE == 10 * 3600
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    stored = Session.objects.get(session_key=session.session_key)
    assert stored.expire_date <= timezone.now() + timezone.timedelta(hours=10, minutes=1)


def test_candidates_keep_their_two_weeks(client):
    login(client, UserFactory(role=Role.CANDIDATE))
    session = client.session
    assert not session.get_expire_at_browser_close()
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert STAFF_LOGIN_KEY not in session


def test_a_staff_session_ends_a_working_day_after_the_login_even_in_use(client):
    evaluator = UserFactory(role=Role.EVALUATOR)
    login(client, evaluator)
    workspace = reverse("review:workspace")
    assert client.get(workspace).status_code == 200
    session = client.session
    session[STAFF_LOGIN_KEY] -= settings.VAE_STAFF_SESSION_MAX_AGE + 1
    session.save()
    response = client.get(workspace, follow=True)
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': workspace})}"
    assert response.redirect_chain[0] == (login_url, 302)
    assert "Votre session a pris fin" in text(response)
    assert SESSION_KEY not in client.session
    assert not UserSession.objects.filter(user=evaluator).exists()


def test_each_login_is_recorded_and_each_logout_forgotten(client):
    user = UserFactory(role=Role.CANDIDATE)
    login(client, user, REMOTE_ADDR="192.0.2.8", HTTP_USER_AGENT="Firefox de test")
    record = UserSession.objects.get(user=user)
    assert record.session_key == client.session.session_key
    assert (record.ip_address, record.user_agent) == ("192.0.2.8", "Firefox de test")
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=user).exists()


def test_a_login_forgets_the_records_of_dead_sessions(client):
    user = UserFactory(role=Role.CANDIDATE)
    UserSession.objects.create(user=user, session_key="y" * 32)  # browser closed long ago
    login(client, user)
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_a_password_change_keeps_the_record_of_the_session(client):
    user = UserFactory(role=Role.CANDIDATE)
    login(client, user)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Claquette-Tournage-2025",
            "new_password2": "Claquette-Tournage-2025",
        },
    )
    assert UserSession.objects.get(user=user).session_key == client.session.session_key


def test_the_certifier_sees_open_sessions_and_ends_one(client):
    evaluator = UserFactory(email="helene@exemple.fr", role=Role.EVALUATOR)
    laptop, phone = Client(), Client()
    login(laptop, evaluator, HTTP_USER_AGENT="Portable")
    login(phone, evaluator, HTTP_USER_AGENT="Téléphone")
    workspace = reverse("review:workspace")
    assert laptop.get(workspace).status_code == phone.get(workspace).status_code == 200
    # A session that expired meanwhile is not listed.
    stale = UserSession.objects.create(user=evaluator, session_key="x" * 32)

    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = text(client.get(SECURITY, {"q": "helene"}))
    assert page.count("helene@exemple.fr") >= 2
    assert "Portable" in page and "Téléphone" in page
    assert f"sessions/{stale.pk}/" not in page

    record = UserSession.objects.get(user_agent="Portable")
    response = client.post(reverse("account_security:end_session", args=[record.pk]), follow=True)
    assert "La session de helene@exemple.fr est terminée" in text(response)
    assert laptop.get(workspace)["Location"].startswith(reverse("accounts:login"))
    assert phone.get(workspace).status_code == 200
    assert not UserSession.objects.filter(pk=stale.pk).exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_only_certifiers_end_sessions(client, role):
    victim = UserFactory(role=Role.CERTIFIER)
    other = Client()
    log_in(other, victim)
    record = UserSession.objects.get(user=victim)
    log_in(client, UserFactory(role=role))
    assert client.get(SECURITY).status_code in (302, 403)
    response = client.post(reverse("account_security:end_session", args=[record.pk]))
    assert response.status_code in (302, 403)
    assert other.get("/admin/").status_code == 200


def test_anonymous_visitors_end_nothing(client):
    victim = UserFactory(role=Role.EVALUATOR)
    other = Client()
    log_in(other, victim)
    record = UserSession.objects.get(user=victim)
    for url in (
        reverse("account_security:end_session", args=[record.pk]),
        reverse("account_security:reset_second_factor", args=[victim.pk]),
    ):
        assert client.post(url)["Location"].startswith(reverse("accounts:login"))
    assert UserSession.objects.filter(pk=record.pk).exists()


def test_ending_an_unknown_session_is_a_404_and_get_is_refused(client):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    assert client.post(reverse("account_security:end_session", args=[999999])).status_code == 404
    assert client.get(reverse("account_security:end_session", args=[1])).status_code == 405
