"""``manage.py demo`` refuses production and writes nothing: on a database that holds the
référentiel alone, apart from test_demo_command's module, which shares its runs."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from vae.models import Candidacy, User


def test_the_demo_refuses_production_and_writes_nothing(referentiel):
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("demo")
    assert not User.objects.exists()
    assert not Candidacy.objects.exists()
