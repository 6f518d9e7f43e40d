import io
import os

import pytest
from django.core.management import call_command

from referentiel.models import Certification
from referentiel.site_setup import ensure_site_pages
from tests.database import load_referentiel
from tests.factories import UserFactory
from vae.enums import Role

# Benchmarks print figures and take time: only `make bench` collects them.
collect_ignore_glob = [] if os.environ.get("VAE_BENCH") else ["benchmarks/*"]


@pytest.fixture
def referentiel(db) -> Certification:
    """The CQP référentiel from the data file, loaded and published."""
    return load_referentiel()


@pytest.fixture
def site_pages(db, referentiel):
    return ensure_site_pages()


@pytest.fixture
def demo(db, referentiel):
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def certifier(db):
    """A certifier (staff), not logged in."""
    return UserFactory(role=Role.CERTIFIER)
