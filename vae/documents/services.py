"""Asking for a generated document: the page's side, which never renders anything itself."""

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from vae.documents import tasks
from vae.enums import DocumentKind, DocumentStatus
from vae.models import GeneratedDocument
from vae.models.documents import CURRENT

# A rendering still waiting after this long was lost (a worker stopped mid-task, a queue
# emptied): asking again queues it again. Rendering twice is harmless (see tasks.generate).
LOST_AFTER = datetime.timedelta(minutes=15)


def request_document(
    *, candidacy, kind: DocumentKind, filename: str, key: str = CURRENT, version: str = ""
) -> GeneratedDocument:
    """The document of ``candidacy`` of this ``kind`` and ``key``, queued for rendering
    after the commit when what is stored does not show ``version`` yet.

    A frozen version (any key but « current »: what was sent with a submission) is
    rendered once and never again, except to retry a failure or a lost rendering. The
    current version is rendered again when its ``version`` token (a digest of its content,
    computed by the owning app) differs from the stored one: identical content is never
    rendered twice.
    """
    frozen = key != CURRENT
    with transaction.atomic():
        document, created = GeneratedDocument.objects.select_for_update().get_or_create(
            candidacy=candidacy,
            kind=kind,
            key=key,
            defaults={
                "version": version,
                "frozen": frozen,
                "filename": filename,
                "requested_at": timezone.now(),
            },
        )
        if not created:
            retry = document.status == DocumentStatus.FAILED or (
                not document.is_final and document.requested_at < timezone.now() - LOST_AFTER
            )
            if not retry and (frozen or document.version == version):
                return document
            if not frozen:
                document.version = version
            document.status = DocumentStatus.PENDING
            document.error = ""
            document.filename = filename
            document.requested_at = timezone.now()
            document.finished_at = None
            document.save(
                update_fields=[
                    "version",
                    "status",
                    "error",
                    "filename",
                    "requested_at",
                    "finished_at",
                ]
            )
        transaction.on_commit(
            partial(tasks.generate_document.enqueue, document.pk, document.version), robust=True
        )
    return document
