"""The public interface of search, the same whatever backend is configured.

``search(raw, user=…)`` parses the box's text (``search.query``), narrows to what the
user may read (``search.scope``, in the backend's query) and returns ``Results``;
``index_document`` / ``delete_document`` write one text; ``backend()`` is the configured
engine (``VAE_SEARCH_BACKEND``).
"""

import time

from django.db import models

from jury.models import InterviewBlocNote, RatingRevision
from livret.models import Evidence, Narrative
from review.models import CandidateLinkReview, CompetenceRating, ConsolidatedRating, CriterionLink
from search.base import Entry, Filters, Kind, Results
from search.indexing import backend, index_entries, reindex_object
from search.query import parse
from search.scope import scope_for

__all__ = ["backend", "delete_document", "index_document", "search"]

PER_PAGE = 20
MAX_PAGE = 500  # deep pages cost a full ranking and nobody reads them

KIND_OF_MODEL: dict[type[models.Model], str] = {
    Evidence: Kind.EVIDENCE_PAGE,
    Narrative: Kind.NARRATIVE,
    CriterionLink: Kind.PASSAGE,
    CompetenceRating: Kind.RATING,
    ConsolidatedRating: Kind.CONSOLIDATED_RATING,
    CandidateLinkReview: Kind.LINK_VERDICT,
    InterviewBlocNote: Kind.BLOC_NOTE,
    RatingRevision: Kind.RATING_REVISION,
}


def index_document(entry_or_obj: Entry | models.Model) -> int:
    """Index one ``Entry``, or (re)build every entry of one row (an ``Evidence``: all its
    pages)."""
    if isinstance(entry_or_obj, Entry):
        return index_entries([entry_or_obj])
    return reindex_object(KIND_OF_MODEL[type(entry_or_obj)], entry_or_obj.pk)


def delete_document(key: str) -> int:
    return backend().delete([key])


def search(
    raw: str, *, user, filters: Filters | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Results:
    """The hits ``user`` may read for ``raw``; ``took_ms`` counts parsing and scoping too."""
    started = time.perf_counter()
    page = min(max(int(page or 1), 1), MAX_PAGE)
    results = backend().search(
        parse(raw),
        scope=scope_for(user),
        filters=filters or Filters(),
        page=page,
        per_page=per_page,
    )
    results.took_ms = (time.perf_counter() - started) * 1000
    return results
