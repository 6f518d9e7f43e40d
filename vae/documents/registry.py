"""What the core needs to know about each kind of generated document, registered by the
app that owns its content (``register_document_type`` from its ``AppConfig.ready()``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from vae.enums import DocumentKind


@dataclass(frozen=True)
class DocumentType:
    kind: DocumentKind
    # render(document) -> PDF bytes, from the content the document's key names.
    render: Callable[..., bytes]
    # can_read(user, document) -> bool: the same policy as the content it prints.
    can_read: Callable[..., bool]
    # "attachment" (downloaded) or "inline" (opened by the browser's PDF viewer).
    disposition: str = "attachment"
    # Kept when its candidate's identity is anonymised (a certificate, a PV: what a
    # verification or an appeal needs); any other is deleted then, since it prints them.
    retained: bool = False
    # on_finished(document): called once by the rendering task when the document has just
    # become ready or failed, for an owner that must act on the stored bytes (the jury
    # e-mails the convocation with its PDF); None for most kinds.
    on_finished: Callable[..., None] | None = None
    # subjects(document) -> the candidacies a shared document (no ``candidacy``) prints,
    # whose access logs record each reading of it (a session's PV names its candidates).
    subjects: Callable[..., list] | None = None


_types: dict[DocumentKind, DocumentType] = {}


def register_document_type(
    kind,
    *,
    render,
    can_read,
    disposition="attachment",
    retained=False,
    on_finished=None,
    subjects=None,
) -> None:
    """Register (or replace, so that it stays idempotent) the handling of ``kind``."""
    kind = DocumentKind(kind)
    _types[kind] = DocumentType(
        kind, render, can_read, disposition, retained, on_finished, subjects
    )


def subjects_of(document) -> list:
    """The candidacies ``document`` prints: its own, or those its owner names for a
    shared one."""
    if document.candidacy_id is not None:
        return [document.candidacy]
    subjects = document_type(document.kind).subjects
    return list(subjects(document)) if subjects is not None else []


def retained_kinds() -> list[DocumentKind]:
    return [kind for kind, handling in _types.items() if handling.retained]


def document_type(kind) -> DocumentType:
    try:
        return _types[DocumentKind(kind)]
    except KeyError:
        raise ImproperlyConfigured(f"No renderer registered for document kind {kind!r}") from None
