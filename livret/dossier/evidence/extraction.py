"""The stored result of reading an evidence file's text: the piece's extraction status and
its pages (``EvidencePage``), which the evaluators select passages from and search indexes.

The one place that writes the pages' text: ``record_pages`` replaces all the pages of a
piece at once and, once committed, announces it (``livret.signals.evidence_text_extracted``).
The reading itself is ``text.read_page_texts`` (in the ``box``), its scheduling ``tasks``.
What is stored as a reason is French for the candidate, never a library's message.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from livret import signals
from livret.dossier.models import Evidence, EvidencePage
from livret.enums import ExtractionStatus
from referentiel.french import plural

# Pages inserted per query: bounded whatever the page count (up to the page limit).
BATCH_SIZE = 100

# Returned instead of a status when the piece was deleted before its text was stored.
MISSING = "missing"


def mark_running(evidence_id: int) -> None:
    Evidence.objects.filter(pk=evidence_id).update(
        extraction_status=ExtractionStatus.RUNNING, extraction_error=""
    )


def missing_file_text() -> str:
    return _(
        "Le fichier n'a pas pu être lu : il est introuvable sur le serveur. Déposez-le de "
        "nouveau ; si le problème persiste, signalez-le au certificateur."
    )


def record_unreadable(evidence_id: int, reason: str) -> str:
    """The file could not be read at all (``reason``, in French): failed, its earlier
    pages (if any) kept."""
    Evidence.objects.filter(pk=evidence_id).update(
        extraction_status=ExtractionStatus.FAILED,
        extraction_error=reason,
        extracted_at=timezone.now(),
    )
    return str(ExtractionStatus.FAILED)


def failures_text(failures: list[tuple[int, str]]) -> str:
    """Which pages could not be read, as the candidate reads it: the first one named, and
    what to do. The technical reasons (second of each pair) are for the log only."""
    number, _detail = failures[0]
    text = _("Le texte de la page %(page)s n'a pas pu être lu") % {"page": number}
    if len(failures) > 1:
        text += f" (et {plural(len(failures) - 1, 'autre page', 'autres pages')})"
    return text + _(
        " : les autres pages restent lisibles par les évaluateurs. Si ce texte compte, "
        "enregistrez le document de nouveau au format PDF (« Imprimer » puis « Enregistrer "
        "au format PDF ») ou numérisez-le, puis déposez la nouvelle version."
    )


def record_pages(evidence_id: int, texts: list[str], failures: list[tuple[int, str]]) -> str:
    """Replace the pages of the piece with ``texts`` (page 1 first); ready, or failed when
    some pages could not be read (``failures``). Returns the status, or ``MISSING``.
    """
    status = ExtractionStatus.FAILED if failures else ExtractionStatus.READY
    reason = failures_text(failures) if failures else ""
    # One short transaction, not one held open while the file is read: the pages are
    # replaced all at once, so a re-run never leaves a mix of old and new pages.
    with transaction.atomic():
        if not Evidence.objects.filter(pk=evidence_id).exists():
            return MISSING
        EvidencePage.objects.filter(evidence_id=evidence_id).delete()
        EvidencePage.objects.bulk_create(
            (
                EvidencePage(evidence_id=evidence_id, number=number, text=text)
                for number, text in enumerate(texts, start=1)
            ),
            batch_size=BATCH_SIZE,
        )
        Evidence.objects.filter(pk=evidence_id).update(
            extraction_status=status,
            extraction_error=reason,
            extracted_at=timezone.now(),
            text_pages=sum(1 for text in texts if text) if texts else None,
        )
        signals.send_on_commit(
            signals.evidence_text_extracted, sender=Evidence, evidence_id=evidence_id
        )
    return str(status)
