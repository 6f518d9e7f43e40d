"""A web worker, once its application is built (``config.wsgi``, ``config.asgi``), has
imported every URL module and frozen its start-up objects (``config.worker``). Checked in
a fresh process: the test process's own collector must stay as it is."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

WORKER = """
import gc, sys
import {module}
assert "cohorts.dashboard_views" in sys.modules, "URL modules not loaded at start-up"
frozen = gc.get_freeze_count()
tracked = len(gc.get_objects())  # the permanent generation left out
print(frozen, tracked)
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_a_worker_freezes_what_it_loaded_before_its_first_request(module):
    result = subprocess.run(
        [sys.executable, "-c", WORKER.format(module=module)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    frozen, tracked = map(int, result.stdout.split())
    # Nearly everything is frozen: what a full collection still walks is the handful of
    # objects created after the freeze (by the check itself).
    assert frozen > 100_000
    assert tracked < frozen // 100
