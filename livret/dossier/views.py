"""The candidate's livret 2 overview: what to do next, what is covered, the sworn
statement, submission (confirmed first) and the history of submissions.

Thin: completeness and the next action come from ``livret.coverage``, the signature from
``livret.dossier.sign`` and the submission from ``vae.services.submit_dossier``, whose
guard is the same ``dossier_problems`` the page shows.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from livret.coverage import ActionKind, coverage, next_action, overview_blocs, problem_items
from livret.dossier import sign as sign_dossier
from livret.dossier_access import dossier_context, dossier_page, not_editable_message
from livret.link_forms import SWORN_STATEMENT, SignForm
from livret.permissions import can_edit_dossier
from vae import services, workflow
from vae.enums import CandidacyState, Transition
from vae.workflow import TransitionForbidden, WorkflowError

# The send area names this many compétences, then « et 12 autres »: the full list is the
# « reste à faire » view of the overview.
MISSING_SHOWN = 3
# The confirmation button posts this; a POST without it is not a submission.
CONFIRMATION = "oui"


def linked_problems(texts, result, candidacy) -> list[dict]:
    """The refusal's problems as the service worded them, each with where it is fixed.

    The texts are matched against the problems computed from the same coverage, so the
    page never rewords what the guard said; a problem with no place to fix it (an
    expired recevabilité) is listed without a link.
    """
    by_text = {item.text: item for item in problem_items(result)}
    overview = reverse("livret:dossier", kwargs={"candidacy_pk": candidacy.pk})
    sign_url = reverse("livret:dossier_sign", kwargs={"candidacy_pk": candidacy.pk})
    problems = []
    for text in texts:
        item = by_text.get(text)
        url = None
        is_competence = item is not None and item.row is not None
        if is_competence:
            url = f"{overview}#competence-{item.row.competence.pk}"
        elif item is not None and item.sign:
            url = sign_url
        problems.append({"text": text, "url": url, "competence": is_competence})
    return problems


def missing_summary(texts, result, candidacy, *, shown=MISSING_SHOWN) -> list[dict]:
    """What prevents the submission, short enough to read at a glance.

    The first ``shown`` compétences, then one « et N autres » entry linking to the
    overview's « reste à faire » view, then whatever is not about a compétence (the
    signature, an expired recevabilité): those are never cut.
    """
    problems = linked_problems(texts, result, candidacy)
    competences = [problem for problem in problems if problem["competence"]]
    if len(competences) <= shown:
        return problems
    rest = reverse("livret:dossier", kwargs={"candidacy_pk": candidacy.pk}) + "?reste=1#matrice"
    summary, seen = [], 0
    for problem in problems:
        if problem["competence"]:
            seen += 1
            if seen > shown:
                continue
        summary.append(problem)
        if seen == shown and problem["competence"]:
            summary.append({"more": len(competences) - shown, "url": rest})
    return summary


def action_url(action, candidacy) -> str | None:
    """Where the next action is done."""
    if action is None:
        return None
    kwargs = {"candidacy_pk": candidacy.pk}
    if action.kind == ActionKind.NARRATIVE:
        return reverse("livret:narrative", kwargs={**kwargs, "activity_pk": action.activity.pk})
    if action.kind == ActionKind.UPLOAD:
        return reverse("livret:evidence_upload", kwargs=kwargs)
    if action.kind == ActionKind.EVIDENCE:
        query = f"?competence={action.competence.pk}&retour=overview"
        return reverse("livret:link_add", kwargs=kwargs) + query
    if action.kind == ActionKind.SIGN:
        return reverse("livret:dossier_sign", kwargs=kwargs)
    return reverse("livret:dossier_submit", kwargs=kwargs)


def _history(candidacy, dossier):
    """The submissions, each with the return that followed it (if any), oldest first."""
    submissions = list(dossier.submissions.order_by("number"))
    returns = list(
        candidacy.transitions.filter(transition=Transition.RETURN_DOSSIER).order_by(
            "created_at", "pk"
        )
    )
    # Submissions and returns alternate: the n-th return answers the n-th submission.
    history = [
        {"submission": submission, "returned": returns[index] if index < len(returns) else None}
        for index, submission in enumerate(submissions)
    ]
    returned = None
    if history and candidacy.state == CandidacyState.ELIGIBLE and history[-1]["returned"]:
        returned = history[-1]["returned"]
    return history, returned


def _overview(request, candidacy, dossier, *, submit_error=None):
    result = coverage(candidacy, dossier)
    history, returned = _history(candidacy, dossier)
    # Signed once, then a change cancelled it: say « à signer de nouveau ».
    resign = bool(dossier.sworn_name) and not dossier.is_signed
    action = next_action(result, resign=resign)
    remaining_only = request.GET.get("reste") == "1"
    context = dossier_context(
        candidacy,
        dossier,
        "overview",
        coverage=result,
        blocs=overview_blocs(result, remaining_only=remaining_only),
        remaining_only=remaining_only,
        action=action,
        action_url=action_url(action, candidacy),
        missing=missing_summary([item.text for item in problem_items(result)], result, candidacy),
        history=history,
        returned=returned,
        resign=resign,
        narrative_min_chars=settings.VAE_NARRATIVE_MIN_CHARS,
        submit_error=submit_error,
        submit_problems=(
            linked_problems(submit_error.problems, result, candidacy) if submit_error else []
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
        missing=missing_summary(texts, result, candidacy),
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
            "date": formats.date_format(timezone.localtime(submission.submitted_at), "j F Y"),
        },
    )
    return redirect("livret:dossier", candidacy_pk=candidacy.pk)


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def sign(request, candidacy, dossier):
    # Prefilled with the candidate's identity, not with a stored name that is not theirs.
    stored = "" if dossier.sworn_name_mismatch else dossier.sworn_name
    form = SignForm(
        request.POST if request.method == "POST" else None,
        initial={"sworn_name": stored or dossier.signer_name, "sworn_place": dossier.sworn_place},
        identity=dossier.signing_identity,
        expected_name=dossier.signer_name,
    )
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
    result = coverage(candidacy, dossier)
    context = dossier_context(
        candidacy,
        dossier,
        "overview",
        form=form,
        coverage=result,
        statement=SWORN_STATEMENT,
        incomplete_problems=linked_problems(
            [item.text for item in problem_items(result) if not item.sign], result, candidacy
        ),
    )
    return render(request, "livret/dossier/sign.html", context)
