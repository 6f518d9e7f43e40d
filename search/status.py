"""What ``search_status`` reports: entries per kind, the last indexing, and the lag —
texts written since then that the index may not hold yet (a task lost, a worker stopped)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from livret.models import Evidence, Narrative
from search.base import Kind
from search.entries import NOTE_SOURCES
from search.indexing import backend, state


@dataclass(frozen=True)
class Status:
    backend: str
    counts: dict[str, int]
    last_indexed_at: datetime | None
    reindex_finished_at: datetime | None
    lag: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def lagging(self) -> int:
        return sum(self.lag.values())


def _changed_since(when: datetime | None) -> dict[str, int]:
    """Rows of each kind written after ``when`` (all of them when never indexed)."""
    since = {}
    evidence = Evidence.objects.current()
    narratives = Narrative.objects.exclude(text="")
    if when is not None:
        evidence = evidence.filter(Q(extracted_at__gt=when) | Q(withdrawn_at__gt=when))
        narratives = narratives.filter(updated_at__gt=when)
    since[Kind.EVIDENCE_PAGE] = evidence.count()
    since[Kind.NARRATIVE] = narratives.count()
    for kind, source in NOTE_SOURCES.items():
        rows = source.queryset()
        if when is not None:
            rows = rows.filter(**{f"{source.updated}__gt": when})
        since[kind] = rows.count()
    return since


def status() -> Status:
    current = state()
    return Status(
        backend=backend().name,
        counts=backend().counts(),
        last_indexed_at=current.last_indexed_at,
        reindex_finished_at=current.reindex_finished_at,
        lag=_changed_since(current.last_indexed_at),
    )
