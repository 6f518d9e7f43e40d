"""Writing to the configured backend: one object, one candidacy, or everything (resumable),
and the record of when it was done (``IndexState``) for ``search_status``."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import reset_queries
from django.utils import timezone
from django.utils.module_loading import import_string

from search import entries as sources
from search.base import Backend, Entry
from search.models import IndexState
from vae.models import Candidacy

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


@cache
def _backend(name: str) -> Backend:
    return import_string(BACKENDS[name])()


def backend() -> Backend:
    """The configured backend: ``VAE_SEARCH_BACKEND`` = "database" (default; SQLite FTS5 or
    PostgreSQL by the connection's vendor) or "elasticsearch"."""
    return _backend(getattr(settings, "VAE_SEARCH_BACKEND", "database"))


# Set by ``paused``: the domain signals' receivers (``search.receivers``) then enqueue nothing.
_paused = ContextVar("search_indexing_paused", default=False)


@contextmanager
def paused():
    """For a bulk writer that rebuilds the whole index itself once its rows are committed
    (the demo: ``reindex()`` after its transaction): the signals of its writes enqueue no
    indexing, those sent at the commit included when the commit happens inside the block.
    Their tasks would each rebuild an object or a candidacy that the rebuild writes again
    (the demo's 1,500 of them were a quarter of its time)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


def state() -> IndexState:
    found, _created = IndexState.objects.get_or_create(backend=backend().name)
    return found


def mark_indexed(**fields) -> None:
    IndexState.objects.update_or_create(
        backend=backend().name, defaults={"last_indexed_at": timezone.now(), **fields}
    )


def index_entries(entries) -> int:
    written = backend().index(entries)
    mark_indexed()
    return written


def reindex_object(kind: str, object_id: int) -> int:
    """Replace one object's entries by those its rows give now (none: it is gone)."""
    found = list(sources.entries(kind, object_ids=[object_id]))
    backend().delete_object(kind, object_id)
    return index_entries(found)


def delete_object(kind: str, object_id: int) -> int:
    removed = backend().delete_object(kind, object_id)
    mark_indexed()
    return removed


def reindex_candidacy(candidacy_id: int) -> int:
    backend().clear(candidacy_id)
    return index_entries(sources.all_entries(candidacy_ids=[candidacy_id]))


@dataclass
class Progress:
    candidacies: int = 0
    entries: int = 0


def reindex(
    *,
    candidacy_id: int | None = None,
    resume: bool = False,
    on_candidacy: Callable[[Progress, int], None] | None = None,
) -> Progress:
    """Rebuild the index, candidacy by candidacy.

    - A fresh full run on a backend that builds a new index and swaps it in
      (Elasticsearch's ``rebuild``) loads everything into the new index: searches see the
      whole old one until the swap.
    - Otherwise (the database backend) the index is cleared, then each candidacy is
      written and remembered in turn: an interrupted run ``resume``s after the last one
      done, in the live index (upserts: nothing is doubled).
    - One candidacy (``candidacy_id``) is cleared and rebuilt alone.
    """
    progress = Progress()
    ids = Candidacy.objects.order_by("pk").values_list("pk", flat=True)
    if candidacy_id is not None:
        backend().clear(candidacy_id)
        _in_place(progress, [candidacy_id], on_candidacy, remember=False)
        mark_indexed()
        return progress
    last = state().reindex_last_candidacy
    if resume and last is not None:
        _in_place(progress, list(ids.filter(pk__gt=last)), on_candidacy, remember=True)
    else:
        mark_indexed(
            reindex_started_at=timezone.now(),
            reindex_finished_at=None,
            reindex_last_candidacy=None,
        )
        if type(backend()).rebuild is not Backend.rebuild:
            backend().rebuild(_one_stream(progress, list(ids), on_candidacy))
        else:
            backend().clear()
            _in_place(progress, list(ids), on_candidacy, remember=True)
    mark_indexed(reindex_finished_at=timezone.now())
    return progress


def _in_place(progress, ids, on_candidacy, *, remember: bool) -> None:
    """Each candidacy's entries written to the live index, then (``remember``) recorded as
    done: a resumed run starts after it."""
    for pk in ids:
        progress.entries += backend().index(sources.all_entries(candidacy_ids=[pk]))
        progress.candidacies += 1
        if remember:
            mark_indexed(reindex_last_candidacy=pk)
        _forget_queries()
        if on_candidacy is not None:
            on_candidacy(progress, pk)


def _one_stream(progress, ids, on_candidacy) -> Iterator[Entry]:
    """Every candidacy's entries in one stream, for a backend's ``rebuild``; counted as they
    go, ``on_candidacy`` told after each candidacy."""
    for pk in ids:
        for entry in sources.all_entries(candidacy_ids=[pk]):
            progress.entries += 1
            yield entry
        progress.candidacies += 1
        _forget_queries()
        if on_candidacy is not None:
            on_candidacy(progress, pk)


def _forget_queries() -> None:
    """With DEBUG on (development's default, ``manage.py`` without ``DJANGO_ENV``), Django
    keeps its last 9,000 queries with their parameters, here the pages' texts: a reindex
    would hold tens of thousands of pages, more as the corpus grows, up to that cap. Forgotten
    after each candidacy, as Django does after each request. Not with DEBUG off: then only
    a query capture (a test's ``CaptureQueriesContext``) records them, and reads them
    after."""
    if settings.DEBUG:
        reset_queries()


def candidacy_count(candidacy_id: int | None = None, *, resume: bool = False) -> int:
    ids = Candidacy.objects.all()
    if candidacy_id is not None:
        return ids.filter(pk=candidacy_id).count()
    last = state().reindex_last_candidacy
    if resume and last is not None:
        ids = ids.filter(pk__gt=last)
    return ids.count()


def every_entry() -> Iterator[Entry]:
    return sources.all_entries()
