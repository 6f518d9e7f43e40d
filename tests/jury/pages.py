"""Helpers of the jury's page tests (a support module: test modules import it, never
each other)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    # Once first: a first visit fills caches (the session's second factor, the menus).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
