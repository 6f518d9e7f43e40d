"""Two-factor authentication of staff accounts: required of whoever reaches the back
office, required of evaluators and jury members by setting and offered to them meanwhile;
enrolment (QR code, key, a code to confirm, recovery codes shown once), the code page at
each login, recovery codes working once, the back office's reset.

Staff are logged in with ``client.force_login`` here on purpose: the subject is what
happens before the second factor (elsewhere, ``tests.accounts.log_in`` verifies it)."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts import current_code, enrolled_device, log_in, verify_second_factor
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-test"
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
CODE_PATTERN = re.compile(r"<li><code>([a-z2-7]{8})</code></li>")


def text(response) -> str:
    return unescape(response.content.decode())


def login(client, user, **extra):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, **extra
    )


def enrol(client, user) -> list[str]:
    """Enrol through the pages, as a person would; returns the recovery codes shown."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": current_code(device)})
    assert response.status_code == 200
    return CODE_PATTERN.findall(response.content.decode())


# Who must, who may


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/candidatures/",
        reverse("account_security:index"),
        reverse("accounts:home"),
        reverse("accounts:profile"),
        reverse("review:workspace"),
        reverse("jury:home"),
    ],
)
def test_a_certifier_without_the_second_factor_reaches_no_page(client, path):
    certifier = UserFactory(role=Role.CERTIFIER)
    for role in (Role.EVALUATOR, Role.JURY_MEMBER):
        certifier.groups.add(*UserFactory(role=role).groups.all())
    client.force_login(certifier)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP}?next=")
    # With an application enrolled, the code page instead.
    enrolled_device(certifier)
    assert client.get(path)["Location"].startswith(f"{VERIFY}?next=")
    # A POST is stopped too, without a `next` to replay it.
    assert client.post(path)["Location"] == VERIFY


def test_a_superuser_needs_the_second_factor_too(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_wagtail_login_form_leads_to_the_second_factor_as_well(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    enrolled_device(certifier)
    client.post(reverse("wagtailadmin_login"), {"username": certifier.email, "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith(VERIFY)


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER])
def test_evaluators_and_jury_members_are_offered_it_by_default(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 302
    assert not home["Location"].startswith(SETUP)
    page = text(client.get(reverse("accounts:profile")))
    assert "Activer la double authentification" in page
    assert client.get(SETUP).status_code == 200


@pytest.mark.parametrize(
    ("role", "path"),
    [(Role.EVALUATOR, reverse("review:workspace")), (Role.JURY_MEMBER, reverse("jury:home"))],
)
def test_the_setting_makes_it_required_of_evaluators_and_jury_members(client, settings, role, path):
    settings.VAE_OTP_REQUIRED_ROLES = ["certificateur", "evaluateur", "jury"]
    client.force_login(UserFactory(role=role))
    assert client.get(path)["Location"].startswith(f"{SETUP}?next=")


def test_an_evaluator_who_enrolled_verifies_at_each_login(client):
    evaluator = UserFactory(role=Role.EVALUATOR)
    device = enrolled_device(evaluator)
    login(client, evaluator)
    workspace = reverse("review:workspace")
    assert client.get(workspace)["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get(workspace).status_code == 200


def test_candidates_are_not_offered_it(client):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    assert client.get(SETUP).status_code == 403
    assert "double authentification" not in text(client.get(reverse("accounts:profile")))


def test_the_pages_need_a_login(client):
    for url in (SETUP, VERIFY):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("accounts:recovery_codes"))
    assert response["Location"].startswith(reverse("accounts:login"))


# Enrolment


def test_enrolment_shows_a_qr_code_and_a_key_and_needs_a_code(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    login(client, certifier)
    response = client.get(client.get("/admin/")["Location"])
    page = text(response)
    assert "<svg" in page
    assert "Code QR à scanner" in page
    device = TOTPDevice.objects.get(user=certifier, confirmed=False)
    key = re.search(r'<code class="manual-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(key.replace(" ", "")) == 32
    # The same key on a second visit: the code scanned a minute ago stays right.
    assert key in text(client.get(SETUP))
    assert TOTPDevice.objects.filter(user=certifier).count() == 1

    response = client.post(SETUP, {"code": "000000", "next": "/admin/"})
    assert response.status_code == 200
    assert "Ce code ne correspond pas." in text(response)
    assert "/admin/" in text(response)
    assert client.get("/admin/")["Location"].startswith(SETUP)

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above slowed the next try
    device.save()
    response = client.post(SETUP, {"code": current_code(device), "next": "/admin/"})
    page = text(response)
    codes = CODE_PATTERN.findall(response.content.decode())
    assert len(codes) == 10 == len(set(codes))
    assert "ils ne seront plus jamais affichés" in page
    assert 'href="/admin/"' in page
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_an_empty_or_odd_code_is_refused_in_french(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    client.force_login(certifier)
    assert "Saisissez le code affiché par votre application." in text(client.post(SETUP, {}))
    assert "Ce code ne correspond pas." in text(client.post(SETUP, {"code": "²²²²²²"}))


def test_enrolling_again_needs_the_current_factor_first(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    enrolled_device(certifier)
    client.force_login(certifier)
    assert client.get(SETUP)["Location"] == VERIFY


# The code page at each login; recovery codes


def test_login_asks_for_the_code_and_refuses_a_wrong_one(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    device = enrolled_device(certifier)
    login(client, certifier)
    response = client.post(VERIFY, {"code": "123456", "next": "/admin/"})
    assert "Ce code n'est pas valable." in text(response)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Verified already: the code page sends on.
    assert client.get(VERIFY)["Location"] == reverse("accounts:home")


def test_the_code_page_never_sends_to_another_site(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    device = enrolled_device(certifier)
    login(client, certifier)
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:home")


def test_a_recovery_code_works_once(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    client.force_login(certifier)
    codes = enrol(client, certifier)
    client.post(reverse("accounts:logout"))

    login(client, certifier)
    response = client.post(VERIFY, {"code": f" {codes[0].upper()} ", "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=certifier).count() == 9
    client.post(reverse("accounts:logout"))

    login(client, certifier)
    response = client.post(VERIFY, {"code": codes[0]})
    assert "Ce code n'est pas valable." in text(response)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_new_recovery_codes_replace_the_old_ones(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    client.force_login(certifier)
    old = enrol(client, certifier)
    response = client.post(reverse("accounts:recovery_codes"))
    new = CODE_PATTERN.findall(response.content.decode())
    assert len(new) == 10
    assert not set(old) & set(new)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert client.get(reverse("accounts:recovery_codes")).status_code == 405


def test_new_recovery_codes_need_a_verified_session(client):
    evaluator = UserFactory(role=Role.EVALUATOR)
    client.force_login(evaluator)
    assert client.post(reverse("accounts:recovery_codes")).status_code == 403


# The back office resets a lost second factor


def test_a_certifier_resets_a_lost_second_factor(client):
    evaluator = UserFactory(email="helene@exemple.fr", role=Role.EVALUATOR)
    enrolled_device(evaluator)
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    page = text(client.get(reverse("account_security:index"), {"q": "helene"}))
    assert "helene@exemple.fr" in page
    assert "activée" in page
    url = reverse("account_security:reset_second_factor", args=[evaluator.pk])
    response = client.post(url, follow=True)
    assert "La double authentification de helene@exemple.fr est réinitialisée" in text(response)
    assert not TOTPDevice.objects.filter(user=evaluator).exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_only_certifiers_reset_a_second_factor(client, role):
    victim = UserFactory(role=Role.CERTIFIER)
    enrolled_device(victim)
    log_in(client, UserFactory(role=role))
    url = reverse("account_security:reset_second_factor", args=[victim.pk])
    assert client.post(url).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=victim).exists()


def test_an_unverified_certifier_cannot_reset_anything(client):
    victim = UserFactory(role=Role.EVALUATOR)
    enrolled_device(victim)
    client.force_login(UserFactory(role=Role.CERTIFIER))
    url = reverse("account_security:reset_second_factor", args=[victim.pk])
    assert client.post(url)["Location"] == SETUP
    assert TOTPDevice.objects.filter(user=victim).exists()


def test_reset_of_an_unknown_account_is_a_404(client):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    url = reverse("account_security:reset_second_factor", args=[999999])
    assert client.post(url).status_code == 404


def test_verify_second_factor_helper_marks_the_session(client):
    certifier = UserFactory(role=Role.CERTIFIER)
    client.force_login(certifier)
    verify_second_factor(client, certifier)
    assert client.get("/admin/").status_code == 200
