"""Where a search result leads, in the space the search was made from, and how its
candidacy is named there.

The same hit opens a different page for each reader: the evaluator's page viewer (through
their assignment), the jury member's (through the slot of their session), the candidate's
own piece, the certifier's back office; and on that page, the place that shows the text
found (an anchor: the récit, the passage, the compétence's ratings, the bloc's notes).
One query per kind of lookup for a whole page of hits, never one per hit. The page a
link opens checks again who may read it.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse

from jury.enums import OCCUPYING_STATUSES
from jury.models import InterviewBlocNote, JurySession, RatingRevision, Slot
from jury.permissions import SESSIONS
from livret.models import Narrative
from review.enums import EvaluatorCategory, PassageKind
from review.models import (
    Assignment,
    CandidateLinkReview,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
)
from search.base import Hit, Kind
from vae import text_marks
from vae.models import Candidacy

# The kinds written by evaluators, and by the jury: they open where they were written.
REVIEW_KINDS = {Kind.PASSAGE, Kind.RATING, Kind.CONSOLIDATED_RATING, Kind.LINK_VERDICT}
JURY_KINDS = {Kind.BLOC_NOTE, Kind.RATING_REVISION}


def _with_terms(url: str, terms: str, anchor: str = "") -> str:
    query = f"?{urlencode({text_marks.PARAMETER: terms})}" if terms else ""
    return f"{url}{query}{anchor}"


def candidacy_names(candidacy_ids: Iterable[int], *, with_name: bool) -> dict[int, str]:
    """« Prénom Nom (VAE-2026-00042) » for staff, evaluators and the jury, who see the
    candidate's name; the reference alone otherwise."""
    rows = Candidacy.objects.filter(pk__in=set(candidacy_ids)).select_related("candidate")
    names = {}
    for candidacy in rows:
        name = candidacy.candidate.get_full_name() if with_name else ""
        names[candidacy.pk] = f"{name} ({candidacy.reference})" if name else candidacy.reference
    return names


def _passages():
    """The passages with their number among their evaluator's (« passage n° 3 »: ordered
    as ``review.selectors.passages.my_passages`` numbers them, the anchor of « Mes
    passages »)."""
    earlier = (
        CriterionLink.objects.filter(assignment_id=OuterRef("assignment_id"))
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("assignment_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return CriterionLink.objects.annotate(number=Subquery(earlier))


# What locates each kind of note on a page: the fields read, from which rows.
_PLACES = {
    Kind.NARRATIVE: (Narrative.objects.all, ("activity_id",)),
    Kind.PASSAGE: (
        _passages,
        ("assignment_id", "number", "kind", "narrative_id", "evidence_id", "page"),
    ),
    Kind.RATING: (CompetenceRating.objects.all, ("competence_id",)),
    Kind.CONSOLIDATED_RATING: (ConsolidatedRating.objects.all, ("competence_id",)),
    Kind.LINK_VERDICT: (CandidateLinkReview.objects.all, ("link_id",)),
    Kind.BLOC_NOTE: (InterviewBlocNote.objects.all, ("bloc_id",)),
    Kind.RATING_REVISION: (RatingRevision.objects.all, ("competence_id",)),
}


def places(hits, kinds=tuple(_PLACES)) -> dict[tuple[str, int], dict]:
    """(kind, object id) → the fields that locate the hit's text, for the hits of
    ``kinds``: one query per kind present. A row deleted since it was indexed is absent."""
    wanted: dict[str, set[int]] = {}
    for hit in hits:
        if hit.kind in kinds:
            wanted.setdefault(hit.kind, set()).add(hit.object_id)
    found = {}
    for kind, ids in wanted.items():
        rows, fields = _PLACES[kind]
        for row in rows().filter(pk__in=ids).values("pk", *fields):
            found[(kind, row["pk"])] = row
    return found


class _ThroughOwner(ABC):
    """A reader's page viewer reached through what gives them the dossier (an
    assignment, a slot): ``owners`` maps each hit's candidacy to it, in one query."""

    page_url_name = ""

    def __init__(self, user, hits, terms):
        self.terms = terms
        self.owners = dict(self.owners_of(user, {hit.candidacy_id for hit in hits}))
        self.places = places(hits)

    @abstractmethod
    def owners_of(self, user, candidacy_ids):
        """(candidacy id, owner) pairs: what gives ``user`` each of these dossiers."""

    def url(self, hit: Hit) -> str:
        owner = self.owners.get(hit.candidacy_id)
        if owner is None:
            return ""
        if hit.kind == Kind.EVIDENCE_PAGE:
            url = reverse(self.page_url_name, args=[owner, hit.object_id, hit.page or 1])
            return _with_terms(url, self.terms, "#texte-page")
        place = self.places.get((hit.kind, hit.object_id))
        return self.other_url(owner, hit, place) if place is not None else ""

    @abstractmethod
    def other_url(self, owner, hit: Hit, place: dict) -> str:
        """Where a hit other than an evidence page opens, for this reader."""


class EvaluatorLinks(_ThroughOwner):
    """Through the evaluator's active assignment to the hit's candidacy."""

    page_url_name = "review:evidence_page"

    def owners_of(self, user, candidacy_ids):
        assignments = Assignment.objects.active().filter(
            evaluator=user, candidacy_id__in=candidacy_ids
        )
        # Only the certifier's representative has the consolidation page.
        self.consolidating = set(
            assignments.filter(category=EvaluatorCategory.CERTIFIER).values_list("pk", flat=True)
        )
        return assignments.values_list("candidacy_id", "pk")

    def other_url(self, owner, hit, place):
        dossier = reverse("review:dossier", args=[owner])
        if hit.kind == Kind.NARRATIVE:
            return f"{dossier}#recit-{hit.object_id}"
        if hit.kind == Kind.PASSAGE:
            return self.passage_url(owner, dossier, place)
        if hit.kind == Kind.LINK_VERDICT:
            return f"{dossier}#lien-candidat-{place['link_id']}"
        competence = f"#competence-{place['competence_id']}"
        if hit.kind == Kind.CONSOLIDATED_RATING and owner in self.consolidating:
            return reverse("review:consolidation", args=[owner]) + competence
        # Their own and, once their grid is in, the others' ratings of the compétence.
        return reverse("review:grid", args=[owner]) + competence

    def passage_url(self, owner, dossier, place):
        if place["assignment_id"] == owner:
            return f"{dossier}#passage-{place['number']}"
        # Another evaluator's passage (theirs once their own grid is in) is listed on no
        # page of this one: it opens where its extract is, in the récit or on the page.
        if place["kind"] == PassageKind.NARRATIVE:
            return f"{dossier}#recit-{place['narrative_id']}"
        url = reverse(self.page_url_name, args=[owner, place["evidence_id"], place["page"]])
        return _with_terms(url, self.terms, "#texte-page")


class JuryLinks(_ThroughOwner):
    """Through the slot of a session the member sits in."""

    page_url_name = "jury:evidence_page"

    def owners_of(self, user, candidacy_ids):
        return (
            Slot.objects.filter(
                session__in=SESSIONS.scope(JurySession.objects.all(), user),
                candidacy_id__in=candidacy_ids,
                status__in=OCCUPYING_STATUSES,
            )
            .order_by("pk")
            .values_list("candidacy_id", "pk")
        )

    def other_url(self, owner, hit, place):
        url = reverse("jury:candidate_file", args=[owner])
        if hit.kind == Kind.NARRATIVE:
            return f"{url}#recit-{hit.object_id}"
        if hit.kind == Kind.BLOC_NOTE:
            return f"{url}#notes-bloc-{place['bloc_id']}"
        if "competence_id" in place:
            # The compétence's row holds its consolidated rating and the revisions.
            return f"{url}#competence-{place['competence_id']}"
        return url


def _evidence_file(hit: Hit) -> str:
    # The browser's own PDF viewer opens at a page with #page=N.
    url = reverse("livret:evidence_file", args=[hit.candidacy_id, hit.object_id])
    return f"{url}?inline=1#page={hit.page or 1}"


class CandidateLinks:
    """The candidate's own piece and narrative in their livret 2."""

    def __init__(self, user, hits, terms):
        self.places = places(hits, kinds=(Kind.NARRATIVE,))

    def url(self, hit: Hit) -> str:
        if hit.kind == Kind.EVIDENCE_PAGE:
            return _evidence_file(hit)
        place = self.places.get((hit.kind, hit.object_id))
        if hit.kind == Kind.NARRATIVE and place is not None:
            return reverse("livret:narrative", args=[hit.candidacy_id, place["activity_id"]])
        return ""


class CertifierLinks:
    """The piece itself, the ratings, the interview record, or the candidacy's page in the
    back office."""

    def __init__(self, user, hits, terms):
        pass

    def url(self, hit: Hit) -> str:
        if hit.kind == Kind.EVIDENCE_PAGE:
            return _evidence_file(hit)
        if hit.kind in JURY_KINDS:
            # The interview record, read only, where each note and revision has its id.
            interview = reverse("jury_admin:interview", args=[hit.candidacy_id])
            anchor = "note" if hit.kind == Kind.BLOC_NOTE else "jury-revision"
            return f"{interview}#{anchor}-{hit.object_id}"
        ratings = reverse("review_admin:ratings", args=[hit.candidacy_id])
        # The ratings page lists each evaluator's rating, the consolidated one, the
        # passages and the verdicts by id.
        if hit.kind == Kind.RATING:
            return f"{ratings}#appreciation-{hit.object_id}"
        if hit.kind == Kind.CONSOLIDATED_RATING:
            return f"{ratings}#consolidee-{hit.object_id}"
        if hit.kind == Kind.PASSAGE:
            return f"{ratings}#passage-{hit.object_id}"
        if hit.kind == Kind.LINK_VERDICT:
            return f"{ratings}#avis-{hit.object_id}"
        if hit.kind in REVIEW_KINDS:
            return ratings
        # The candidacy's page belongs to the roof (portal): named, never imported.
        return reverse("candidacy_admin:detail", args=[hit.candidacy_id])
