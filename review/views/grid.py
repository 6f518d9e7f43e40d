"""The evaluator's rating grid and its submission.

Writes go through ``review.services``; a refused save re-renders the page with
everything that was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from referentiel.french import plural
from review import permissions, services
from review.enums import EvaluatorCategory
from review.rating_forms import RatingForm
from review.selectors.grid import competences, grid_page, own_ratings
from review.views.access import check_readable, own_assignment, refuse_grid_write
from vae.workflow import TransitionForbidden, WorkflowError


def save_changed(forms, save_one) -> tuple[int, list]:
    """Save each form the user changed; return how many were saved and the refused ones."""
    saved, refused = 0, []
    for form in forms:
        if not form.has_changed():
            continue
        if not form.is_valid():
            refused.append(form)
            continue
        try:
            save_one(form)
        except TransitionForbidden as error:
            raise PermissionDenied(error.message) from error
        except WorkflowError as error:
            form.add_error(None, error.message)
            refused.append(form)
        else:
            saved += 1
    return saved, refused


def report_saved(request, saved: int, message: str) -> None:
    """``message`` when something was saved, else that nothing changed."""
    if saved:
        messages.success(request, message)
    else:
        messages.info(request, _("Aucune modification à enregistrer."))


def _forms(assignment, blocs, data=None) -> dict:
    """One form per compétence, starting from the evaluator's saved ratings."""
    own = own_ratings(assignment)
    return {
        c.pk: RatingForm(
            data,
            competence=c,
            initial=(
                {"rating": own[c.pk].rating, "justification": own[c.pk].justification}
                if c.pk in own
                else None
            ),
        )
        for c in competences(blocs)
    }


def _save(request, assignment, forms) -> tuple[int, list]:
    def save_one(form):
        services.rate(
            assignment=assignment,
            competence=form.competence,
            rating=form.cleaned_data["rating"],
            justification=form.cleaned_data["justification"],
            by=request.user,
        )

    return save_changed(forms.values(), save_one)


def _render(request, assignment, blocs, forms=None, **extra):
    page = grid_page(assignment, blocs, viewer=request.user, forms=forms)
    context = {
        "assignment": assignment,
        "candidacy": assignment.candidacy,
        "page": page,
        "editable": forms is not None,
        "refused_forms": [f for f in (forms or {}).values() if f.errors],
        "is_certifier_seat": assignment.category == EvaluatorCategory.CERTIFIER,
        **extra,
    }
    return render(request, "review/rating_grid.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def grid(request, pk):
    assignment = own_assignment(request, pk)
    response = check_readable(request, assignment)
    if response is not None:
        return response
    editable = permissions.can_work_on(request.user, assignment)
    if request.method == "POST" and not editable:
        return refuse_grid_write(request, assignment)
    blocs = assignment.candidacy.referentiel_tree()
    if not editable:
        return _render(request, assignment, blocs)
    data = request.POST if request.method == "POST" else None
    forms = _forms(assignment, blocs, data)
    if data is None:
        return _render(request, assignment, blocs, forms)
    saved, refused = _save(request, assignment, forms)
    if refused:
        return _render(request, assignment, blocs, forms, saved=saved)
    report_saved(
        request,
        saved,
        f"{plural(saved, 'appréciation enregistrée', 'appréciations enregistrées')}.",
    )
    return redirect("review:grid", pk=assignment.pk)


@login_required
@require_POST
def grid_submit(request, pk):
    """« Remettre ma grille »: saves what the page posted, then submits the whole grid."""
    assignment = own_assignment(request, pk)
    check_readable(request, assignment)
    if not permissions.can_work_on(request.user, assignment):
        return refuse_grid_write(request, assignment)
    blocs = assignment.candidacy.referentiel_tree()
    # The grid's own form posts its fields along (marked by « grid »): they are saved
    # first, so that pressing « Remettre » right after typing loses nothing.
    posted = request.POST if request.POST.get("grid") else None
    forms = _forms(assignment, blocs, posted)
    saved, refused = _save(request, assignment, forms) if posted is not None else (0, [])
    error = _("Votre grille n'est pas remise : corrigez d'abord les erreurs.") if refused else ""
    if not refused:
        try:
            services.submit_grid(assignment=assignment, by=request.user)
        except TransitionForbidden as forbidden:
            raise PermissionDenied(forbidden.message) from forbidden
        except WorkflowError as refusal:
            error = refusal.message
    if error:
        return _render(request, assignment, blocs, forms, saved=saved, submit_error=error)
    messages.success(
        request,
        _(
            "Votre grille est remise. Vous voyez maintenant les appréciations des autres "
            "évaluateurs qui ont remis la leur."
        ),
    )
    return redirect("review:grid", pk=assignment.pk)
