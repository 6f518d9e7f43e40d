"""The demo certifier's second factor: a public key, printed, and its current code on
demand, so that the demo stays usable without a phone."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from vae.accounts.two_factor import current_code
from vae.models import User

CERTIFIER = "certificateur@demo.vae.local"


def test_the_demo_certifier_logs_in_with_the_printed_code(demo, client):
    certifier = User.objects.get(email=CERTIFIER)
    device = certifier.totpdevice_set.get(confirmed=True)
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    assert f"{CERTIFIER} : {current_code(device)}" in out.getvalue()

    client.post(
        reverse("accounts:login"), {"username": CERTIFIER, "password": "certificateur-demo"}
    )
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor_verify"))
    code = out.getvalue().split(f"{CERTIFIER} : ")[1][:6]
    client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_code_refuses_production():
    out = io.StringIO()
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("demo_code", stdout=out)
    assert out.getvalue() == ""
