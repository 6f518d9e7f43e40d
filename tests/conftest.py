import importlib
import io
import os

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from referentiel.models import Certification
from referentiel.site_setup import ensure_site_pages
from tests.database import load_referentiel
from tests.e2e import a11y
from tests.factories import UserFactory
from vae.enums import Role

# Benchmarks print figures and take time: only `make bench` collects them.
collect_ignore_glob = [] if os.environ.get("VAE_BENCH") else ["benchmarks/*"]


# -- the axe-core list of the browser tests (tests/e2e) -------------------------------------
# Here and not in tests/e2e/conftest.py: pytest-xdist's controller collects nothing, so it
# loads only this conftest; it merges the workers' shares and writes one list.


def pytest_sessionfinish(session):
    a11y.finish_session(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    a11y.worker_finished(node)


def pytest_terminal_summary(terminalreporter):
    line = a11y.summary(terminalreporter.config)
    if line:
        terminalreporter.write_line(line)


# The data migrations that seed rows the platform needs (not data transforms), with the
# model they fill. A transactional test (the browser tests, the PostgreSQL-only
# concurrency tests) flushes every table, and the PostgreSQL runs of CI have found these
# rows gone on a worker (the synonyms last stop, the survey waves this one): every database
# test starts with them, whatever ran before it on its worker.
SEEDING_MIGRATIONS = (
    ("search.migrations.0003_seed_synonyms", "vae_search.Synonym"),
    ("cohorts.migrations.0002_waves", "cohorts.SurveyWave"),
)


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """The seeding migrations run again (idempotently) when their rows are missing: one
    query each when they are there, which is nearly always."""
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        yield
        return
    transactional = "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    for module, label in SEEDING_MIGRATIONS:
        if not django_apps.get_model(label).objects.exists():
            importlib.import_module(module).seed(django_apps, None)
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages are keyed by rows (page and
    version ids, dates) that another test's rolled-back data may have reused."""
    cache.clear()
    yield


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


@pytest.fixture
def travel(monkeypatch):
    """Moves the platform's clock (``django.utils.timezone.now``) to a given moment."""

    def to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return to
