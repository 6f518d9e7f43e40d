"""One page of an evidence piece: the page, its extracted text and where to view it
(``read_page``, what every reader of a dossier sees, the jury included), and for the
evaluator the text to select passages in, with their passages on it (``evidence_page``)."""

from dataclasses import dataclass, fields

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
from vae import text_marks


@dataclass(frozen=True)
class PageReading:
    """A page of a piece as any reader sees it: its number, its text, its file."""

    evidence: Evidence
    number: int
    text: SelectableText
    file_url: str | None
    # Shown in the browser (a PDF without JavaScript, an image), or only downloaded.
    inline: bool
    # The words of the search the reader came from, and where they are in ``text``.
    terms: str
    found: tuple[tuple[int, int], ...]

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

    @property
    def plain_segments(self) -> list[Segment]:
        """The text with no passage marked (a reader who links none), the searched words
        highlighted."""
        return segments(self.text, [], self.found)


@dataclass(frozen=True)
class EvidencePageView(PageReading):
    """The evaluator's page: the reading, and their passages on it to mark and list."""

    segments: tuple[Segment, ...]
    links: tuple[Passage, ...]
    page_links: tuple[Passage, ...]
    blocs: list
    criteria: dict


def current_piece(candidacy_id, evidence_pk):
    """A current piece (neither withdrawn nor replaced) of the candidacy's dossier, or
    None: a reader never opens a piece the candidate took back."""
    return (
        Evidence.objects.current()
        .filter(pk=evidence_pk, dossier__candidacy_id=candidacy_id)
        .select_related("dossier")
        .first()
    )


def evidence_of(assignment, evidence_pk):
    """A current piece of the assignment's dossier, or None. (A submitted dossier's
    pieces are frozen, and no link can be made before submission: links never point at
    a withdrawn or replaced piece.)"""
    return current_piece(assignment.candidacy_id, evidence_pk)


def page_text(evidence, number) -> SelectableText:
    return SelectableText(
        EvidencePage.objects.filter(evidence=evidence, number=number)
        .values_list("text", flat=True)
        .first()
        or ""
    )


def read_page(candidacy, evidence, number, *, terms: str = "") -> PageReading:
    """Page ``number`` of a piece of ``candidacy``'s dossier, with its extracted text (one
    query, whatever the piece's length) and the searched ``terms`` found in it."""
    text = page_text(evidence, number)
    return PageReading(
        evidence=evidence,
        number=number,
        text=text,
        file_url=evidence_file_url(candidacy, evidence),
        inline=can_show_inline(evidence),
        terms=terms,
        found=tuple(text_marks.find(text.text, terms)),
    )


def evidence_page(assignment, evidence, number, *, terms: str = "") -> EvidencePageView:
    """One page of a piece with its extracted text and this evaluator's passages on it."""
    reading = read_page(assignment.candidacy, evidence, number, terms=terms)
    raw = reading.text.raw
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
        **{field.name: getattr(reading, field.name) for field in fields(PageReading)},
        segments=tuple(segments(reading.text, excerpts, reading.found)),
        links=links,
        page_links=tuple(link for link in links if link.kind == PassageKind.PAGE),
        blocs=blocs,
        criteria=criteria,
    )
