"""Project-level behaviour: the custom user, roles and settings. The demo command's tests
are in tests/demo_command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from vae.models import User

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_user_logs_in_with_a_case_insensitive_email():
    user = User.objects.create_user(email="Camille.Martin@Exemple.FR", password="s3cret-pass")
    assert user.email == "camille.martin@exemple.fr"
    assert "username" not in {field.name for field in User._meta.get_fields()}
    # django-axes needs the request to count failures.
    request = RequestFactory().post("/compte/connexion/")
    login = authenticate(request, username="CAMILLE.martin@exemple.fr", password="s3cret-pass")
    assert login == user
    assert authenticate(request, username="camille.martin@exemple.fr", password="wrong") is None


@pytest.mark.django_db
def test_user_requires_an_email():
    with pytest.raises(ValueError, match="adresse e-mail"):
        User.objects.create_user(email="", password="x")


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 30 + "une-clé-longue-et-aléatoire-pour-le-test-0123456789",
        ALLOWED_HOSTS="vae.exemple.fr",
        DATABASE_URL="sqlite:////tmp/vae-deploy-check.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _manage(
        "check", DJANGO_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="vae.exemple.fr"
    )
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini en production." in result.stderr


@pytest.mark.parametrize(
    "key",
    ["cle-de-49-caracteres-" + "x" * 28, "a" * 60],
    ids=["49 characters", "one character repeated"],
)
def test_production_mode_refuses_a_short_or_simple_secret_key(key):
    result = _manage("check", DJANGO_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="vae.fr")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"SECRET_KEY est trop courte ou trop simple ({len(key)} caractères)" in result.stderr


def test_settings_defaults_are_french_and_sqlite():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.AUTH_USER_MODEL == "vae.User"
