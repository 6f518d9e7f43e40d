"""The candidate's livret 2 overview: what to do next, what is covered, the sworn
statement, submission (confirmed first), the history of submissions, and the PDF export.

Thin: completeness and the next action come from ``livret.dossier.coverage``, the lists
of problems from ``livret.dossier.selectors``, the signature from
``livret.dossier.services.sign`` and the submission from ``vae.services.submit_dossier``,
whose guard is the same ``dossier_problems`` the page shows. The PDF download also serves
the certifiers (``livret.dossier.export.can_export``), whose back office links to it;
anyone else gets a 404 that does not reveal the candidacy. The PDF is never rendered in
the request: the export tab and the download ask for it (``request_export``), a task
renders it, and the download serves it from storage once ready, or says « en
préparation » with a live status until then.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from livret.dossier import selectors
from livret.dossier.access import dossier_context, dossier_page, not_editable_message
from livret.dossier.coverage import coverage, next_action, overview_blocs, problem_items
from livret.dossier.export import can_export, frozen_since_last_submission, request_export
from livret.dossier.forms import SWORN_STATEMENT, SignForm
from livret.dossier.services import dossier_for
from livret.dossier.services import sign as sign_dossier
from livret.permissions import can_edit_dossier
from referentiel import french as fr
from referentiel.ids import parse_page
from vae import services, workflow
from vae.documents.presentation import document_state
from vae.documents.views import serve_document
from vae.enums import Transition
from vae.models import Candidacy
from vae.workflow import TransitionForbidden, WorkflowError

# The confirmation button posts this; a POST without it is not a submission.
CONFIRMATION = "oui"


def _overview(request, candidacy, dossier, *, submit_error=None):
    result = coverage(candidacy, dossier)
    history, returned = selectors.submission_history(candidacy, dossier)
    # Signed once, then a change cancelled it: say « à signer de nouveau ».
    resign = bool(dossier.sworn_name) and not dossier.is_signed
    action = next_action(result, resign=resign)
    remaining_only = request.GET.get("reste") == "1"
    problems = [item.text for item in problem_items(result)]
    context = dossier_context(
        candidacy,
        dossier,
        "overview",
        coverage=result,
        blocs=overview_blocs(result, remaining_only=remaining_only),
        remaining_only=remaining_only,
        action=action,
        action_url=selectors.action_url(action, candidacy),
        missing=selectors.missing_summary(problems, result, candidacy),
        history=history,
        returned=returned,
        resign=resign,
        narrative_min_chars=settings.VAE_NARRATIVE_MIN_CHARS,
        submit_error=submit_error,
        submit_problems=(
            selectors.linked_problems(submit_error.problems, result, candidacy)
            if submit_error
            else []
        ),
    )
    return render(request, "livret/dossier/overview.html", context)


@dossier_page
@require_GET
def overview(request, candidacy, dossier):
    return _overview(request, candidacy, dossier)


@dossier_page
@require_http_methods(["GET", "POST"])
def submit(request, candidacy, dossier):
    """GET: restate what submitting does (or what is missing); POST: submit, confirmed."""
    if request.method == "POST" and request.POST.get("confirmation") == CONFIRMATION:
        return _submit(request, candidacy, dossier)
    if request.method == "POST":
        # A bare POST (an old page, a script) is not a confirmed decision: ask again.
        return redirect("livret:dossier_submit", candidacy_pk=candidacy.pk)
    if not can_edit_dossier(request.user, candidacy):
        messages.warning(request, not_editable_message(candidacy))
        return redirect("livret:dossier", candidacy_pk=candidacy.pk)
    result = coverage(candidacy, dossier)
    # The transition's own guard (recevabilité still valid, coverage, signature): the
    # button is offered only when the service would accept.
    texts = workflow.problems_of(Transition.SUBMIT_DOSSIER, candidacy)
    context = dossier_context(
        candidacy,
        dossier,
        "overview",
        coverage=result,
        missing=selectors.missing_summary(texts, result, candidacy),
        narratives_written=len({row.activity.pk for row in result.rows if row.narrative_written}),
        confirmation=CONFIRMATION,
    )
    return render(request, "livret/dossier/submit_confirm.html", context)


def _submit(request, candidacy, dossier):
    # Not ``editable=True``: when the dossier cannot be submitted now (already deposited,
    # a double click, incomplete), the service's own French reason is shown on the page
    # rather than a bare 403; ``submit_dossier`` is the authority and writes nothing then.
    try:
        services.submit_dossier(candidacy=candidacy, by=request.user)
    except TransitionForbidden as error:
        raise PermissionDenied(error.message) from error
    except WorkflowError as error:
        candidacy.refresh_from_db()
        dossier.refresh_from_db()
        return _overview(request, candidacy, dossier, submit_error=error)
    submission = dossier.submissions.order_by("-number").first()
    messages.success(
        request,
        _(
            "Votre dossier de validation est déposé (dépôt n°%(number)s du %(date)s). Le "
            "certificateur va le vérifier puis le confier aux évaluateurs ; vous serez "
            "prévenu(e) par e-mail. Il est désormais en lecture seule."
        )
        % {
            "number": submission.number,
            "date": fr.date(submission.submitted_at),
        },
    )
    return redirect("livret:dossier", candidacy_pk=candidacy.pk)


def _sign_page(request, candidacy, dossier, form):
    result = coverage(candidacy, dossier)
    context = dossier_context(
        candidacy,
        dossier,
        "overview",
        form=form,
        coverage=result,
        statement=SWORN_STATEMENT,
        incomplete_problems=selectors.linked_problems(
            [item.text for item in problem_items(result) if not item.sign], result, candidacy
        ),
    )
    return render(request, "livret/dossier/sign.html", context)


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def sign(request, candidacy, dossier):
    form = SignForm.for_dossier(dossier, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_dossier(
                dossier=dossier,
                by=request.user,
                name=form.cleaned_data["sworn_name"],
                place=form.cleaned_data["sworn_place"],
            )
        except TransitionForbidden as error:
            raise PermissionDenied(error.message) from error
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Déclaration sur l'honneur signée. Toute modification de votre dossier "
                    "l'annulera : vous devrez alors la signer de nouveau."
                ),
            )
            return redirect("livret:dossier", candidacy_pk=candidacy.pk)
    return _sign_page(request, candidacy, dossier, form)


# -- the PDF export ------------------------------------------------------------------------


@require_GET
@dossier_page
def dossier_pdf(request, candidacy, dossier):
    submissions = list(dossier.submissions.order_by("-number"))
    frozen = bool(submissions) and frozen_since_last_submission(candidacy)
    # Asking is cheap: a version already stored (or being rendered) is only looked up.
    states = {s.number: document_state(request_export(candidacy, dossier, s)) for s in submissions}
    context = dossier_context(
        candidacy,
        dossier,
        "export",
        # The current version is the last submission itself while the dossier is frozen:
        # its PDF is that submission's, rendered once at the submission.
        current_submission=submissions[0] if frozen else None,
        current=(
            states[submissions[0].number]
            if frozen
            else document_state(request_export(candidacy, dossier))
        ),
        submissions=[(submission, states[submission.number]) for submission in submissions],
    )
    return render(request, "livret/dossier/export.html", context)


@require_GET
@login_required
def dossier_pdf_download(request, candidacy_pk):
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("candidate", "certification"), pk=candidacy_pk
    )
    if not can_export(request.user, candidacy):
        raise Http404
    dossier = dossier_for(candidacy)
    depot = request.GET.get("depot")
    if depot is not None:
        number = parse_page(depot)
        if number is None:
            raise Http404
        submission = get_object_or_404(dossier.submissions, number=number)
    elif frozen_since_last_submission(candidacy):
        submission = dossier.submissions.order_by("-number").first()
    else:
        submission = None
    document = request_export(candidacy, dossier, submission)
    if document.is_ready:
        return serve_document(document, user=request.user)
    context = {
        "candidacy": candidacy,
        "state": document_state(document),
        "title": _("Livret 2 — %(reference)s") % {"reference": candidacy.reference},
        "link_text": _("Télécharger le PDF"),
    }
    response = render(request, "vae/documents/pending.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
