"""The cache of the dashboard's figures and charts: the ``shared`` one of
``settings.CACHES``, in the database unless configured otherwise.

Why not the process's own memory, as the public pages use: the dashboard is the same for
every certifier and costs up to a second to compute on 10,000 candidacies (its charts
half of it). With a cache per process, each of gunicorn's workers, each app server and
the task worker that renders its PDF report computed it again, and a worker that gunicorn
replaces (``--max-requests``) started from nothing. Shared, it is computed once. Its
keys carry the version of what each piece reads (``cohorts.dashboard``), so no process
ever reads another's stale figures.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

SHARED = "shared"

# As ``django.core.cache.cache`` is for the default cache: each thread its own client.
cache = ConnectionProxy(caches, SHARED)
