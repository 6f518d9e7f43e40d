"""Generated documents in tests: the test's transaction never commits, so the renderings
queued after the commit never start; ``run_document_tasks`` plays the worker's turn."""

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
