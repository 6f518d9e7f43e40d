"""The convocation's PDF as a generated document (``vae.documents``): one frozen version
per convocation row (key ``convocation-<sequence>``), rendered in a task, stored with its
SHA-256; ``JuryConfig`` registers its renderer, its reader and its delivery
(``jury.services.deliver_convocation``)."""

from jury import permissions, selectors
from vae.documents.services import request_document
from vae.enums import DocumentKind
from vae.models import GeneratedDocument


def document_key(convocation) -> str:
    return f"convocation-{convocation.sequence}"


def filename(convocation) -> str:
    return f"convocation-{convocation.candidacy.reference}-{convocation.sequence}.pdf"


def request_pdf(convocation):
    """Queue the rendering after the commit (once: a frozen version is never redone)."""
    return request_document(
        candidacy=convocation.candidacy,
        kind=DocumentKind.CONVOCATION,
        filename=filename(convocation),
        key=document_key(convocation),
    )


def stored_pdf(convocation) -> GeneratedDocument | None:
    """The PDF asked for when the convocation was issued, as it stands; nothing is asked
    here: a page that reads it writes nothing."""
    return GeneratedDocument.objects.filter(
        candidacy_id=convocation.candidacy_id,
        kind=DocumentKind.CONVOCATION,
        key=document_key(convocation),
    ).first()


def can_read(user, document) -> bool:
    convocation = selectors.convocation_for_document(document)
    return convocation is not None and permissions.CONVOCATIONS.can(user, convocation)
