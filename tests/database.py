"""Test data in the database beyond the factories: the référentiel, loaded fast, and rows
shared by the tests of a module or a class. Not a test module (conftest.py and the tests
import from here)."""

import datetime
import importlib
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from referentiel.management.commands.load_referentiel import DEFAULT_FILE
from referentiel.models import Certification
from referentiel.models.referentiel import VersionChild
from referentiel.services import load_referentiel_text


class ReferentielRows:
    """The rows the loader writes for the data file, kept after the first load of the
    process and inserted again, one bulk insert a table, for the next tests.

    Most tests need the référentiel: the loader costs about 50 ms a test (parsing aside:
    fingerprint, export, 163 rows one by one, publication), the bulk insert about 5. The
    rows are the loader's own (same primary keys, same values, times moved to now and dates
    to today), so a test cannot tell them apart; tests/test_factories.py checks it against a
    fresh load.
    """

    def __init__(self):
        self.tables = None  # [(model, [row values])], parents first
        self.captured_at = None

    def capture(self, certification):
        tables = [(Certification, list(Certification.objects.filter(pk=certification.pk).values()))]
        # The version's rows: every model that hangs from it (``VersionChild``).
        for model in apps.get_app_config("referentiel").get_models():
            if issubclass(model, VersionChild):
                lookup = "__".join(model.certification_path)
                rows = model._base_manager.filter(**{lookup: certification}).order_by("pk")
                tables.append((model, list(rows.values())))
        self.tables = self._parents_first(tables)
        self.captured_at = timezone.now()

    @staticmethod
    def _parents_first(tables):
        models = {model for model, _rows in tables}
        ordered, done, pending = [], set(), list(tables)
        while pending:
            ready = next(
                item
                for item in pending
                if {
                    field.related_model
                    for field in item[0]._meta.concrete_fields
                    if field.is_relation and field.related_model in models
                }
                - {item[0]}
                <= done
            )
            ordered.append(ready)
            done.add(ready[0])
            pending.remove(ready)
        return ordered

    @property
    def certification_pk(self):
        return self.tables[0][1][0]["id"] if self.tables else None

    def restore(self) -> Certification:
        now = timezone.now()
        shift = now - self.captured_at
        # Dates move by whole days with the local calendar: publication sets the version's
        # effective date to its local day, and a worker that captured the rows before
        # midnight restores them after it (stop 29's PostgreSQL run failed on that).
        day_shift = timezone.localdate(now) - timezone.localdate(self.captured_at)
        for model, rows in self.tables:
            model._base_manager.bulk_create(
                model(**{name: self._moved(value, shift, day_shift) for name, value in row.items()})
                for row in rows
            )
        return Certification.objects.get(pk=self.certification_pk)

    @staticmethod
    def _moved(value, shift, day_shift):
        if isinstance(value, datetime.datetime):
            return value + shift
        if isinstance(value, datetime.date):
            return value + day_shift
        return value


REFERENTIEL_ROWS = ReferentielRows()


# The data migrations that seed rows the platform needs (not data transforms), with the
# model they fill. A transactional test (the browser tests, the PostgreSQL-only concurrency
# tests) ends with Django's flush, which empties every table, seeded rows included, and the
# data migrations do not run again: the next tests on that worker found no synonyms (stop
# 21's PostgreSQL run), no survey waves (stop 22's), and the demo, built once for a module
# before any per-test fixture runs, made no follow-up surveys (stop 23's).
SEEDING_MIGRATIONS = (
    ("search.migrations.0003_seed_synonyms", "vae_search.Synonym"),
    ("cohorts.migrations.0002_waves", "cohorts.SurveyWave"),
)


def ensure_seeded_rows():
    """The seeding migrations run again (they are idempotent) when their rows are missing:
    one ``exists()`` query each when they are there, which is nearly always."""
    for module, label in SEEDING_MIGRATIONS:
        if not apps.get_model(label).objects.exists():
            importlib.import_module(module).seed(apps, None)


def load_referentiel() -> Certification:
    """The CQP référentiel from the data file, loaded and published: through the loader the
    first time in the process, then from ``REFERENTIEL_ROWS`` into a database that holds no
    version yet."""
    if REFERENTIEL_ROWS.tables is None:
        certification = load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8"))
        REFERENTIEL_ROWS.capture(certification.certification)
        return certification.certification
    if Certification.objects.exists():
        # Some version is there already (this one, or another a test loaded): the loader,
        # idempotent, finds or adds the data file's version without clashing with it.
        return load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8")).certification
    return REFERENTIEL_ROWS.restore()


@contextmanager
def shared_rows(django_db_blocker, build):
    """Rows written once for several tests, removed after the last: Django's
    ``TestCase.setUpTestData`` for a module- or class-scoped fixture.

    The rows are written inside a transaction left open while the tests run; each test's
    own transaction is then a savepoint inside it, rolled back at the test's end, so what a
    test changes never reaches the next one; the outer transaction is rolled back at the
    end. For tests that read (pages, counts, permissions), not for transactional ones
    (``transaction=True``, the live server), whose flush would empty the shared rows.

    ``build()`` writes the rows and returns what the tests get; between tests, the database
    stays blocked as usual::

        @pytest.fixture(scope="module")
        def scenario_rows(django_db_setup, django_db_blocker):
            with shared_rows(django_db_blocker, build_scenario) as built:
                yield built
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_seeded_rows()
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
