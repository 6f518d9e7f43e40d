"""The rendering of a generated document, in a task (immediate in dev and tests, the
database worker in production).

The task renders the version it was queued for: when the row has moved on (the content
changed and a newer rendering was queued), its result is thrown away rather than stored
over the newer one.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from vae.documents.registry import document_type
from vae.enums import DocumentStatus
from vae.models import GeneratedDocument

logger = logging.getLogger(__name__)

STALE = "stale"
FAILURE_MESSAGE = "La création du PDF n'a pas abouti."


def generate(document_id: int, version: str) -> str:
    """Render, hash and store one document; returns its final status (or ``"stale"``)."""
    document = GeneratedDocument.objects.select_related("candidacy").filter(pk=document_id).first()
    if document is None or document.version != version:
        return STALE
    if document.is_ready:
        # A duplicate of a task that already did the work.
        return DocumentStatus.READY
    queued = GeneratedDocument.objects.filter(pk=document.pk, version=version)
    queued.update(status=DocumentStatus.RUNNING)
    try:
        content = document_type(document.kind).render(document)
    except Exception:
        logger.exception("Document %s (%s %s) failed", document.pk, document.kind, document.key)
        failed = queued.update(
            status=DocumentStatus.FAILED, error=_(FAILURE_MESSAGE), finished_at=timezone.now()
        )
        if failed:
            _finished(document.pk)
        return DocumentStatus.FAILED
    digest = hashlib.sha256(content).hexdigest()
    field = document.file.field
    name = field.generate_filename(document, f"{document.kind}-{document.key}-{digest[:16]}.pdf")
    name = field.storage.save(name, ContentFile(content))
    with transaction.atomic():
        # Read under lock: another task for the same version may have stored its file.
        previous = queued.select_for_update().values_list("file", flat=True).first()
        stored = queued.update(
            status=DocumentStatus.READY,
            error="",
            file=name,
            sha256=digest,
            size=len(content),
            finished_at=timezone.now(),
        )
    if not stored:
        field.storage.delete(name)
        return STALE
    if previous and previous != name:
        field.storage.delete(previous)
    _finished(document.pk)
    return DocumentStatus.READY


def _finished(document_id: int) -> None:
    """Tell the owning app, with the row as stored, that the document is final. A
    duplicate task may tell it twice: the owner's handler must be idempotent."""
    document = GeneratedDocument.objects.select_related("candidacy").get(pk=document_id)
    on_finished = document_type(document.kind).on_finished
    if on_finished is not None:
        on_finished(document)


@task()
def generate_document(document_id: int, version: str) -> str:
    """Render one ``GeneratedDocument`` and store it with its SHA-256."""
    return generate(document_id, version)
