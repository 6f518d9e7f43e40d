"""The summary of livret 1 (what is complete, what is missing) and its submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from livret.eligibility import selectors
from livret.eligibility.access import load, page_context
from livret.eligibility.completeness import section_statuses
from livret.eligibility.precheck import precheck
from livret.permissions import can_edit_livret1
from vae import notifications
from vae import services as candidacy_services
from vae.enums import Transition
from vae.permissions import acting_role
from vae.workflow import WorkflowError

# The confirmation button posts this; a POST without it only shows the confirmation.
CONFIRMATION = "oui"


def _summary(request, candidacy, eligibility_request, *, submit_error=None, status=200):
    editable = can_edit_livret1(request.user, candidacy)
    statuses = section_statuses(eligibility_request)
    context = page_context(
        candidacy,
        eligibility_request,
        editable=editable,
        # A livret sent back for correction: the certifier's comment says what to change.
        returned=selectors.return_to_correct(candidacy) if editable else None,
        statuses=statuses,
        complete=all(status.complete for status in statuses),
        precheck=precheck(eligibility_request) if editable else None,
        submit_error=submit_error,
        submit_problems=(
            selectors.problems_by_section(eligibility_request, submit_error.problems)
            if submit_error
            else []
        ),
    )
    return render(request, "livret/livret1.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def livret1(request, candidacy_pk):
    candidacy, eligibility_request = load(request, candidacy_pk)
    return _summary(request, candidacy, eligibility_request)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, candidacy_pk):
    """Sending livret 1: first a page that says what sending does, then « Confirmer ».

    A livret that cannot be sent (incomplete, or no longer a draft) gets the summary with
    what is missing and the state machine's words instead; nothing is written before the
    confirmation.
    """
    candidacy, eligibility_request = load(request, candidacy_pk)
    name, user = Transition.SUBMIT_ELIGIBILITY, request.user
    refusal = candidacy_services.transition_refusal(candidacy=candidacy, name=name, by=user)
    if refusal is not None:
        return _summary(request, candidacy, eligibility_request, submit_error=refusal)
    if request.POST.get("confirmation") != CONFIRMATION:
        context = page_context(
            candidacy,
            eligibility_request,
            notices=notifications.notices(name, actor_role=acting_role(user, candidacy, name)),
            confirmation=CONFIRMATION,
        )
        return render(request, "livret/livret1_submit.html", context)
    try:
        candidacy_services.submit_eligibility(candidacy=candidacy, by=user)
    except WorkflowError as error:
        candidacy.refresh_from_db()
        return _summary(request, candidacy, eligibility_request, submit_error=error)
    messages.success(
        request,
        _(
            "Votre demande de recevabilité a été envoyée. Le certificateur va l'examiner ; "
            "vous serez prévenu(e) par e-mail de sa décision."
        ),
    )
    return redirect("livret:livret1", candidacy_pk=candidacy.pk)
