import os

import pytest
from django.core.cache import cache, caches
from django.utils import timezone
from xdist.scheduler import LoadFileScheduling

from cohorts.caching import SHARED
from referentiel.models import Certification
from referentiel.site_setup import ensure_site_pages
from search import indexing
from tests.database import ensure_seeded_rows, load_referentiel
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


# -- pytest-xdist: the demo's tests go to one worker ----------------------------------------
# tests/demo builds the demo once for the package (tests/demo/conftest.py). With
# ``--dist loadfile`` each file is a unit of work, handed out biggest first: the package's
# files went to both workers, between other packages' files, and each return to the package
# built the demo again (20 to 30 s). The whole package is one unit: one build a run.
ONE_UNIT_PACKAGES = ("tests/demo/",)


class PackageAwareFileScheduling(LoadFileScheduling):
    def _split_scope(self, nodeid):
        package = next((p for p in ONE_UNIT_PACKAGES if nodeid.startswith(p)), None)
        return package or super()._split_scope(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") == "loadfile":
        return PackageAwareFileScheduling(config, log)
    return None  # xdist's own scheduler for the other modes


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """Every database test starts with the rows the seeding migrations write, whatever
    ran before it on its worker (see ``tests.database.ensure_seeded_rows``)."""
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_seeded_rows()
    # The shared cache is a table: a rolled-back test leaves nothing in it, but a
    # transactional one's rows outlive its flush (the table is no model's).
    caches[SHARED].clear()
    yield
    if transactional:
        # Nor is the search index's full-text table (FTS5 on SQLite): its rows would
        # outlive their entries, and a later search that reads no entry row (staff's
        # ranked page) would find them.
        indexing.backend().clear()


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
