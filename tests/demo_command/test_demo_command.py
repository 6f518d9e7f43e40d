"""``manage.py demo`` run in the test's body, on a database that holds the référentiel
alone: what it prints, and that production refuses it. Apart from tests/demo, whose tests
share one demo build for the package."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from demo.dossiers import IN_PROGRESS_EMAIL, SUBMITTED_EMAIL
from demo.people import DEMO_TOTP_KEY
from vae.models import Candidacy, User


def test_demo_command_reports_the_dossiers(referentiel):
    out = io.StringIO()

    call_command("demo", stdout=out)

    report = out.getvalue()
    assert re.search(rf"{SUBMITTED_EMAIL}\s+VAE-\d{{4}}-\d{{5}}\s+12 récit\(s\), 6 pièce", report)
    assert "déposé (dépôt n° 1)" in report
    assert re.search(rf"{IN_PROGRESS_EMAIL}.*3 récit\(s\), 3 pièce.*en cours, non signé", report)


def test_the_demo_prints_the_key(referentiel):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert DEMO_TOTP_KEY in out.getvalue()
    assert "manage.py demo_code" in out.getvalue()


def test_the_demo_refuses_production_and_writes_nothing(referentiel):
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("demo")
    assert not User.objects.exists()
    assert not Candidacy.objects.exists()
