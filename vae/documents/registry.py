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


_types: dict[DocumentKind, DocumentType] = {}


def register_document_type(
    kind, *, render, can_read, disposition="attachment", retained=False
) -> None:
    """Register (or replace, so that it stays idempotent) the handling of ``kind``."""
    kind = DocumentKind(kind)
    _types[kind] = DocumentType(kind, render, can_read, disposition, retained)


def retained_kinds() -> list[DocumentKind]:
    return [kind for kind, handling in _types.items() if handling.retained]


def document_type(kind) -> DocumentType:
    try:
        return _types[DocumentKind(kind)]
    except KeyError:
        raise ImproperlyConfigured(f"No renderer registered for document kind {kind!r}") from None
