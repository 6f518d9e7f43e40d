"""The candidate's evidence pages (list, upload, delete, withdraw, replace), the file
itself and the extraction status.

Thin: checks and writes in ``services``, what a piece shows in ``presentation``, who may
do what in ``livret.permissions`` / ``vae.permissions``. The file and status views are
also open to certifiers, who read evidence without opening the candidate's pages: they
check ``can_read_evidence`` / ``can_view_dossier`` themselves instead of ``@dossier_page``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from livret.dossier.access import dossier_context, dossier_page
from livret.dossier.evidence import presentation, services
from livret.dossier.evidence.forms import EvidenceForm
from livret.dossier.evidence.refusals import EvidenceRefused
from livret.dossier.models import Dossier, Evidence
from livret.permissions import can_read_evidence
from vae.models import AccessedFile, Candidacy
from vae.permissions import can_view_dossier
from vae.personal_data.access_log import record_file_access
from vae.security_headers import private_file
from vae.workflow import WorkflowError

UNSIGNED_MESSAGE = gettext_lazy(
    "Votre dossier a changé : votre déclaration sur l'honneur a été annulée. Vous devrez la "
    "signer de nouveau avant de déposer votre dossier."
)


def _list_url(candidacy):
    return reverse("livret:evidence_list", kwargs={"candidacy_pk": candidacy.pk})


def _done(request, candidacy, change, text):
    messages.success(request, text)
    if change.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)
    return redirect(_list_url(candidacy))


def _refused(request, candidacy, exc):
    messages.error(request, exc.message)
    return redirect(_list_url(candidacy))


def _evidence_of(dossier, pk) -> Evidence:
    # Another dossier's piece is as unknown as a piece that does not exist.
    return get_object_or_404(
        Evidence.objects.select_related("dossier", "first_submission", "replaces"),
        pk=pk,
        dossier=dossier,
    )


@dossier_page
@require_safe
def evidence_list(request, candidacy, dossier):
    items = presentation.dossier_evidence(dossier)
    context = dossier_context(
        candidacy,
        dossier,
        "evidence",
        current=[item for item in items if item.is_current],
        history=[item for item in items if not item.is_current],
        pending=any(not item.is_final for item in items),
        submitted_before=dossier.submissions.exists(),
    )
    return render(request, "livret/dossier/evidence_list.html", context)


def _form_page(request, candidacy, dossier, form, *, replaced=None):
    context = dossier_context(
        candidacy,
        dossier,
        "evidence",
        form=form,
        replaced=presentation.describe(replaced) if replaced else None,
        linked=presentation.linked_competences(replaced) if replaced else [],
    )
    return render(request, "livret/dossier/evidence_form.html", context)


def _upload(form, *, upload, field_of):
    """Run ``upload(uploaded=, title=, kind=)`` on the valid ``form``; the change, or None
    with the refusal on the form (on the field ``field_of(refusal)`` names)."""
    if not form.is_valid():
        return None
    try:
        return upload(
            uploaded=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
        )
    except EvidenceRefused as exc:
        form.add_error(field_of(exc), exc.message)
    except WorkflowError as exc:
        form.add_error(None, exc.message)
    return None


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def evidence_upload(request, candidacy, dossier):
    if request.method != "POST":
        return _form_page(request, candidacy, dossier, EvidenceForm())
    form = EvidenceForm(request.POST, request.FILES)
    change = _upload(
        form,
        upload=lambda **fields: services.upload_evidence(
            dossier=dossier, by=request.user, **fields
        ),
        field_of=lambda exc: "file",
    )
    if change is None:
        return _form_page(request, candidacy, dossier, form)
    return _done(
        request,
        candidacy,
        change,
        _("La pièce « %(title)s » est jointe à votre dossier. Son texte va être lu.")
        % {"title": change.evidence.title},
    )


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def evidence_replace(request, candidacy, dossier, pk):
    evidence = _evidence_of(dossier, pk)
    try:
        services.check_replaceable(evidence)
    except EvidenceRefused as exc:
        return _refused(request, candidacy, exc)
    if request.method != "POST":
        form = EvidenceForm(initial={"title": evidence.title, "kind": evidence.kind})
        return _form_page(request, candidacy, dossier, form, replaced=evidence)
    form = EvidenceForm(request.POST, request.FILES)
    change = _upload(
        form,
        upload=lambda **fields: services.replace_evidence(
            evidence=evidence, by=request.user, **fields
        ),
        # A refused file is the file field's error; a piece no longer replaceable is the
        # form's.
        field_of=lambda exc: None if exc.code in ("not_current", "not_frozen") else "file",
    )
    if change is None:
        return _form_page(request, candidacy, dossier, form, replaced=evidence)
    return _done(
        request,
        candidacy,
        change,
        _(
            "La nouvelle version « %(title)s » remplace « %(old)s ». Reliez-la aux "
            "compétences : les liens de l'ancienne version ne lui ont pas été reportés."
        )
        % {"title": change.evidence.title, "old": evidence.title},
    )


def _confirm(request, candidacy, dossier, pk, *, action, check, service, done_text):
    evidence = _evidence_of(dossier, pk)
    try:
        check(evidence)
    except EvidenceRefused as exc:
        # Asked for a piece in the wrong state (an old link, another tab): say why.
        return _refused(request, candidacy, exc)
    if request.method == "POST":
        try:
            change = service(evidence=evidence, by=request.user)
        except WorkflowError as exc:
            return _refused(request, candidacy, exc)
        return _done(request, candidacy, change, done_text % {"title": evidence.title})
    context = dossier_context(
        candidacy,
        dossier,
        "evidence",
        evidence=presentation.describe(evidence),
        action=action,
        linked=presentation.linked_competences(evidence),
    )
    return render(request, "livret/dossier/evidence_confirm.html", context)


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def evidence_delete(request, candidacy, dossier, pk):
    return _confirm(
        request,
        candidacy,
        dossier,
        pk,
        action="delete",
        check=services.check_deletable,
        service=services.delete_evidence,
        done_text=_("La pièce « %(title)s » a été supprimée, avec ses liens aux compétences."),
    )


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def evidence_withdraw(request, candidacy, dossier, pk):
    return _confirm(
        request,
        candidacy,
        dossier,
        pk,
        action="withdraw",
        check=services.check_withdrawable,
        service=services.withdraw_evidence,
        done_text=_(
            "La pièce « %(title)s » est retirée du dossier. Elle reste dans l'historique de vos "
            "dépôts mais ne justifie plus aucune compétence."
        ),
    )


@login_required
@require_safe
def evidence_file(request, candidacy_pk, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("dossier__candidacy"),
        pk=pk,
        dossier__candidacy_id=candidacy_pk,
    )
    if not can_read_evidence(request.user, evidence):
        raise Http404
    inline = request.GET.get("inline") == "1" and presentation.can_show_inline(evidence)
    if not evidence.file:
        # Deleted by the retention policy: the piece's description stays, not its file.
        raise Http404
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    record_file_access(
        user=request.user,
        candidacy=evidence.dossier.candidacy,
        kind=AccessedFile.EVIDENCE,
        object_id=evidence.pk,
        label=evidence.title,
    )
    response = FileResponse(
        stream,
        content_type=evidence.content_type,
        as_attachment=not inline,
        filename=evidence.original_name,
    )
    # The stored type was detected from the bytes: the browser must not guess another.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return private_file(response)


@login_required
@require_safe
def evidence_status(request, candidacy_pk):
    candidacy = get_object_or_404(Candidacy, pk=candidacy_pk)
    if not can_view_dossier(request.user, candidacy):
        raise Http404
    dossier = Dossier.objects.filter(candidacy=candidacy).first()
    data = (
        presentation.extraction_statuses(dossier)
        if dossier is not None
        else {"done": True, "evidence": {}}
    )
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response
