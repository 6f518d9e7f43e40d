"""Throttling that holds: an account locked from any address, an address locked across
accounts, the client address from a trusted proxy header only when one is configured,
the login page counting the attempts left, the e-mail requests limited per address and
per client, and the certifier's unlock in the back office."""

from html import unescape

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tests.accounts import log_in
from tests.factories import UserFactory
from vae.accounts import throttling
from vae.enums import Role

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-test"
PROXY = "10.0.0.1"
XFF = "HTTP_X_FORWARDED_FOR"


def text(response) -> str:
    return unescape(response.content.decode())


def login(client, email, password=PASSWORD, **meta):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **meta)


def fail(client, email, times=1, **meta):
    return [login(client, email, "faux", **meta) for _ in range(times)]


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HEADER = XFF
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


# The client's address


@pytest.mark.parametrize(
    ("header", "count", "meta", "expected"),
    [
        # Not configured: the header is the client's own writing, never believed.
        ("", 1, {XFF: "198.51.100.7"}, "203.0.113.5"),
        # One proxy of ours: the address it appended, whatever the client wrote before it.
        (XFF, 1, {XFF: "198.51.100.7"}, "198.51.100.7"),
        (XFF, 1, {XFF: "192.0.2.66, 198.51.100.7"}, "198.51.100.7"),
        # Two proxies: the second from the right.
        (XFF, 2, {XFF: "192.0.2.66, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"),
        # A header missing, malformed or too short: REMOTE_ADDR (strict, not spoofable).
        (XFF, 1, {}, "203.0.113.5"),
        (XFF, 1, {XFF: "pas-une-adresse"}, "203.0.113.5"),
        (XFF, 2, {XFF: "198.51.100.7"}, "203.0.113.5"),
        ("HTTP_X_REAL_IP", 1, {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_client_ip_believes_only_the_configured_proxy_header(
    rf, settings, header, count, meta, expected
):
    settings.TRUSTED_PROXY_HEADER = header
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", **meta)
    assert throttling.client_ip(request) == expected


# Per account, from any address


def test_an_account_is_locked_whatever_address_the_failures_come_from(client):
    user = UserFactory(role=Role.CANDIDATE)
    other = UserFactory(role=Role.CANDIDATE)
    for index in range(5):
        fail(client, user.email, REMOTE_ADDR=f"192.0.2.{index + 1}")
    # Even the right password, from yet another address, is refused without being checked.
    response = login(client, user.email, REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in text(response)
    assert SESSION_KEY not in client.session
    # Another account is not concerned.
    assert login(client, other.email, REMOTE_ADDR="192.0.2.1").status_code == 302


def test_the_login_page_says_how_many_attempts_are_left(client):
    user = UserFactory(role=Role.CANDIDATE)
    page = text(fail(client, user.email)[0])
    assert "Adresse e-mail ou mot de passe incorrect." in page
    assert "Encore 4 essais avant un blocage de la connexion pendant 15\xa0minutes." in page
    page = text(fail(client, user.email, 3)[-1])
    assert "Encore 1 essai avant un blocage" in page
    # An unknown address is counted alike: the count tells nothing about accounts.
    page = text(fail(client, "personne@inconnu.fr", REMOTE_ADDR="192.0.2.50")[0])
    assert "Encore 4 essais avant un blocage" in page


# Per address, across accounts


def test_one_address_trying_many_accounts_is_locked(client, settings):
    settings.VAE_IP_FAILURE_LIMIT = 6
    users = UserFactory.create_batch(7, role=Role.CANDIDATE)
    responses = [fail(client, user.email)[0] for user in users[:6]]
    # Each account failed once only: the address's sixth failure locks it.
    assert [response.status_code for response in responses] == [200] * 5 + [429]
    assert "Encore 1 essai" in text(responses[4])
    assert login(client, users[6].email).status_code == 429
    # The accounts themselves are not locked: from elsewhere, their owners log in.
    assert login(client, users[0].email, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_a_spoofed_forwarded_header_does_not_escape_the_address_limit(client, settings):
    settings.VAE_IP_FAILURE_LIMIT = 3
    users = UserFactory.create_batch(4, role=Role.CANDIDATE)
    for index, user in enumerate(users[:3]):
        fail(client, user.email, **{XFF: f"192.0.2.{index + 1}"})
    assert login(client, users[3].email, **{XFF: "192.0.2.99"}).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_the_trusted_proxy_each_client_has_its_own_limit(client, behind_proxy):
    behind_proxy.VAE_IP_FAILURE_LIMIT = 3
    users = UserFactory.create_batch(4, role=Role.CANDIDATE)
    attacker = {"REMOTE_ADDR": PROXY, XFF: "198.51.100.66"}
    for user in users[:3]:
        fail(client, user.email, **attacker)
    assert login(client, users[3].email, **attacker).status_code == 429
    # What the attacker writes before the proxy's entry changes nothing.
    spoofed = {"REMOTE_ADDR": PROXY, XFF: "192.0.2.1, 198.51.100.66"}
    assert login(client, users[3].email, **spoofed).status_code == 429
    # Everybody else behind the same proxy logs in.
    colleague = {"REMOTE_ADDR": PROXY, XFF: "198.51.100.77"}
    assert login(client, users[3].email, **colleague).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_behind_the_trusted_proxy_an_account_is_still_locked_from_everywhere(client, behind_proxy):
    user = UserFactory(role=Role.CANDIDATE)
    for index in range(5):
        fail(client, user.email, REMOTE_ADDR=PROXY, **{XFF: f"198.51.100.{index + 1}"})
    response = login(client, user.email, REMOTE_ADDR=PROXY, **{XFF: "198.51.100.100"})
    assert response.status_code == 429


# Requests that send an e-mail


def signup_data(email):
    return {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": email,
        "password1": "Claquette-Tournage-2025",
        "password2": "Claquette-Tournage-2025",
        "accept_privacy": "on",
    }


REQUESTS = {
    "signup": lambda email: (reverse("accounts:signup"), signup_data(email)),
    "password_reset": lambda email: (reverse("accounts:password_reset"), {"email": email}),
    "resend_confirmation": lambda email: (
        reverse("accounts:resend_confirmation"),
        {"email": email},
    ),
}
TOO_MANY = "Trop de demandes ont été envoyées pour cette adresse ou depuis votre connexion."


def send(client, kind, email, **meta):
    url, data = REQUESTS[kind](email)
    return client.post(url, data, **meta)


@pytest.mark.parametrize("kind", REQUESTS)
def test_e_mail_requests_are_limited_per_address(client, kind, django_capture_on_commit_callbacks):
    UserFactory(email="camille@exemple.fr", role=Role.CANDIDATE, is_active=kind != "signup")
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            send(client, kind, "Camille@exemple.fr", REMOTE_ADDR=f"192.0.2.{n}")
            for n in range(1, 5)
        ]
    assert [response.status_code for response in responses] == [302, 302, 302, 200]
    page = text(responses[-1])
    assert TOO_MANY in page
    assert "réessayez dans 1\xa0h" in page
    # What was typed is still in the form.
    assert 'value="Camille@exemple.fr"' in page
    sent = len(mail.outbox)
    assert sent == (3 if kind != "resend_confirmation" else 0)
    # The same answer for an address nobody registered: nothing to learn from the limit.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            send(client, kind, "inconnu@exemple.fr", REMOTE_ADDR="198.51.100.1")
        refused = send(client, kind, "inconnu@exemple.fr", REMOTE_ADDR="198.51.100.2")
    assert TOO_MANY in text(refused)


def test_the_e_mail_requests_share_one_budget_per_address(client):
    UserFactory(email="camille@exemple.fr", role=Role.CANDIDATE)
    for kind in ("password_reset", "resend_confirmation", "signup"):
        assert send(client, kind, "camille@exemple.fr").status_code == 302
    assert TOO_MANY in text(send(client, "password_reset", "camille@exemple.fr"))


@pytest.mark.parametrize("kind", REQUESTS)
def test_e_mail_requests_are_limited_per_client_address(client, settings, kind):
    settings.VAE_EMAIL_REQUESTS_PER_IP = 2
    statuses = [
        send(client, kind, f"personne{n}@exemple.fr", **{XFF: f"192.0.2.{n}"}).status_code
        for n in range(3)
    ]
    # The spoofed header is ignored: one client, three requests.
    assert statuses == [302, 302, 200]
    assert send(client, kind, "autre@exemple.fr", REMOTE_ADDR="198.51.100.3").status_code == 302


def test_e_mail_request_limits_per_client_behind_the_trusted_proxy(client, behind_proxy):
    behind_proxy.VAE_EMAIL_REQUESTS_PER_IP = 2
    one = {"REMOTE_ADDR": PROXY, XFF: "198.51.100.1"}
    two = {"REMOTE_ADDR": PROXY, XFF: "198.51.100.2"}
    assert send(client, "password_reset", "a@exemple.fr", **one).status_code == 302
    assert send(client, "password_reset", "b@exemple.fr", **one).status_code == 302
    assert send(client, "password_reset", "c@exemple.fr", **one).status_code == 200
    assert send(client, "password_reset", "c@exemple.fr", **two).status_code == 302


# The certifier unlocks an account from the back office

SECURITY = "account_security:index"


def test_a_certifier_sees_and_lifts_a_lockout(client):
    user = UserFactory(email="camille@exemple.fr", role=Role.CANDIDATE)
    fail(client, user.email, 5, REMOTE_ADDR="192.0.2.1")
    assert login(client, user.email).status_code == 429

    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    page = text(client.get(reverse(SECURITY)))
    assert "camille@exemple.fr" in page
    response = client.post(
        reverse("account_security:unlock"), {"address": "Camille@Exemple.fr"}, follow=True
    )
    assert "La connexion de camille@exemple.fr est débloquée." in text(response)
    assert "Aucune connexion n'est bloquée en ce moment." in text(response)
    client.post(reverse("accounts:logout"))
    assert login(client, user.email).status_code == 302


def test_unlock_without_an_address_explains(client):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    response = client.post(reverse("account_security:unlock"), {"address": " "}, follow=True)
    assert "Aucune adresse à débloquer n'a été indiquée." in text(response)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_only_certifiers_unlock(client, role):
    user = UserFactory(email="camille@exemple.fr", role=Role.CANDIDATE)
    fail(client, user.email, 5)
    log_in(client, UserFactory(role=role))
    assert client.get(reverse(SECURITY)).status_code in (302, 403)
    response = client.post(reverse("account_security:unlock"), {"address": user.email})
    assert response.status_code in (302, 403)
    assert throttling.locked_accounts().count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (reverse(SECURITY), reverse("account_security:unlock")):
        response = client.post(url) if url.endswith("debloquer/") else client.get(url)
        assert response["Location"].startswith(reverse("accounts:login"))
