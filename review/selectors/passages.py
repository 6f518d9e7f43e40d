"""An evaluator's passages (``CriterionLink``) as their pages show them, and what every
page of the dossier shares: the targeted criteria and the URLs of the passages.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from review.enums import AssignmentStatus, PassageKind
from review.models import CriterionLink
from review.selectors.text import is_stale


def link_attribute(name: str) -> property:
    """A read-only attribute of a row's ``link``, for the view objects that wrap one
    passage or candidate link (the templates read ``row.pk``, ``row.evidence``…)."""
    return property(lambda row: getattr(row.link, name))


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


class AssignmentUrls:
    """The URLs of one evaluator's dossier pages, for many rows at once."""

    def __init__(self, assignment):
        self.page = UrlFiller("review:evidence_page", assignment.pk, holes=2)
        self.delete = UrlFiller("review:link_delete", assignment.pk)
        self.verdict = UrlFiller("review:candidate_link_verdict", assignment.pk)


def evidence_file_url(candidacy, evidence) -> str:
    """The permission-checked file view of livret."""
    return reverse("livret:evidence_file", args=[candidacy.pk, evidence.pk])


@dataclass(frozen=True)
class Passage:
    """One of the evaluator's passages, numbered (« passage n° 3 ») in the order they
    were made, with its criteria (already loaded with the référentiel)."""

    link: CriterionLink
    number: int
    criteria: tuple
    read_url: str
    delete_url: str
    # The offsets no longer point at the quoted words: listed, not highlighted.
    stale: bool = False
    # The récit quoted, with its activité (narrative passages).
    narrative: object = None

    pk = link_attribute("pk")
    kind = link_attribute("kind")
    narrative_id = link_attribute("narrative_id")
    evidence_id = link_attribute("evidence_id")
    evidence = link_attribute("evidence")
    page = link_attribute("page")
    start = link_attribute("start")
    end = link_attribute("end")
    quote = link_attribute("quote")
    comment = link_attribute("comment")

    @property
    def criterion_ids(self) -> list[int]:
        return [criterion.pk for criterion in self.criteria]


def my_passages(
    assignment,
    criteria: dict,
    urls: AssignmentUrls,
    *,
    narratives: dict | None = None,
    keep: Callable[[CriterionLink], bool] = lambda link: True,
    raw_text: Callable[[CriterionLink], str | None] = lambda link: None,
) -> list[Passage]:
    """This evaluator's passages that ``keep`` retains, numbered over all of them.

    ``narratives`` (by pk) are the récits already loaded; ``raw_text(link)`` the stored
    text a passage quotes, when the page holds it (None: not checked for staleness).
    Two queries, whatever the number of passages and criteria.
    """
    through = CriterionLink.criteria.through
    criterion_ids = defaultdict(list)
    for link_id, criterion_id in (
        through.objects.filter(criterionlink__assignment=assignment)
        .order_by("pk")
        .values_list("criterionlink_id", "criterion_id")
    ):
        criterion_ids[link_id].append(criterion_id)
    links = (
        CriterionLink.objects.filter(assignment=assignment)
        .select_related("evidence")
        .order_by("created_at", "pk")
    )
    passages = []
    for number, link in enumerate(links, start=1):
        if not keep(link):
            continue
        narrative = None
        if link.narrative_id:
            narrative = (narratives or {}).get(link.narrative_id) or link.narrative
        raw = raw_text(link)
        passages.append(
            Passage(
                link=link,
                number=number,
                criteria=tuple(criteria[i] for i in criterion_ids[link.pk] if i in criteria),
                read_url=(
                    f"#recit-{link.narrative_id}"
                    if link.kind == PassageKind.NARRATIVE
                    else urls.page(link.evidence_id, link.page)
                ),
                delete_url=urls.delete(link.pk),
                stale=raw is not None and is_stale(link.start, link.end, link.quote, raw),
                narrative=narrative,
            )
        )
    return passages


def other_link_counts(assignment) -> dict[int, int]:
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


def passage_counts(assignment) -> dict[int, int]:
    """Criterion id -> how many passages this evaluator tied to it."""
    through = CriterionLink.criteria.through
    return dict(
        through.objects.filter(criterionlink__assignment=assignment)
        .order_by()
        .values("criterion_id")
        .annotate(n=Count("pk"))
        .values_list("criterion_id", "n")
    )
