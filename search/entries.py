"""The indexed texts, as ``Entry`` rows, read in bulk from the lower apps' tables.

One source per ``Kind``. Each reads its rows with one joined query streamed by
``iterator()`` and, per chunk of rows, one query for the blocs and compétences they
concern: a constant number of queries per chunk, whether 10 or 100,000 pages are read.

Blocs and compétences (the facets) come from the candidate's own links
(``CompetenceLink``) for evidence pages and narratives — plus the narrative's activité —,
and from the evaluator's criteria for their passage, from the rated compétence for a
rating. An evaluator's links never tag the candidate's pages: the review is blind, and a
facet count on a page would tell another evaluator what was linked there.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Q, QuerySet
from django.utils import timezone

from jury.models import InterviewBlocNote, RatingRevision
from livret.models import CompetenceLink, Evidence, EvidencePage, Narrative
from review.models import CandidateLinkReview, CompetenceRating, ConsolidatedRating, CriterionLink
from search.base import Entry, Kind, entry_key

CHUNK = 1_000
TITLE_MAX_CHARS = 80

Ids = Iterable[int] | QuerySet | None


def _chunks(iterable: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _tags(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(blocs, compétences), sorted, from (compétence code, bloc code) pairs."""
    pairs = list(pairs)
    blocs = sorted({bloc for _competence, bloc in pairs if bloc})
    competences = sorted({competence for competence, _bloc in pairs if competence})
    return tuple(blocs), tuple(competences)


def _filtered(queryset: QuerySet, candidacy_path: str, object_ids: Ids, candidacy_ids: Ids):
    if object_ids is not None:
        queryset = queryset.filter(pk__in=object_ids)
    if candidacy_ids is not None:
        queryset = queryset.filter(**{f"{candidacy_path}__in": candidacy_ids})
    return queryset


# -- evidence pages ------------------------------------------------------------------------


def evidence_pages(*, object_ids: Ids = None, candidacy_ids: Ids = None) -> Iterator[Entry]:
    """Every page with text of the pieces that count (not withdrawn nor replaced);
    ``object_ids`` are evidence ids."""
    evidence = _filtered(
        Evidence.objects.current(), "dossier__candidacy_id", object_ids, candidacy_ids
    )
    rows = (
        EvidencePage.objects.filter(evidence__in=evidence)
        .exclude(text="")
        .order_by("evidence_id", "number")
        .values_list(
            "evidence_id",
            "number",
            "text",
            "evidence__title",
            "evidence__kind",
            "evidence__dossier__candidacy_id",
            "evidence__dossier__candidacy__state",
            "evidence__extracted_at",
            "evidence__uploaded_at",
        )
    )
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
        links = defaultdict(list)
        for evidence_id, first, last, competence, bloc in CompetenceLink.objects.filter(
            evidence_id__in={row[0] for row in chunk}
        ).values_list(
            "evidence_id",
            "page_from",
            "page_to",
            "competence__code",
            "competence__activity__bloc__code",
        ):
            links[evidence_id].append((first, last or first, competence, bloc))
        for evidence_id, number, text, title, kind, candidacy, state, extracted, uploaded in chunk:
            blocs, competences = _tags(
                (competence, bloc)
                for first, last, competence, bloc in links[evidence_id]
                if first is None or first <= number <= last
            )
            yield Entry(
                key=entry_key(Kind.EVIDENCE_PAGE, evidence_id, number),
                kind=Kind.EVIDENCE_PAGE,
                object_id=evidence_id,
                page=number,
                candidacy_id=candidacy,
                author_id=None,
                title=title,
                text=text,
                blocs=blocs,
                competences=competences,
                evidence_type=kind,
                candidacy_state=state,
                updated_at=extracted or uploaded,
            )


# -- narratives ----------------------------------------------------------------------------


def _narrative_title(code: str, activity: str) -> str:
    if len(activity) > TITLE_MAX_CHARS:
        activity = activity[: TITLE_MAX_CHARS - 1].rstrip() + "…"
    return f"Récit — {code} {activity}"


def narratives(*, object_ids: Ids = None, candidacy_ids: Ids = None) -> Iterator[Entry]:
    queryset = _filtered(
        Narrative.objects.all(), "dossier__candidacy_id", object_ids, candidacy_ids
    )
    rows = (
        queryset.exclude(text="")
        .order_by("pk")
        .values_list(
            "pk",
            "text",
            "activity__code",
            "activity__title",
            "activity__bloc__code",
            "dossier__candidacy_id",
            "dossier__candidacy__state",
            "updated_at",
        )
    )
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
        links = defaultdict(list)
        for narrative_id, competence, bloc in CompetenceLink.objects.filter(
            narrative_id__in={row[0] for row in chunk}
        ).values_list("narrative_id", "competence__code", "competence__activity__bloc__code"):
            links[narrative_id].append((competence, bloc))
        for pk, text, code, activity, bloc, candidacy, state, updated in chunk:
            blocs, competences = _tags([("", bloc), *links[pk]])
            yield Entry(
                key=entry_key(Kind.NARRATIVE, pk),
                kind=Kind.NARRATIVE,
                object_id=pk,
                page=None,
                candidacy_id=candidacy,
                author_id=None,
                title=_narrative_title(code, activity),
                text=text,
                blocs=blocs,
                competences=competences,
                evidence_type="",
                candidacy_state=state,
                updated_at=updated,
            )


# -- the review's and the jury's notes ----------------------------------------------------


@dataclass(frozen=True)
class NoteSource:
    """A note model read as entries: which fields say what, for one ``Kind``."""

    kind: str
    queryset: Callable[[], QuerySet]
    candidacy: str  # path to the candidacy id ("…candidacy_id"; its state is "…candidacy__state")
    author: str
    updated: str
    texts: tuple[str, ...]  # joined by blank lines, empty ones left out
    competence: str = ""  # path to the compétence code, "" when none
    bloc: str = ""  # path to the bloc code
    many_competences: Callable[[list[int]], Iterable[tuple[int, str, str]]] | None = None

    @property
    def state(self) -> str:
        return self.candidacy.removesuffix("_id") + "__state"

    def entries(self, *, object_ids: Ids = None, candidacy_ids: Ids = None) -> Iterator[Entry]:
        fields = ["pk", self.candidacy, self.state, self.author, self.updated, *self.texts]
        fields += [path for path in (self.competence, self.bloc) if path]
        non_empty = Q()
        for path in self.texts:
            non_empty |= ~Q(**{path: ""})
        queryset = _filtered(self.queryset(), self.candidacy, object_ids, candidacy_ids)
        rows = queryset.filter(non_empty).order_by("pk").values(*fields)
        label = Kind(self.kind).label
        for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
            extra = defaultdict(list)
            if self.many_competences is not None:
                for pk, competence, bloc in self.many_competences([row["pk"] for row in chunk]):
                    extra[pk].append((competence, bloc))
            for row in chunk:
                pairs = [(row.get(self.competence, ""), row.get(self.bloc, "")), *extra[row["pk"]]]
                blocs, competences = _tags(pairs)
                codes = ", ".join(competences or blocs)
                yield Entry(
                    key=entry_key(self.kind, row["pk"]),
                    kind=self.kind,
                    object_id=row["pk"],
                    page=None,
                    candidacy_id=row[self.candidacy],
                    author_id=row[self.author],
                    title=f"{label} — {codes}" if codes else str(label),
                    text="\n\n".join(row[path] for path in self.texts if row[path]),
                    blocs=blocs,
                    competences=competences,
                    evidence_type="",
                    candidacy_state=row[self.state],
                    # A row never saved through its service has no date: indexed now.
                    updated_at=row[self.updated] or timezone.now(),
                )


def _passage_criteria(ids: list[int]) -> Iterable[tuple[int, str, str]]:
    return CriterionLink.criteria.through.objects.filter(criterionlink_id__in=ids).values_list(
        "criterionlink_id",
        "criterion__competence__code",
        "criterion__competence__activity__bloc__code",
    )


COMPETENCE = "competence__code"
COMPETENCE_BLOC = "competence__activity__bloc__code"

NOTE_SOURCES: dict[str, NoteSource] = {
    source.kind: source
    for source in (
        NoteSource(
            kind=Kind.PASSAGE,
            queryset=CriterionLink.objects.all,
            candidacy="assignment__candidacy_id",
            author="assignment__evaluator_id",
            updated="created_at",
            texts=("comment", "quote"),
            many_competences=_passage_criteria,
        ),
        NoteSource(
            kind=Kind.RATING,
            queryset=CompetenceRating.objects.all,
            candidacy="assignment__candidacy_id",
            author="assignment__evaluator_id",
            updated="updated_at",
            texts=("justification",),
            competence=COMPETENCE,
            bloc=COMPETENCE_BLOC,
        ),
        NoteSource(
            kind=Kind.CONSOLIDATED_RATING,
            queryset=ConsolidatedRating.objects.all,
            candidacy="candidacy_id",
            author="decided_by_id",
            updated="decided_at",
            texts=("justification",),
            competence=COMPETENCE,
            bloc=COMPETENCE_BLOC,
        ),
        NoteSource(
            kind=Kind.LINK_VERDICT,
            queryset=CandidateLinkReview.objects.all,
            candidacy="link__dossier__candidacy_id",
            author="assignment__evaluator_id",
            updated="updated_at",
            texts=("reason",),
            competence="link__competence__code",
            bloc="link__competence__activity__bloc__code",
        ),
        NoteSource(
            kind=Kind.BLOC_NOTE,
            queryset=InterviewBlocNote.objects.all,
            candidacy="record__slot__candidacy_id",
            author="updated_by_id",
            updated="updated_at",
            texts=("questions", "answers", "observations"),
            bloc="bloc__code",
        ),
        NoteSource(
            kind=Kind.RATING_REVISION,
            queryset=RatingRevision.objects.all,
            candidacy="record__slot__candidacy_id",
            author="created_by_id",
            updated="created_at",
            texts=("reason",),
            competence=COMPETENCE,
            bloc=COMPETENCE_BLOC,
        ),
    )
}

SOURCES: dict[str, Callable[..., Iterator[Entry]]] = {
    Kind.EVIDENCE_PAGE: evidence_pages,
    Kind.NARRATIVE: narratives,
    **{kind: source.entries for kind, source in NOTE_SOURCES.items()},
}


def entries(kind: str, *, object_ids: Ids = None, candidacy_ids: Ids = None) -> Iterator[Entry]:
    """The entries of one kind, of the given objects and/or candidacies (None = all).
    For evidence pages, ``object_ids`` are evidence ids."""
    return SOURCES[kind](object_ids=object_ids, candidacy_ids=candidacy_ids)


def all_entries(*, candidacy_ids: Ids = None) -> Iterator[Entry]:
    """Every entry of every kind, of the given candidacies (None = all)."""
    for kind in SOURCES:
        yield from entries(kind, candidacy_ids=candidacy_ids)
