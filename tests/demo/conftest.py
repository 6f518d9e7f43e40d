"""The demo's data, written once for each module of tests that read it."""

import io

import pytest
from django.core.management import call_command

from tests.database import load_referentiel, shared_rows


def run_demo():
    load_referentiel()
    call_command("demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo_rows(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, run_demo):
        yield


@pytest.fixture
def demo(demo_rows, db):
    """What ``manage.py demo`` writes, written once for the module (20 to 25 s a run on
    a two-core machine, the suite's costliest set-up): each test's changes are rolled
    back, the next test sees the demo as the command left it. A test about the command
    itself (its output, idempotence) runs it in its body: only such tests should."""
