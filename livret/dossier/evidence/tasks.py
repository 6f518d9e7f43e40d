"""Background work of livret 2: the text of each evidence page, for review and search.

Queued after an upload is committed (``services.upload_evidence``); re-run with
``manage.py extract_evidence``. Running it again on the same piece replaces its pages.
"""

import logging

from django_tasks import task

from livret.dossier.evidence import extraction
from livret.dossier.evidence.text import failure_reason, read_page_texts
from livret.dossier.models import Evidence
from livret.enums import FileType
from vae.storage import local_root

logger = logging.getLogger(__name__)


def extract(evidence_id: int) -> str:
    """Extract the text of one piece; returns its final status (or ``"missing"``)."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        # Deleted before the worker got to it: nothing to do.
        return extraction.MISSING
    extraction.mark_running(evidence.pk)
    failures = []
    try:
        if evidence.content_type == FileType.PDF:
            texts, failures = _read_pdf(evidence.file)
        else:
            # A scan: one page without text. Reading text in images (OCR) is out of scope.
            texts = [""]
    except Exception as exc:
        logger.warning("Evidence %s could not be read: %r", evidence.pk, exc)
        return extraction.record_unreadable(evidence.pk, failure_reason(exc))
    for number, reason in failures:
        logger.warning("Evidence %s, page %s: %s", evidence.pk, number, reason)
    return extraction.record_pages(evidence.pk, texts, failures)


def _read_pdf(field_file):
    """PDFium reads a local file itself, page by page; a file in a remote storage (object
    storage) is read through its file object, as PDFium asks for the bytes it needs."""
    if local_root(field_file.storage) is None:
        with field_file.open("rb") as stream:
            return read_page_texts(stream)
    return read_page_texts(field_file.path)


@task()
def extract_evidence_text(evidence_id: int) -> str:
    """Read the text of each page of an evidence file into ``EvidencePage`` rows."""
    return extract(evidence_id)
