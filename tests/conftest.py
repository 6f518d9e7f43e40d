import io

import pytest
from django.core.management import call_command

from referentiel.management.commands.load_referentiel import DEFAULT_FILE
from referentiel.models import Certification
from referentiel.services import load_referentiel_text


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
