"""The live status of a generated document and its download, for whoever may read the
content it prints (the owning app's ``can_read``); anyone else gets a 404 that reveals
nothing. The file is read from the private storage, never rendered here."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from vae.documents.presentation import document_state
from vae.documents.registry import document_type, subjects_of
from vae.models import AccessedFile, GeneratedDocument
from vae.personal_data.access_log import record_file_accesses
from vae.security_headers import private_file


def readable_document(user, pk) -> GeneratedDocument:
    document = get_object_or_404(GeneratedDocument.objects.select_related("candidacy"), pk=pk)
    if not document_type(document.kind).can_read(user, document):
        raise Http404
    return document


def serve_document(document, *, user) -> FileResponse:
    """The stored PDF, as an attachment or inline per its kind; never cached. Sent to
    ``user``, whose reading is recorded when they are not the candidate."""
    if not document.is_ready:
        raise Http404
    # Each candidacy it prints records the reading: a shared document (a session's PV)
    # in the access log of every candidate it names.
    record_file_accesses(
        user=user,
        candidacies=subjects_of(document),
        kind=AccessedFile.DOCUMENT,
        object_id=document.pk,
        label=f"{document.get_kind_display()} — {document.filename}",
    )
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=document_type(document.kind).disposition == "attachment",
        filename=document.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: never kept by a shared cache or the browser's history.
    response["Cache-Control"] = "private, no-store"
    return private_file(response)


@require_GET
@login_required
def document_status(request, pk):
    response = JsonResponse(document_state(readable_document(request.user, pk)))
    response["Cache-Control"] = "private, no-store"
    return private_file(response)


@require_GET
@login_required
def document_download(request, pk):
    return serve_document(readable_document(request.user, pk), user=request.user)
