"""Who gets into the evaluator's pages, and how each refusal is worded.

Someone who is not the evaluator of an assignment gets a 404 (the dossier's existence is
not disclosed); the evaluator is sent to the declaration until they have made it; a write
that the moment does not allow (review not started, grid submitted) is refused with a
message and writes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from review import permissions
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.models import Assignment
from vae.enums import CandidacyState

READING = ("GET", "HEAD")


# -- the dossier pages ------------------------------------------------------------------


def read_only_reason(assignment) -> str:
    """Why the evaluator may read but not write, in their words (empty when they may)."""
    if assignment.grid_submitted:
        return _("Votre grille est remise : le dossier est présenté en lecture seule.")
    if assignment.candidacy.state == CandidacyState.DOSSIER_SUBMITTED:
        return _(
            "L'évaluation n'a pas encore commencé : vous pouvez lire le dossier, et vous "
            "pourrez relier des passages aux critères dès que le certificateur l'aura lancée."
        )
    if assignment.candidacy.state == CandidacyState.REVIEWED:
        return _("L'évaluation est terminée : le dossier est présenté en lecture seule.")
    return _("Le dossier est présenté en lecture seule.")


def _not_readable(request, assignment):
    """The response to an evaluator whose seat does not (or no longer) open the dossier."""
    reading = request.method in READING
    if assignment.status == AssignmentStatus.AWAITING_DECLARATION:
        if not reading:
            raise PermissionDenied(_("Faites d'abord votre déclaration."))
        messages.info(
            request,
            _("Avant d'ouvrir le dossier, déclarez que vous ne connaissez pas le candidat."),
        )
        return redirect("review:declare", pk=assignment.pk)
    if not reading:
        raise PermissionDenied(_("Ce dossier n'est plus ouvert à l'évaluation."))
    messages.warning(
        request,
        _("Le dossier %(ref)s n'est pas consultable dans son état actuel (« %(state)s »).")
        % {
            "ref": assignment.candidacy.reference,
            "state": assignment.candidacy.get_state_display(),
        },
    )
    return redirect("review:workspace")


def evaluator_page(view):
    """Open ``view(request, assignment, **kwargs)`` to the assignment's evaluator once
    they have declared not to know the candidate and while the dossier is readable."""

    @login_required
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        assignment = get_object_or_404(
            Assignment.objects.select_related("candidacy"),
            pk=pk,
            evaluator=request.user,
            status__in=HOLDING_STATUSES,
        )
        if not permissions.is_evaluator(request.user):
            raise Http404
        if not permissions.can_read_dossier_as_evaluator(request.user, assignment):
            return _not_readable(request, assignment)
        return view(request, assignment, *args, **kwargs)

    return wrapper


def refuse_dossier_write(request, assignment):
    """The evaluator sent a write the moment no longer allows (another tab, a stale page):
    say why on the dossier page; nothing is written."""
    messages.error(request, read_only_reason(assignment))
    return redirect("review:dossier", pk=assignment.pk)


# -- the grid and the consolidation ---------------------------------------------------


def own_assignment(request, pk) -> Assignment:
    """The requester's own assignment, whatever its status; anyone else's is not found
    (nothing disclosed)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("candidacy__candidate", "candidacy__certification"),
        pk=pk,
    )
    if assignment.evaluator_id != request.user.pk or not permissions.is_evaluator(request.user):
        raise Http404
    return assignment


def _closed_reason(assignment) -> str:
    if assignment.status == AssignmentStatus.CONFLICT:
        return _("Vous avez déclaré connaître le candidat : ce dossier ne vous est plus confié.")
    if assignment.status == AssignmentStatus.REMOVED:
        return _("Le certificateur vous a retiré de l'évaluation de ce dossier.")
    return _("Ce dossier n'est pas en cours d'évaluation (état : « %(state)s »).") % {
        "state": assignment.candidacy.get_state_display()
    }


def check_readable(request, assignment):
    """None when the evaluator may read their grid, else the response to send instead."""
    if permissions.can_read_dossier_as_evaluator(request.user, assignment):
        return None
    if permissions.can_declare(request.user, assignment) and request.method in READING:
        messages.info(request, _("Déclarez d'abord que vous ne connaissez pas le candidat."))
        return redirect("review:declare", pk=assignment.pk)
    raise PermissionDenied(_closed_reason(assignment))


def refuse_grid_write(request, assignment):
    """A write the grid no longer accepts: a submitted grid says so, anything else is 403."""
    if assignment.grid_submitted:
        messages.error(request, _("Votre grille est remise : elle ne se modifie plus."))
        return redirect("review:grid", pk=assignment.pk)
    raise PermissionDenied(_("L'évaluation de ce dossier n'est pas ouverte aux appréciations."))
