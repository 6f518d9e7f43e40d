"""The search contract: what every backend indexes, receives and returns.

Shared by the database backend (SQLite FTS5 / PostgreSQL tsvector) and the Elasticsearch
one, so that the pages and the suggestions never know which engine answered. Plain data
only: a backend turns these into its own queries.

The configured backend is built without arguments from ``search.indexing.BACKENDS``:
``search.backends.database.DatabaseBackend`` or
``search.backends.elasticsearch.ElasticsearchBackend`` (``VAE_SEARCH_BACKEND``).
A clause whose text gives several words (a phrase, a multi-word synonym, a hyphenated
word) matches as a phrase; the snippet function of ``search.snippets`` is shared.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What one indexed text is. The review's and the jury's kinds keep the strings of
    ``review.enums.ReviewNoteKind`` and ``jury.enums.JuryNoteKind``, so a signal's ``kind``
    is an index kind as it is."""

    EVIDENCE_PAGE = "evidence_page", _("Page de pièce justificative")
    NARRATIVE = "narrative", _("Récit d'activité")
    PASSAGE = "passage", _("Passage relié à des critères")
    RATING = "rating", _("Justification d'une appréciation")
    CONSOLIDATED_RATING = "consolidated_rating", _("Justification d'une appréciation consolidée")
    LINK_VERDICT = "link_verdict", _("Avis sur un lien du candidat")
    BLOC_NOTE = "bloc_note", _("Notes d'entretien sur un bloc")
    RATING_REVISION = "rating_revision", _("Appréciation révisée par le jury")


# The facets every backend counts, in the order the pages show them.
FACETS = ("candidacy", "bloc", "competence", "kind", "evidence_type", "state")


@dataclass(frozen=True)
class Entry:
    """One indexed text, the same for every backend."""

    key: str  # unique: "evidence_page:<evidence_pk>:<page>", "<kind>:<pk>"
    kind: str  # Kind
    object_id: int  # Evidence pk for evidence pages; the row's pk otherwise
    page: int | None  # 1-based page number for evidence pages
    candidacy_id: int
    author_id: int | None  # the evaluator / jury member who wrote a note
    title: str  # e.g. the evidence title, "Récit — A1.2 …"
    text: str  # the ORIGINAL text: snippets are cut from it
    blocs: tuple[str, ...]  # bloc codes it concerns (through links / activité)
    competences: tuple[str, ...]  # compétence codes it concerns
    evidence_type: str  # EvidenceKind value, "" when not evidence
    candidacy_state: str
    updated_at: datetime


def entry_key(kind: str, object_id: int, page: int | None = None) -> str:
    """The one spelling of an entry's key (see ``Entry.key``)."""
    if page is None:
        return f"{kind}:{object_id}"
    return f"{kind}:{object_id}:{page}"


@dataclass(frozen=True)
class Clause:
    text: str  # as typed (a word or a phrase's words)
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """From ``search.query.parse(raw)``."""

    raw: str
    groups: tuple[tuple[Clause, ...], ...]  # AND of OR-groups; synonyms already added
    excluded: tuple[Clause, ...]  # "-devis"
    fell_back: bool = False  # the syntax was not readable: plain terms used

    @property
    def is_empty(self) -> bool:
        return not self.groups


@dataclass(frozen=True)
class Filters:
    """One selected value per facet, all optional."""

    candidacy: int | None = None
    bloc: str | None = None
    competence: str | None = None
    kind: str | None = None
    evidence_type: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Grant:
    """One part of what a user may read."""

    kinds: frozenset[str]
    candidacies: QuerySet | None  # a queryset of candidacy pks (values("pk")); None = all
    author_id: int | None = None  # only the texts this user wrote (own notes)

    @property
    def reads_everything(self) -> bool:
        """Every kind of every candidacy (staff): a backend may leave the scope out."""
        return (
            self.candidacies is None and self.author_id is None and self.kinds >= set(Kind.values)
        )


@dataclass(frozen=True)
class Scope:
    """From ``search.scope.scope_for(user)``; no grants = nothing."""

    grants: tuple[Grant, ...]

    @property
    def is_empty(self) -> bool:
        return not self.grants

    @property
    def reads_everything(self) -> bool:
        """One of its grants reads every entry (staff): no condition to apply."""
        return any(grant.reads_everything for grant in self.grants)


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    object_id: int
    page: int | None
    candidacy_id: int
    title: str
    snippet: str  # safe HTML: escaped text, matches in <mark>…</mark>
    score: float


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass
class Results:
    query: ParsedQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]  # keys: FACETS
    page: int
    per_page: int
    took_ms: float


class Backend(ABC):
    name: str

    @abstractmethod
    def index(self, entries: Iterable[Entry]) -> int:
        """Upsert by key; returns how many entries were written."""

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> int: ...

    @abstractmethod
    def delete_object(self, kind: str, object_id: int) -> int:
        """Every entry of one object, e.g. every page of an evidence."""

    @abstractmethod
    def clear(self, candidacy_id: int | None = None) -> None: ...

    def rebuild(self, entries: Iterable[Entry]) -> int:
        """Default: clear() + index(); Elasticsearch builds a new index and swaps an alias."""
        self.clear()
        return self.index(entries)

    @abstractmethod
    def search(
        self,
        query: ParsedQuery,
        *,
        scope: Scope,
        filters: Filters,
        page: int = 1,
        per_page: int = 20,
    ) -> Results: ...

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Entries per kind (search_status)."""
