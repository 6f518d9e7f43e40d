"""The demo's data, written once for the package's tests that read it.

Package scope, and the package handed to one worker as one unit (the scheduler in
tests/conftest.py): one build a run, where a module scope made eight of 20 to 30 s each.
So a test here may see the demo even if it does not ask for it: a test of the command on
a database without the demo belongs in tests/demo_command.
"""

import io

import pytest
from django.core.management import call_command

from tests.database import load_referentiel, shared_rows


def run_demo():
    load_referentiel()
    call_command("demo", stdout=io.StringIO())


@pytest.fixture(scope="package")
def demo_rows(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, run_demo):
        yield


@pytest.fixture
def demo(demo_rows, db):
    """What ``manage.py demo`` writes, written once for the package (20 to 25 s a run on
    a two-core machine, the suite's costliest set-up): each test's changes are rolled
    back, the next test sees the demo as the command left it. A test of the command's
    idempotence runs it again in its body, over the demo: only such tests should."""
