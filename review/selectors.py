"""Reads of the evaluator's pages: the workspace list, the dossier page, an evidence page.

Each read runs a fixed number of queries whatever the size of the dossier (26
compétences, 106 criteria, dozens of evidence files, hundreds of links): evaluators open
the dossier page again after every link they add, so it must not slow down as the
review fills up.

Texts offered for passage selection are prepared here too (``SelectableText``): the
browser computes offsets over the text it holds, which is not always the stored text
(HTML turns CR LF into LF, drops NUL), so both directions of that mapping live in one place.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from livret.dossier.evidence.presentation import can_show_inline
from livret.dossier.services import dossier_for
from livret.models import CompetenceLink, Evidence, EvidencePage, Narrative, NoEvidenceReason
from referentiel.models import Competence
from review import permissions, queries
from review.enums import HOLDING_STATUSES, AssignmentStatus, LinkVerdict, PassageKind
from review.models import Assignment, CandidateLinkReview, CompetenceRating, CriterionLink

# -- the workspace --------------------------------------------------------------------------


def workspace_assignments(user) -> list[Assignment]:
    """The user's seats on panels still held, soonest due first, with their progress.

    Each assignment carries ``links_count`` (its criterion links), ``rated_count`` (its
    rated compétences), ``competence_total`` (compétences of the targeted blocs),
    ``all_grids_in`` (``services.all_grids_submitted`` of its candidacy, read in the same
    query) and ``is_late`` (due date passed, grid not submitted).
    """
    competence_total = (
        Competence.objects.filter(activity__bloc__candidacies=OuterRef("candidacy_id"))
        .order_by()
        .values("activity__bloc__candidacies")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Subqueries rather than two Counts over joins: two joined Counts multiply each other.
    links = (
        CriterionLink.objects.filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ratings = (
        CompetenceRating.objects.filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assignments = list(
        Assignment.objects.filter(evaluator=user, status__in=HOLDING_STATUSES)
        .select_related("candidacy")
        .annotate(
            links_count=Coalesce(Subquery(links, output_field=IntegerField()), 0),
            rated_count=Coalesce(Subquery(ratings, output_field=IntegerField()), 0),
            competence_total=Coalesce(Subquery(competence_total, output_field=IntegerField()), 0),
            all_grids_in=ExpressionWrapper(
                queries.all_grids_in(
                    candidacy="candidacy_id", certification="candidacy__certification_id"
                ),
                output_field=BooleanField(),
            ),
        )
        .order_by("grid_submitted_at", "due_date", "assigned_at", "pk")
    )
    today = timezone.localdate()
    for assignment in assignments:
        assignment.is_late = bool(
            assignment.due_date and assignment.due_date < today and not assignment.grid_submitted
        )
    return assignments


# -- texts offered for selection ------------------------------------------------------------


class SelectableText:
    """A stored text as the browser's DOM holds it, and the mapping between both offsets.

    Offsets from the browser (``display``) count code points of ``text``; stored links
    count code points of ``raw``. They differ only where HTML parsing changes the text.
    """

    def __init__(self, raw: str):
        self.raw = raw or ""
        if "\r" not in self.raw and "\x00" not in self.raw:
            self.text = self.raw
            self._to_raw = None
            return
        out, to_raw, i = [], [], 0
        while i < len(self.raw):
            char = self.raw[i]
            if char == "\x00":
                i += 1
                continue
            to_raw.append(i)
            if char == "\r":
                out.append("\n")
                i += 2 if self.raw[i + 1 : i + 2] == "\n" else 1
            else:
                out.append(char)
                i += 1
        to_raw.append(len(self.raw))
        self.text = "".join(out)
        self._to_raw = to_raw

    def __len__(self):
        return len(self.text)

    def raw_offset(self, display: int) -> int:
        return display if self._to_raw is None else self._to_raw[display]

    def display_offset(self, raw: int) -> int:
        return raw if self._to_raw is None else bisect_left(self._to_raw, raw)


@dataclass(frozen=True)
class Segment:
    text: str
    # Numbers of this evaluator's passages covering the segment (empty: not marked).
    passages: tuple = ()


def segments(text: SelectableText, links) -> list[Segment]:
    """Split ``text`` at the links' offsets so that marked parts become ``<mark>`` and the
    concatenation of all segments is exactly the text the browser counts over."""
    ranges = []
    for link in links:
        start, end = text.display_offset(link.start), text.display_offset(link.end)
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        if start < end:
            ranges.append((start, end, link.number))
    if not ranges:
        return [Segment(text.text)] if text.text else []
    bounds = sorted({0, len(text)} | {r[0] for r in ranges} | {r[1] for r in ranges})
    result = []
    for a, b in pairwise(bounds):
        covering = tuple(number for start, end, number in ranges if start <= a and b <= end)
        result.append(Segment(text.text[a:b], covering))
    return result


def _mark_stale(link, raw: str) -> bool:
    """The text changed after the link was made (a dossier returned and edited): its
    offsets no longer point at the quoted words, so it is listed but not highlighted."""
    link.stale = raw[link.start : link.end] != link.quote
    return link.stale


# -- evidence -----------------------------------------------------------------------------


def evidence_file_url(candidacy, evidence) -> str:
    """The permission-checked file view of livret."""
    return reverse("livret:evidence_file", args=[candidacy.pk, evidence.pk])


# -- the dossier page -----------------------------------------------------------------------

# Pieces with up to this many pages get a link per page in the evidence list.
PAGES_LISTED = 12


@dataclass
class CriterionRow:
    criterion: object
    passages: list = field(default_factory=list)
    # The other evaluators' links to the criterion; None while the review is blind.
    others: int | None = None


@dataclass
class CompetenceBlock:
    competence: object
    criteria: list
    candidate_links: list = field(default_factory=list)
    no_evidence_reason: str = ""

    @property
    def uncovered(self) -> int:
        return sum(not row.passages for row in self.criteria)


@dataclass
class BlocBlock:
    bloc: object
    activities: list
    competences: list

    @property
    def criteria_count(self) -> int:
        return sum(len(block.criteria) for block in self.competences)

    @property
    def uncovered(self) -> int:
        return sum(block.uncovered for block in self.competences)


@dataclass
class DossierPage:
    assignment: object
    dossier: object
    blocs: list
    # The targeted blocs as loaded (activités → compétences → criteria prefetched).
    referentiel_blocs: list
    narratives: dict
    evidence: list
    links: list
    rated_count: int
    criteria: dict
    # Whether the other evaluators' counts were read (``permissions.can_see_others_work``).
    others_shown: bool = False

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


def structure(candidacy):
    """The targeted blocs, and every criterion of them by id (the only ones linkable)."""
    blocs = candidacy.referentiel_tree()
    criteria = {
        criterion.pk: criterion
        for bloc in blocs
        for activity in bloc.activities.all()
        for competence in activity.competences.all()
        for criterion in competence.criteria.all()
    }
    return blocs, criteria


class UrlFiller:
    """``reverse()`` once with placeholder ids, then fill in the real ones.

    A big dossier page holds several hundred links (pages, passages, verdict forms);
    resolving each one through the URL resolver took a fifth of its render time.
    """

    PLACEHOLDERS = (987654301, 987654302)

    def __init__(self, name, *fixed, holes=1):
        url = reverse(name, args=[*fixed, *self.PLACEHOLDERS[:holes]])
        for index, placeholder in enumerate(self.PLACEHOLDERS[:holes]):
            url = url.replace(str(placeholder), f"{{{index}}}")
        self.pattern = url

    def __call__(self, *ids) -> str:
        return self.pattern.format(*ids)


def _my_links(assignment, *, narratives=None) -> list:
    """This evaluator's links, numbered (« passage n° 3 ») in the order they were made,
    with ``criterion_ids``. Criteria come as ids (no model rows: they are already loaded
    with the référentiel), récits from ``narratives`` (by pk) when given."""
    through = CriterionLink.criteria.through
    criterion_ids = defaultdict(list)
    for link_id, criterion_id in (
        through.objects.filter(criterionlink__assignment=assignment)
        .order_by("pk")
        .values_list("criterionlink_id", "criterion_id")
    ):
        criterion_ids[link_id].append(criterion_id)
    links = list(
        CriterionLink.objects.filter(assignment=assignment)
        .select_related("evidence")
        .order_by("created_at", "pk")
    )
    for number, link in enumerate(links, start=1):
        link.number = number
        link.criterion_ids = criterion_ids[link.pk]
        link.stale = False
        if narratives and link.narrative_id in narratives:
            link.narrative = narratives[link.narrative_id]
    return links


def _other_link_counts(assignment) -> dict:
    """Criterion id -> how many links the other active evaluators tied to it. Read only
    once the viewer's grid is in: a count tells where the others found evidence."""
    through = CriterionLink.criteria.through
    return dict(
        through.objects.filter(
            criterionlink__assignment__candidacy_id=assignment.candidacy_id,
            criterionlink__assignment__status=AssignmentStatus.ACTIVE,
        )
        .exclude(criterionlink__assignment_id=assignment.pk)
        .values_list("criterion_id")
        .annotate(n=Count("criterionlink_id"))
    )


def _candidate_links(
    dossier, assignment, narratives, page_url, verdict_url, *, show_others
) -> dict:
    """Competence id -> the candidate's links, each with this evaluator's verdict and —
    when ``show_others`` (their grid is submitted) — the other evaluators' verdicts as
    counts.

    Before that the others' verdicts are not even read: like ratings, the others' opinions
    of the evidence must not steer a blind review."""
    links = list(
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
        if link.narrative_id in narratives:
            link.narrative = narratives[link.narrative_id]
        link.read_url = (
            page_url(link.evidence_id, link.page_from or 1)
            if link.evidence_id
            else f"#recit-{link.narrative_id}"
        )
        link.verdict_url = verdict_url(link.pk)
        verdict, reason, updated_at = mine.get(link.pk, ("", "", None))
        link.my_verdict = verdict
        link.my_verdict_label = LinkVerdict(verdict).label if verdict else ""
        link.my_reason = reason
        link.my_verdict_at = updated_at
        link.others_shown = show_others
        link.others_accepted = accepted[link.pk]
        link.others_rejected = rejected[link.pk]
        # What the verdict form shows; the view puts back what was typed after a refusal.
        link.form, link.form_reason = None, reason
        by_competence[link.competence_id].append(link)
    return by_competence


def _describe_passages(links, criteria, page_url, delete_url):
    for link in links:
        link.criterion_list = [criteria[i] for i in link.criterion_ids if i in criteria]
        link.delete_url = delete_url(link.pk)
        link.read_url = (
            f"#recit-{link.narrative_id}"
            if link.kind == PassageKind.NARRATIVE
            else page_url(link.evidence_id, link.page)
        )


def dossier_page(assignment, *, viewer) -> DossierPage:
    """Everything the dossier page shows to ``viewer`` (the assignment's evaluator), in a
    fixed number of queries; the other evaluators' work only once ``viewer`` may see it."""
    show_others = permissions.can_see_others_work(viewer, assignment)
    candidacy = assignment.candidacy
    dossier = dossier_for(candidacy)
    blocs, criteria = structure(candidacy)
    activities = {a.pk: a for bloc in blocs for a in bloc.activities.all()}
    page_url = UrlFiller("review:evidence_page", assignment.pk, holes=2)
    delete_url = UrlFiller("review:link_delete", assignment.pk)
    verdict_url = UrlFiller("review:candidate_link_verdict", assignment.pk)

    # The récits of the targeted activités; their activité is the one already loaded.
    narrative_rows = list(Narrative.objects.filter(dossier=dossier, activity_id__in=activities))
    for narrative in narrative_rows:
        narrative.activity = activities[narrative.activity_id]
    narratives_by_pk = {n.pk: n for n in narrative_rows}
    narratives = {n.activity_id: n for n in narrative_rows}

    links = _my_links(assignment, narratives=narratives_by_pk)
    _describe_passages(links, criteria, page_url, delete_url)
    others = _other_link_counts(assignment) if show_others else {}
    candidate_links = _candidate_links(
        dossier, assignment, narratives_by_pk, page_url, verdict_url, show_others=show_others
    )
    no_evidence = dict(
        NoEvidenceReason.objects.filter(dossier=dossier).values_list("competence_id", "reason")
    )
    evidence = list(Evidence.objects.current().filter(dossier=dossier).order_by("uploaded_at"))
    competence_ids = [
        competence.pk
        for activity in activities.values()
        for competence in activity.competences.all()
    ]
    rated_count = CompetenceRating.objects.filter(
        assignment=assignment, competence_id__in=competence_ids
    ).count()

    passages_by_criterion = defaultdict(list)
    links_by_narrative = defaultdict(list)
    links_by_evidence = defaultdict(list)
    for link in links:
        for criterion_id in link.criterion_ids:
            passages_by_criterion[criterion_id].append(link)
        if link.kind == PassageKind.NARRATIVE:
            links_by_narrative[link.narrative_id].append(link)
        else:
            links_by_evidence[link.evidence_id].append(link)

    for narrative in narrative_rows:
        narrative.source = f"narrative:{narrative.pk}"
        narrative.anchor = f"recit-{narrative.pk}"
        narrative.label = _("Récit de l'activité %(code)s") % {"code": narrative.activity.code}
        narrative.selectable = SelectableText(narrative.text)
        fresh = [
            link
            for link in links_by_narrative[narrative.pk]
            if not _mark_stale(link, narrative.text)
        ]
        narrative.segments = segments(narrative.selectable, fresh)
    for item in evidence:
        item.my_links = links_by_evidence[item.pk]
        item.inline = can_show_inline(item)
        # A handful of pages are listed; a long piece is read from its first page on.
        shown = item.page_count if item.page_count <= PAGES_LISTED else 1
        item.page_urls = [(n, page_url(item.pk, n)) for n in range(1, shown + 1)]

    bloc_blocks = []
    for bloc in blocs:
        competence_blocks, bloc_activities = [], []
        for activity in bloc.activities.all():
            activity.narrative = narratives.get(activity.pk)
            bloc_activities.append(activity)
            for competence in activity.competences.all():
                rows = [
                    CriterionRow(
                        c,
                        passages_by_criterion[c.pk],
                        others.get(c.pk, 0) if show_others else None,
                    )
                    for c in competence.criteria.all()
                ]
                competence_blocks.append(
                    CompetenceBlock(
                        competence,
                        rows,
                        candidate_links[competence.pk],
                        no_evidence.get(competence.pk, ""),
                    )
                )
        bloc_blocks.append(BlocBlock(bloc, bloc_activities, competence_blocks))

    return DossierPage(
        assignment=assignment,
        dossier=dossier,
        blocs=bloc_blocks,
        referentiel_blocs=blocs,
        narratives=narratives,
        evidence=evidence,
        links=links,
        rated_count=rated_count,
        criteria=criteria,
        others_shown=show_others,
    )


# -- an evidence page -----------------------------------------------------------------------


@dataclass
class EvidencePageView:
    evidence: object
    number: int
    text: SelectableText
    segments: list
    links: list
    page_links: list
    blocs: list
    criteria: dict
    file_url: str | None

    @property
    def source(self) -> str:
        return f"page:{self.evidence.pk}:{self.number}"

    @property
    def label(self) -> str:
        return _("Texte de la page %(n)d de « %(title)s »") % {
            "n": self.number,
            "title": self.evidence.title,
        }

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.evidence.page_count else None


def evidence_of(assignment, evidence_pk):
    """A current piece of the assignment's dossier, or None. (A submitted dossier's
    pieces are frozen, and no link can be made before submission: links never point at
    a withdrawn or replaced piece.)"""
    return (
        Evidence.objects.current()
        .filter(pk=evidence_pk, dossier__candidacy_id=assignment.candidacy_id)
        .select_related("dossier")
        .first()
    )


def evidence_page(assignment, evidence, number) -> EvidencePageView:
    """One page of a piece with its extracted text and this evaluator's passages on it."""
    page = EvidencePage.objects.filter(evidence=evidence, number=number).first()
    raw = page.text if page else ""
    text = SelectableText(raw)
    blocs, criteria = structure(assignment.candidacy)
    links = [
        link
        for link in _my_links(assignment)
        if link.evidence_id == evidence.pk and link.page == number
    ]
    _describe_passages(
        links,
        criteria,
        UrlFiller("review:evidence_page", assignment.pk, holes=2),
        UrlFiller("review:link_delete", assignment.pk),
    )
    excerpts = [
        link for link in links if link.kind == PassageKind.PAGE_TEXT and not _mark_stale(link, raw)
    ]
    evidence.inline = can_show_inline(evidence)
    return EvidencePageView(
        evidence=evidence,
        number=number,
        text=text,
        segments=segments(text, excerpts),
        links=links,
        page_links=[link for link in links if link.kind == PassageKind.PAGE],
        blocs=blocs,
        criteria=criteria,
        file_url=evidence_file_url(assignment.candidacy, evidence),
    )


def page_text(evidence, number) -> SelectableText:
    return SelectableText(
        EvidencePage.objects.filter(evidence=evidence, number=number)
        .values_list("text", flat=True)
        .first()
        or ""
    )


def current_evidence(dossier) -> list:
    return list(Evidence.objects.current().filter(dossier=dossier).order_by("uploaded_at"))


def narratives_of(dossier) -> list:
    return list(
        Narrative.objects.filter(dossier=dossier)
        .select_related("activity__bloc")
        .order_by("activity__bloc__sort_order", "activity__sort_order")
    )
