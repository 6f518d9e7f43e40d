"""Where a search result leads, in the space the search was made from, and how its
candidacy is named there.

The same hit opens a different page for each reader: the evaluator's page viewer (through
their assignment), the jury member's (through the slot of their session), the candidate's
own piece, the certifier's back office. One query per kind of lookup for a whole page of
hits, never one per hit. The page a link opens checks again who may read it.
"""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse

from jury.enums import OCCUPYING_STATUSES
from jury.models import JurySession, Slot
from jury.permissions import SESSIONS
from livret.models import Narrative
from review.models import Assignment
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


def _narrative_activities(hits) -> dict[int, int]:
    ids = {hit.object_id for hit in hits if hit.kind == Kind.NARRATIVE}
    if not ids:
        return {}
    return dict(Narrative.objects.filter(pk__in=ids).values_list("pk", "activity_id"))


class _ThroughOwner:
    """A reader's page viewer reached through what gives them the dossier (an
    assignment, a slot): ``owners`` maps each hit's candidacy to it, in one query."""

    page_url_name = ""

    def __init__(self, user, hits, terms):
        self.terms = terms
        self.owners = dict(self.owners_of(user, {hit.candidacy_id for hit in hits}))

    def owners_of(self, user, candidacy_ids):
        raise NotImplementedError

    def url(self, hit: Hit) -> str:
        owner = self.owners.get(hit.candidacy_id)
        if owner is None:
            return ""
        if hit.kind == Kind.EVIDENCE_PAGE:
            url = reverse(self.page_url_name, args=[owner, hit.object_id, hit.page or 1])
            return _with_terms(url, self.terms, "#texte-page")
        return self.other_url(owner, hit)

    def other_url(self, owner, hit: Hit) -> str:
        raise NotImplementedError


class EvaluatorLinks(_ThroughOwner):
    """Through the evaluator's active assignment to the hit's candidacy."""

    page_url_name = "review:evidence_page"

    def owners_of(self, user, candidacy_ids):
        return (
            Assignment.objects.active()
            .filter(evaluator=user, candidacy_id__in=candidacy_ids)
            .values_list("candidacy_id", "pk")
        )

    def other_url(self, owner, hit):
        dossier = reverse("review:dossier", args=[owner])
        if hit.kind == Kind.NARRATIVE:
            return f"{dossier}#recit-{hit.object_id}"
        if hit.kind == Kind.RATING:
            return reverse("review:grid", args=[owner])
        if hit.kind == Kind.CONSOLIDATED_RATING:
            return reverse("review:consolidation", args=[owner])
        return f"{dossier}#mes-passages" if hit.kind == Kind.PASSAGE else dossier


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

    def other_url(self, owner, hit):
        url = reverse("jury:candidate_file", args=[owner])
        return f"{url}#pieces" if hit.kind == Kind.NARRATIVE else url


def _evidence_file(hit: Hit) -> str:
    # The browser's own PDF viewer opens at a page with #page=N.
    url = reverse("livret:evidence_file", args=[hit.candidacy_id, hit.object_id])
    return f"{url}?inline=1#page={hit.page or 1}"


class CandidateLinks:
    """The candidate's own piece and narrative in their livret 2."""

    def __init__(self, user, hits, terms):
        self.activities = _narrative_activities(hits)

    def url(self, hit: Hit) -> str:
        if hit.kind == Kind.EVIDENCE_PAGE:
            return _evidence_file(hit)
        if hit.kind == Kind.NARRATIVE and hit.object_id in self.activities:
            return reverse(
                "livret:narrative", args=[hit.candidacy_id, self.activities[hit.object_id]]
            )
        return ""


class CertifierLinks:
    """The piece itself, the ratings, or the candidacy's page in the back office."""

    def __init__(self, user, hits, terms):
        pass

    def url(self, hit: Hit) -> str:
        if hit.kind == Kind.EVIDENCE_PAGE:
            return _evidence_file(hit)
        if hit.kind in REVIEW_KINDS | JURY_KINDS:
            return reverse("review_admin:ratings", args=[hit.candidacy_id])
        # The candidacy's page belongs to the roof (portal): named, never imported.
        return reverse("candidacy_admin:detail", args=[hit.candidacy_id])
