"""The evaluator's dossier page: the récits and pieces, their passages, the coverage of
the criteria and the candidate's own links with the evaluator's verdicts.

The other evaluators' work (their counts of passages, their verdicts) is read only once
the viewer may see it (``permissions.can_see_others_work``): blind review.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from livret.dossier.services import dossier_for
from livret.enums import ExtractionStatus
from livret.models import CompetenceLink, Evidence, Narrative, NoEvidenceReason
from referentiel.prepared import PreparedQuery
from review import permissions
from review.enums import AssignmentStatus, LinkVerdict, PassageKind
from review.models import Assignment, CandidateLinkReview, CompetenceRating, CriterionLink
from review.selectors.passages import (
    AssignmentUrls,
    Passage,
    link_attribute,
    my_passages,
    other_link_counts,
    structure,
)
from review.selectors.text import Segment, SelectableText, segments

# Pieces with up to this many pages get a link per page in the evidence list.
PAGES_LISTED = 12


@dataclass(frozen=True)
class NarrativeView:
    """A récit offered for passage selection, its passages highlighted."""

    narrative: Narrative
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return self.narrative.text

    @property
    def source(self) -> str:
        return f"narrative:{self.narrative.pk}"

    @property
    def anchor(self) -> str:
        return f"recit-{self.narrative.pk}"

    @property
    def label(self) -> str:
        return _("Récit de l'activité %(code)s") % {"code": self.narrative.activity.code}


@dataclass(frozen=True)
class ActivityBlock:
    activity: object
    narrative: NarrativeView | None


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    passage_count: int  # this evaluator's passages on the piece
    page_urls: tuple  # (number, url) of the pages listed


@dataclass(frozen=True)
class CandidateLinkRow:
    """One of the candidate's links, with this evaluator's verdict and the others' as
    counts (``others_shown`` only: blind review)."""

    link: CompetenceLink
    narrative: object  # the récit linked, with its activité, or None
    read_url: str
    verdict_url: str
    my_verdict: str
    my_verdict_label: str
    my_reason: str
    my_verdict_at: object
    others_shown: bool
    others_accepted: int
    others_rejected: int
    # What the verdict form shows: the bound form of a refused verdict (for its errors)
    # and what was typed, or the saved reason.
    form: object = None
    form_reason: str = ""

    pk = link_attribute("pk")
    evidence_id = link_attribute("evidence_id")
    evidence = link_attribute("evidence")
    page_from = link_attribute("page_from")
    page_to = link_attribute("page_to")
    justification = link_attribute("justification")


@dataclass(frozen=True)
class CriterionRow:
    criterion: object
    passages: tuple[Passage, ...] = ()
    # The other evaluators' links to the criterion; None while the review is blind.
    others: int | None = None


@dataclass(frozen=True)
class CompetenceBlock:
    competence: object
    criteria: tuple[CriterionRow, ...]
    candidate_links: tuple[CandidateLinkRow, ...] = ()
    no_evidence_reason: str = ""

    @property
    def uncovered(self) -> int:
        return sum(not row.passages for row in self.criteria)


@dataclass(frozen=True)
class BlocBlock:
    bloc: object
    activities: tuple[ActivityBlock, ...]
    competences: tuple[CompetenceBlock, ...]

    @property
    def criteria_count(self) -> int:
        return sum(len(block.criteria) for block in self.competences)

    @property
    def uncovered(self) -> int:
        return sum(block.uncovered for block in self.competences)


@dataclass(frozen=True)
class DossierPage:
    assignment: object
    dossier: object
    blocs: tuple[BlocBlock, ...]
    # The targeted blocs as loaded (activités → compétences → criteria prefetched).
    referentiel_blocs: list
    # The récits of the targeted activités (with their activité), in the livret's order.
    narratives: tuple[Narrative, ...]
    evidence: tuple[EvidenceRow, ...]
    links: tuple[Passage, ...]
    rated_count: int
    criteria: dict
    # Whether the other evaluators' counts were read (``permissions.can_see_others_work``).
    others_shown: bool = False

    @property
    def evidence_items(self) -> list[Evidence]:
        return [row.evidence for row in self.evidence]

    @property
    def competence_total(self) -> int:
        return sum(len(b.competences) for b in self.blocs)

    @property
    def criteria_total(self) -> int:
        return sum(b.criteria_count for b in self.blocs)

    @property
    def uncovered_total(self) -> int:
        return sum(b.uncovered for b in self.blocs)

    def candidate_links(self):
        for bloc in self.blocs:
            for block in bloc.competences:
                yield from block.candidate_links

    def with_refused_verdict(self, form) -> "DossierPage":
        """The page with ``form`` (a refused verdict) shown again in place, as typed."""

        def swap(row):
            if row.pk != form.link.pk:
                return row
            return replace(row, form=form, form_reason=form["reason"].value() or "")

        blocs = tuple(
            replace(
                bloc,
                competences=tuple(
                    replace(block, candidate_links=tuple(map(swap, block.candidate_links)))
                    for block in bloc.competences
                ),
            )
            for bloc in self.blocs
        )
        return replace(self, blocs=blocs)


def _candidate_links(dossier, assignment, narratives, urls, *, show_others) -> dict:
    """Competence id -> the candidate's links, each with this evaluator's verdict and —
    when ``show_others`` (their grid is submitted) — the other evaluators' verdicts as
    counts.

    Before that the others' verdicts are not even read: like ratings, the others' opinions
    of the evidence must not steer a blind review."""
    links = (
        CompetenceLink.objects.filter(dossier=dossier)
        .select_related("evidence")
        .order_by("competence_id", "pk")
    )
    reviews = CandidateLinkReview.objects.filter(
        link__dossier=dossier, assignment__status=AssignmentStatus.ACTIVE
    )
    if not show_others:
        reviews = reviews.filter(assignment=assignment)
    reviews = reviews.values_list("link_id", "assignment_id", "verdict", "reason", "updated_at")
    mine, accepted, rejected = {}, defaultdict(int), defaultdict(int)
    for link_id, assignment_id, verdict, reason, updated_at in reviews:
        if assignment_id == assignment.pk:
            mine[link_id] = (verdict, reason, updated_at)
        elif verdict == LinkVerdict.ACCEPTED:
            accepted[link_id] += 1
        else:
            rejected[link_id] += 1
    by_competence = defaultdict(list)
    for link in links:
        verdict, reason, updated_at = mine.get(link.pk, ("", "", None))
        narrative = None
        if link.narrative_id:
            narrative = narratives.get(link.narrative_id) or link.narrative
        by_competence[link.competence_id].append(
            CandidateLinkRow(
                link=link,
                narrative=narrative,
                read_url=(
                    urls.page(link.evidence_id, link.page_from or 1)
                    if link.evidence_id
                    else f"#recit-{link.narrative_id}"
                ),
                verdict_url=urls.verdict(link.pk),
                my_verdict=verdict,
                my_verdict_label=LinkVerdict(verdict).label if verdict else "",
                my_reason=reason,
                my_verdict_at=updated_at,
                others_shown=show_others,
                others_accepted=accepted[link.pk],
                others_rejected=rejected[link.pk],
                form_reason=reason,
            )
        )
    return by_competence


def _evidence_rows(dossier, passages, urls) -> tuple[EvidenceRow, ...]:
    on_piece = defaultdict(int)
    for passage in passages:
        if passage.kind != PassageKind.NARRATIVE:
            on_piece[passage.evidence_id] += 1
    rows = []
    for item in Evidence.objects.current().filter(dossier=dossier).order_by("uploaded_at"):
        # A handful of pages are listed; a long piece is read from its first page on.
        shown = item.page_count if item.page_count <= PAGES_LISTED else 1
        rows.append(
            EvidenceRow(
                evidence=item,
                passage_count=on_piece[item.pk],
                page_urls=tuple((n, urls.page(item.pk, n)) for n in range(1, shown + 1)),
            )
        )
    return tuple(rows)


def dossier_page(assignment, *, viewer) -> DossierPage:
    """Everything the dossier page shows to ``viewer`` (the assignment's evaluator), in a
    fixed number of queries; the other evaluators' work only once ``viewer`` may see it."""
    show_others = permissions.can_see_others_work(viewer, assignment)
    candidacy = assignment.candidacy
    dossier = dossier_for(candidacy)
    blocs, criteria = structure(candidacy)
    activities = [a for bloc in blocs for a in bloc.activities.all()]
    urls = AssignmentUrls(assignment)

    # The récits of the targeted activités.
    narrative_rows = tuple(
        Narrative.objects.filter(
            dossier=dossier, activity_id__in=[a.pk for a in activities]
        ).select_related("activity")
    )
    narratives = {n.pk: n for n in narrative_rows}

    def quoted_text(link):
        if link.kind == PassageKind.NARRATIVE and link.narrative_id in narratives:
            return narratives[link.narrative_id].text
        return None

    links = tuple(
        my_passages(assignment, criteria, urls, narratives=narratives, raw_text=quoted_text)
    )
    others = other_link_counts(assignment) if show_others else {}
    candidate_links = _candidate_links(
        dossier, assignment, narratives, urls, show_others=show_others
    )
    no_evidence = dict(
        NoEvidenceReason.objects.filter(dossier=dossier).values_list("competence_id", "reason")
    )
    evidence = _evidence_rows(dossier, links, urls)
    competence_ids = [c.pk for a in activities for c in a.competences.all()]
    rated_count = CompetenceRating.objects.filter(
        assignment=assignment, competence_id__in=competence_ids
    ).count()

    passages_by_criterion = defaultdict(list)
    highlighted = defaultdict(list)
    for link in links:
        for criterion_id in link.criterion_ids:
            passages_by_criterion[criterion_id].append(link)
        if link.kind == PassageKind.NARRATIVE and not link.stale:
            highlighted[link.narrative_id].append(link)
    by_activity = {}
    for narrative in narrative_rows:
        by_activity[narrative.activity_id] = NarrativeView(
            narrative,
            tuple(segments(SelectableText(narrative.text), highlighted[narrative.pk])),
        )

    bloc_blocks = []
    for bloc in blocs:
        competence_blocks, bloc_activities = [], []
        for activity in bloc.activities.all():
            bloc_activities.append(ActivityBlock(activity, by_activity.get(activity.pk)))
            for competence in activity.competences.all():
                rows = tuple(
                    CriterionRow(
                        c,
                        tuple(passages_by_criterion[c.pk]),
                        others.get(c.pk, 0) if show_others else None,
                    )
                    for c in competence.criteria.all()
                )
                competence_blocks.append(
                    CompetenceBlock(
                        competence,
                        rows,
                        tuple(candidate_links[competence.pk]),
                        no_evidence.get(competence.pk, ""),
                    )
                )
        bloc_blocks.append(BlocBlock(bloc, tuple(bloc_activities), tuple(competence_blocks)))

    return DossierPage(
        assignment=assignment,
        dossier=dossier,
        blocs=tuple(bloc_blocks),
        referentiel_blocs=blocs,
        narratives=narrative_rows,
        evidence=evidence,
        links=links,
        rated_count=rated_count,
        criteria=criteria,
        others_shown=show_others,
    )


def narratives_of(dossier) -> list:
    return list(
        Narrative.objects.filter(dossier=dossier)
        .select_related("activity__bloc")
        .order_by("activity__bloc__sort_order", "activity__sort_order")
    )


def current_evidence(dossier) -> list:
    return list(Evidence.objects.current().filter(dossier=dossier).order_by("uploaded_at"))


# -- what the page shows, as one version ------------------------------------------------


def _summary(queryset, group: str, **aggregates) -> dict:
    """Scalar subqueries of aggregates over ``queryset`` (rows of one group), by name."""
    rows = queryset.order_by().values(group)
    return {
        name: Subquery(rows.annotate(value=aggregate).values("value")[:1])
        for name, aggregate in aggregates.items()
    }


def _version_query(assignment_id: int):
    """Everything the dossier page shows that can change beyond the assignment and the
    candidacy, summed up in one row: the evaluator's passages, verdicts and ratings, the
    other active evaluators' (shown once the grid is in), the dossier's récits, current
    pieces (with their text's status), the candidate's links and reasons, and the
    référentiel version's content."""
    mine = {"assignment_id": OuterRef("pk")}
    dossier = {"dossier__candidacy_id": OuterRef("candidacy_id")}
    others = {
        "candidacy_id": OuterRef("candidacy_id"),
        "status": AssignmentStatus.ACTIVE,
    }
    through = CriterionLink.criteria.through
    evidence = Evidence.objects.current().filter(**dossier)
    summaries = {
        **_summary(
            through.objects.filter(criterionlink__assignment_id=OuterRef("pk")),
            "criterionlink__assignment_id",
            my_criteria=Count("pk"),
            my_last_criterion=Max("pk"),
        ),
        **_summary(
            CandidateLinkReview.objects.filter(**mine),
            "assignment_id",
            my_verdicts=Count("pk"),
            my_last_verdict=Max("updated_at"),
        ),
        **_summary(
            CompetenceRating.objects.filter(**mine),
            "assignment_id",
            my_ratings=Count("pk"),
            my_last_rating=Max("updated_at"),
        ),
        **_summary(
            through.objects.filter(
                **{f"criterionlink__assignment__{k}": v for k, v in others.items()}
            ).exclude(criterionlink__assignment_id=OuterRef("pk")),
            "criterionlink__assignment__candidacy_id",
            other_criteria=Count("pk"),
            other_last_criterion=Max("pk"),
        ),
        **_summary(
            CandidateLinkReview.objects.filter(
                **{f"assignment__{k}": v for k, v in others.items()}
            ).exclude(assignment_id=OuterRef("pk")),
            "assignment__candidacy_id",
            other_verdicts=Count("pk"),
            other_last_verdict=Max("updated_at"),
        ),
        **_summary(
            Narrative.objects.filter(**dossier),
            "dossier_id",
            narratives=Count("pk"),
            narrative_versions=Sum("version"),
            last_narrative=Max("updated_at"),
        ),
        **_summary(
            evidence,
            "dossier_id",
            pieces=Count("pk"),
            last_piece=Max("pk"),
            pages=Sum("page_count"),
            texts_ready=Count("pk", filter=Q(extraction_status=ExtractionStatus.READY)),
            texts_failed=Count("pk", filter=Q(extraction_status=ExtractionStatus.FAILED)),
            texts_running=Count("pk", filter=Q(extraction_status=ExtractionStatus.RUNNING)),
        ),
        **_summary(
            CompetenceLink.objects.filter(**dossier),
            "dossier_id",
            candidate_links=Count("pk"),
            last_candidate_link=Max("pk"),
        ),
        **_summary(
            NoEvidenceReason.objects.filter(**dossier),
            "dossier_id",
            reasons=Count("pk"),
            last_reason=Max("updated_at"),
        ),
    }
    return (
        Assignment.objects.filter(pk=assignment_id)
        .annotate(**summaries)
        .values_list("candidacy__certification__content_hash", *summaries)
    )


_version = PreparedQuery(_version_query)


def _fields(instance) -> list:
    return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]


def dossier_page_version(assignment) -> str:
    """A short token that changes whenever anything ``dossier_page`` shows changes: the
    key under which the rendered page may be kept. The assignment and its candidacy as
    loaded by the request (their seat, due date, grid, state), the rest in one query."""
    (row,) = _version(assignment.pk)
    state = (_fields(assignment), _fields(assignment.candidacy), row)
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]
