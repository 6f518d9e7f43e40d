"""What the evidence pages show about each piece: its extraction status in French, its
size, whether the browser may display it, what replaced it, how many links it has.

Read-only: each piece is wrapped in an ``EvidenceItem``, computed in a fixed number of
queries for a whole dossier (``dossier_evidence``) or for one piece (``describe``).
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from livret.dossier.evidence.refusals import size_text
from livret.dossier.models import CompetenceLink, Evidence
from livret.enums import ExtractionStatus, FileType
from referentiel.french import plural

FINAL_STATUSES = (ExtractionStatus.READY, ExtractionStatus.FAILED)


def can_show_inline(evidence) -> bool:
    """A PDF with JavaScript is only ever downloaded, never displayed by the browser."""
    return evidence.content_type in (FileType.JPEG, FileType.PNG) or (
        evidence.content_type == FileType.PDF and not evidence.has_javascript
    )


def status_text(evidence, text_pages: int | None = None) -> str:
    """The extraction status as the candidate reads it: « Prête (12 pages) »…"""
    status = evidence.extraction_status
    if status == ExtractionStatus.FAILED:
        return _("Échec : %(reason)s") % {"reason": evidence.extraction_error or _("motif inconnu")}
    if status != ExtractionStatus.READY:
        return ExtractionStatus(status).label
    if evidence.content_type != FileType.PDF:
        # No OCR: the text of a scan is not read (out of scope, said on the upload page).
        return _("Prête (image : texte non lu)")
    pages = plural(evidence.page_count, "page")
    if text_pages == 0:
        return _("Prête (%(pages)s, sans texte lisible : document numérisé ?)") % {"pages": pages}
    return _("Prête (%(pages)s)") % {"pages": pages}


@dataclass(frozen=True)
class EvidenceItem:
    """One piece as the evidence pages show it.

    The item reads through to its ``Evidence`` for the row's own fields and methods
    (``item.title``, ``item.get_kind_display``), so that a template names both alike.
    """

    evidence: Evidence
    # Pages with text (stored with the pages: their texts are not read); None when no
    # page was stored yet (nothing known).
    text_pages: int | None
    link_count: int
    status_text: str
    is_final: bool
    inline: bool
    size_text: str
    # The piece that replaced this one, if any.
    replacement: Evidence | None
    # Counts in the dossier: neither withdrawn nor replaced.
    is_current: bool

    @classmethod
    def of(cls, evidence, *, text_pages, link_count) -> "EvidenceItem":
        # The reverse one-to-one raises an AttributeError subclass when there is none.
        replacement = getattr(evidence, "replaced_by", None)
        return cls(
            evidence=evidence,
            text_pages=text_pages,
            link_count=link_count,
            status_text=status_text(evidence, text_pages),
            is_final=evidence.extraction_status in FINAL_STATUSES,
            inline=can_show_inline(evidence),
            size_text=size_text(evidence.size),
            replacement=replacement,
            is_current=evidence.withdrawn_at is None and replacement is None,
        )

    def __getattr__(self, name):
        # Called only for what the item does not define itself. Guarded so that copying
        # or unpickling (before ``evidence`` is set) does not recurse.
        evidence = self.__dict__.get("evidence")
        if evidence is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(evidence, name)


def dossier_evidence(dossier) -> list[EvidenceItem]:
    """Every piece of the dossier in upload order, described, in a fixed number of queries."""
    pieces = list(
        Evidence.objects.filter(dossier=dossier)
        .select_related("replaces", "replaced_by", "first_submission")
        .order_by("uploaded_at", "pk")
    )
    link_counts = dict(
        CompetenceLink.objects.filter(dossier=dossier, evidence__isnull=False)
        .values_list("evidence")
        .annotate(n=Count("pk"))
    )
    return [
        EvidenceItem.of(
            evidence,
            text_pages=evidence.text_pages,
            link_count=link_counts.get(evidence.pk, 0),
        )
        for evidence in pieces
    ]


def describe(evidence) -> EvidenceItem:
    """One piece, described as ``dossier_evidence`` describes a whole dossier."""
    return EvidenceItem.of(
        evidence,
        text_pages=evidence.text_pages,
        link_count=evidence.links.count(),
    )


def extraction_statuses(dossier) -> dict:
    """What the status endpoint returns: per evidence id, its status and label."""
    items = dossier_evidence(dossier)
    return {
        "done": all(item.is_final for item in items),
        "evidence": {
            str(item.pk): {
                "status": item.extraction_status,
                "label": item.status_text,
                "final": item.is_final,
            }
            for item in items
        },
    }


def linked_competences(evidence) -> list:
    """The compétences ``evidence`` is linked to, by code: what deleting or replacing it
    changes."""
    return [
        link.competence
        for link in CompetenceLink.objects.filter(evidence=evidence)
        .select_related("competence")
        .order_by("competence__code", "pk")
    ]
