"""Reads done on another thread, on that thread's own database connection, while the
request's thread goes on: a search's ranked page while its facets are counted
(``search.backends.database``), the dashboard's sections each on its own
(``cohorts.dashboard``).

Why threads help on a Python server: the time goes to SQLite's C code, which runs without
the GIL, so two reads on two connections do run at once on two cores; the request then
takes about the longer of them instead of their sum.

When: only where another connection sees what the request sees (``may_read_aside``): from
SQLite's file, outside any transaction. An in-memory database's connections share one
cache and take turns (no gain); another connection would not see what a transaction has
written and not yet committed, so tests in a transaction, and any write in progress,
read in turn. PostgreSQL reads in turn too: a thread's connection outlives the request
(its pool is the process's), and a server counts its connections.

A thread keeps its connection whatever ``CONN_MAX_AGE`` says: opening one (Django's
functions registered on it) costs some 3 ms, ten times a search with no hit. After an
error it closes it, so the next read opens a sound one; the error reaches the caller.
The caller's language and time zone come along (both are the thread's own in Django).
"""

import functools
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.utils import timezone, translation


def may_read_aside(alias: str = "default") -> bool:
    connection = connections[alias]
    return (
        settings.VAE_READERS > 0
        and connection.vendor == "sqlite"
        and not connection.in_atomic_block
        and not connection.is_in_memory_db()
    )


@functools.cache
def _readers(size: int) -> ThreadPoolExecutor:
    # Threads start at the first read; one pool for the process, whatever its requests.
    return ThreadPoolExecutor(size, thread_name_prefix="vae-reader")


def _run(language, zone, func, args, kwargs):
    try:
        with translation.override(language), timezone.override(zone):
            return func(*args, **kwargs)
    except Exception:
        for connection in connections.all(initialized_only=True):
            connection.close()
        raise


def read_aside(func, /, *args, **kwargs) -> Future:
    """``func(*args, **kwargs)`` run by one of ``VAE_READERS`` threads while the caller
    goes on; its result (or its error) from the future. Only where
    ``may_read_aside()``."""
    return _readers(settings.VAE_READERS).submit(
        _run, translation.get_language(), timezone.get_current_timezone(), func, args, kwargs
    )
