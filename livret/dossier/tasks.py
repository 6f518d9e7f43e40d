"""Background work of livret 2: the text of each evidence page, for review and search.

Queued after an upload is committed (``livret.evidence.upload_evidence``); re-run with
``manage.py extract_evidence``. Running it again on the same piece replaces its pages.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from livret.enums import ExtractionStatus, FileType
from livret.models import Evidence, EvidencePage

logger = logging.getLogger(__name__)

# Pages inserted per query: bounded whatever the page count (up to the page limit).
BATCH_SIZE = 100
REASON_MAX_CHARS = 300


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:REASON_MAX_CHARS]


def _pdf_texts(evidence) -> tuple[list[str], list[tuple[int, str]]]:
    """The text of every page, and the pages whose text could not be read.

    A page that fails keeps an empty text and the others go on: the readable pages stay
    searchable and selectable by the evaluators instead of being lost with the one bad
    page, while the piece is marked failed with that page named, so that nobody takes its
    text for complete.
    """
    from pypdf import PdfReader

    texts, failures = [], []
    with evidence.file.open("rb") as stream:
        # A file object: pypdf reads what it needs instead of loading the whole file.
        reader = PdfReader(stream, strict=False)
        for number, page in enumerate(reader.pages, start=1):
            try:
                texts.append(page.extract_text() or "")
            except Exception as exc:
                logger.warning("Evidence %s, page %s: %r", evidence.pk, number, exc)
                texts.append("")
                failures.append((number, _reason(exc)))
    return texts, failures


def extract(evidence_id: int) -> str:
    """Extract the text of one piece; returns its final status."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        # Deleted before the worker got to it: nothing to do.
        return "missing"
    Evidence.objects.filter(pk=evidence.pk).update(
        extraction_status=ExtractionStatus.RUNNING, extraction_error=""
    )
    failures = []
    try:
        if evidence.content_type == FileType.PDF:
            texts, failures = _pdf_texts(evidence)
        else:
            # A scan: one page without text. Reading text in images (OCR) is out of scope.
            texts = [""]
    except Exception as exc:
        logger.warning("Evidence %s could not be read: %r", evidence.pk, exc)
        Evidence.objects.filter(pk=evidence.pk).update(
            extraction_status=ExtractionStatus.FAILED,
            extraction_error=_("Le fichier n'a pas pu être lu : %(error)s")
            % {"error": _reason(exc)},
            extracted_at=timezone.now(),
        )
        return str(ExtractionStatus.FAILED)
    if failures:
        number, error = failures[0]
        status = ExtractionStatus.FAILED
        reason = _("Le texte de la page %(page)s n'a pas pu être lu : %(error)s") % {
            "page": number,
            "error": error,
        }
        if len(failures) > 1:
            reason += ngettext(
                " (et %(n)s autre page).", " (et %(n)s autres pages).", len(failures) - 1
            ) % {"n": len(failures) - 1}
    else:
        status, reason = ExtractionStatus.READY, ""
    # One short transaction at the end, not one held open while pypdf works: the pages
    # are replaced all at once, so a re-run never leaves a mix of old and new pages.
    with transaction.atomic():
        if not Evidence.objects.filter(pk=evidence.pk).exists():
            return "missing"
        EvidencePage.objects.filter(evidence=evidence).delete()
        EvidencePage.objects.bulk_create(
            (
                EvidencePage(evidence=evidence, number=number, text=text)
                for number, text in enumerate(texts, start=1)
            ),
            batch_size=BATCH_SIZE,
        )
        Evidence.objects.filter(pk=evidence.pk).update(
            extraction_status=status, extraction_error=reason, extracted_at=timezone.now()
        )
    return str(status)


@task()
def extract_evidence_text(evidence_id: int) -> str:
    """Read the text of each page of an evidence file into ``EvidencePage`` rows."""
    return extract(evidence_id)
