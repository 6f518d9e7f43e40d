import io
import os

import pytest
from django.core.management import call_command

from referentiel.management.commands.load_referentiel import DEFAULT_FILE
from referentiel.models import Certification
from referentiel.services import load_referentiel_text
from tests.factories import UserFactory
from vae.enums import Role

# Benchmarks print figures and take time: only `make bench` collects them.
collect_ignore_glob = [] if os.environ.get("VAE_BENCH") else ["benchmarks/*"]


@pytest.fixture
def referentiel(db) -> Certification:
    """The CQP référentiel from the data file, loaded and published."""
    return load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8")).certification


@pytest.fixture
def site_pages(db, referentiel):
    from referentiel.site_setup import ensure_site_pages

    return ensure_site_pages()


@pytest.fixture
def demo(db, referentiel):
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def certifier(db):
    """A certifier (staff), not logged in."""
    return UserFactory(role=Role.CERTIFIER)
