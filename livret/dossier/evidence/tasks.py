"""Background work of livret 2: the text of each evidence page, for review and search.

Queued after an upload is committed (``services.upload_evidence``); re-run with
``manage.py extract_evidence``. Running it again on the same piece replaces its pages.

The file is read in the box (``box``): a child process killed past the time and memory
limits, so that one hostile file can neither hold the worker nor exhaust its memory, and
the piece always ends ready or failed, never « en cours ». With the immediate backend of
development, the upload request itself goes through the same box, and always answers.
"""

import contextlib
import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django_tasks import task

from livret.dossier.evidence import box, extraction, overruns, refusals
from livret.dossier.evidence.text import join_parts, read_page_part
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
    if evidence.content_type != FileType.PDF:
        # A scan: one page without text. Reading text in images (OCR) is out of scope.
        return extraction.record_pages(evidence.pk, [""], [])
    limits = box.BoxLimits.for_extraction()
    try:
        with _local_copy(evidence.file) as path:
            parts = _parts(path)
            shares = box.run_all(
                read_page_part, [(path, part, parts) for part in range(parts)], limits=limits
            )
            texts, failures = join_parts(shares)
    except box.BoxFailure as failure:
        overruns.record(
            user_id=evidence.uploaded_by_id,
            stage=overruns.Stage.EXTRACTION,
            failure=failure,
            sha256=evidence.sha256,
            what=f"evidence {evidence.pk}",
        )
        reason = refusals.too_complex_text(failure.kind, limits.seconds)
        return extraction.record_unreadable(evidence.pk, reason)
    except OSError as exc:
        logger.warning("Evidence %s could not be read: %r", evidence.pk, exc)
        return extraction.record_unreadable(evidence.pk, extraction.missing_file_text())
    if failures:
        # Once per piece, whatever the number of pages that failed.
        number, detail = failures[0]
        logger.warning(
            "Evidence %s: %s page(s) unreadable, first page %s: %s",
            evidence.pk,
            len(failures),
            number,
            detail,
        )
    return extraction.record_pages(evidence.pk, texts, failures)


# Below this size a PDF is read by one box: forking a second one would cost more than it
# saves (a payslip, a contract: a few pages). The 300-page real-text benchmark file weighs
# 1.1 MB.
PARALLEL_FROM_BYTES = 256 * 1024


def _parts(path: Path) -> int:
    """How many boxes read the file at ``path`` at once."""
    if path.stat().st_size < PARALLEL_FROM_BYTES:
        return 1
    return max(1, settings.VAE_EVIDENCE_EXTRACT_PROCESSES)


@contextlib.contextmanager
def _local_copy(field_file):
    """The path of the file on this disk: PDFium in the box reads it by itself. A file in
    a remote storage (object storage) is copied to a temporary file first: the child gets
    a path, never a connection of the parent's."""
    if local_root(field_file.storage) is not None:
        path = Path(field_file.path)
        if not path.is_file():
            raise FileNotFoundError(path)
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="evidence-", suffix=".pdf") as copy:
        with field_file.open("rb") as stream:
            shutil.copyfileobj(stream, copy, length=1024 * 1024)
        copy.flush()
        yield Path(copy.name)


@task()
def extract_evidence_text(evidence_id: int) -> str:
    """Read the text of each page of an evidence file into ``EvidencePage`` rows."""
    return extract(evidence_id)
