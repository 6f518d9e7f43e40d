"""One page of an evidence piece for the evaluator: the page, its extracted text to
select passages in, and their passages on it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from livret.dossier.evidence.presentation import can_show_inline
from livret.models import Evidence, EvidencePage
from review.enums import PassageKind
from review.selectors.passages import (
    AssignmentUrls,
    Passage,
    evidence_file_url,
    my_passages,
    structure,
)
from review.selectors.text import Segment, SelectableText, segments


@dataclass(frozen=True)
class EvidencePageView:
    evidence: Evidence
    number: int
    text: SelectableText
    segments: tuple[Segment, ...]
    links: tuple[Passage, ...]
    page_links: tuple[Passage, ...]
    blocs: list
    criteria: dict
    file_url: str | None
    # Shown in the browser (a PDF without JavaScript, an image), or only downloaded.
    inline: bool

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


def page_text(evidence, number) -> SelectableText:
    return SelectableText(
        EvidencePage.objects.filter(evidence=evidence, number=number)
        .values_list("text", flat=True)
        .first()
        or ""
    )


def evidence_page(assignment, evidence, number) -> EvidencePageView:
    """One page of a piece with its extracted text and this evaluator's passages on it."""
    page = EvidencePage.objects.filter(evidence=evidence, number=number).first()
    raw = page.text if page else ""
    text = SelectableText(raw)
    blocs, criteria = structure(assignment.candidacy)
    links = tuple(
        my_passages(
            assignment,
            criteria,
            AssignmentUrls(assignment),
            keep=lambda link: link.evidence_id == evidence.pk and link.page == number,
            raw_text=lambda link: raw if link.kind == PassageKind.PAGE_TEXT else None,
        )
    )
    excerpts = [link for link in links if link.kind == PassageKind.PAGE_TEXT and not link.stale]
    return EvidencePageView(
        evidence=evidence,
        number=number,
        text=text,
        segments=tuple(segments(text, excerpts)),
        links=links,
        page_links=tuple(link for link in links if link.kind == PassageKind.PAGE),
        blocs=blocs,
        criteria=criteria,
        file_url=evidence_file_url(assignment.candidacy, evidence),
        inline=can_show_inline(evidence),
    )
