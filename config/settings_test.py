"""Fast settings for the test suite: MD5 hasher, immediate tasks, locmem e-mail."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="vae-test-media-"))
STORAGES = {  # the private folders follow the temporary MEDIA_ROOT
    **STORAGES,  # noqa: F405
    "evidence": private_files(MEDIA_ROOT, "evidence", "EVIDENCE"),  # noqa: F405
    "documents": private_files(MEDIA_ROOT, "documents", "DOCUMENTS"),  # noqa: F405
}
# Uploaded test files go away with the test run.
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
LOGGING = {"version": 1, "disable_existing_loggers": False}
if os.environ.get("VAE_BENCH") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The benchmarks read a database file, as production does: the connections to an
    # in-memory database share one cache and take turns, so that a search's second
    # connection (vae.aside: the search's ranked page, the dashboard's sections) would gain
    # nothing there.
    BENCH_DATABASE_DIR = tempfile.mkdtemp(prefix="vae-bench-db-")
    atexit.register(shutil.rmtree, BENCH_DATABASE_DIR, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(BENCH_DATABASE_DIR) / "bench.sqlite3")}  # noqa: F405
# Runs on Elasticsearch (VAE_SEARCH_BACKEND=elasticsearch ELASTICSEARCH_URL=…, see the
# README): each xdist worker writes through its own alias, and each write is visible to the
# next search.
VAE_SEARCH_INDEX = f"vae-search-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
ELASTICSEARCH_REFRESH = "wait_for"
