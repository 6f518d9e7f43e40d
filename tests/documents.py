"""Generated documents in tests: the test's transaction never commits, so the renderings
queued after the commit never start; ``run_document_tasks`` plays the worker's turn."""

import io

from pypdf import PdfReader

from vae.documents.tasks import generate
from vae.enums import DocumentStatus
from vae.models import GeneratedDocument


def run_document_tasks() -> int:
    """Render every document not ready yet, as the worker would; returns how many."""
    waiting = list(GeneratedDocument.objects.exclude(status=DocumentStatus.READY).order_by("pk"))
    for document in waiting:
        generate(document.pk, document.version)
    return len(waiting)


def is_pdf(response) -> bool:
    return response.get("Content-Type") == "application/pdf"


def get_pdf(client, url, data=None):
    """GET a PDF: the first request asks for it (« en préparation »), the worker renders
    it, the second request serves it from storage, as a user who waits would see."""
    response = client.get(url, data or {})
    if response.status_code == 200 and not is_pdf(response):
        run_document_tasks()
        response = client.get(url, data or {})
    return response


def pdf_bytes(response) -> bytes:
    """The body of a PDF response (served from storage as a stream), read to its end.

    Reading the stream to its end closes the response the way the test client does it,
    with its database connection kept; calling ``response.close()`` again would fire
    ``request_finished`` with Django's connection closer attached, which closes the
    test's PostgreSQL connection in the middle of its transaction (SQLite's in-memory
    database ignores it, so only the PostgreSQL run would fail)."""
    assert is_pdf(response), response.get("Content-Type")
    return b"".join(response.streaming_content)


def pdf_pages_text(data: bytes) -> tuple[int, str]:
    """A PDF's page count and its text, page after page, as pypdf reads it back."""
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def rendered_text(document) -> str:
    """Render ``document`` as the worker would, check it is stored with its SHA-256, and
    read its text back with pypdf, whitespace collapsed (lines wrap where the PDF wraps)."""
    generate(document.pk, document.version)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    assert len(document.sha256) == 64
    with document.file.open("rb") as stream:
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(stream).pages)
