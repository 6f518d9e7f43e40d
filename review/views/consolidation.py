"""The consolidation of the four grids by the certifier's representative, once every
grid is in; before that, who is awaited."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from referentiel.french import plural
from review import permissions, rules, services
from review.enums import EvaluatorCategory
from review.models import ReviewSettings
from review.rating_forms import ConsolidationForm
from review.selectors.consolidation import consolidation_page, consolidation_wait
from review.views.access import check_readable, own_assignment
from review.views.grid import report_saved, save_changed


def _forms(page, data) -> dict:
    """One form per compétence, starting from its consolidated rating or the majority's."""
    return {
        row.competence.pk: ConsolidationForm(data, competence=row.competence, initial=row.initial)
        for row in page.rows
    }


def _save(request, assignment, forms) -> tuple[int, list]:
    def save_one(form):
        services.consolidate(
            assignment=assignment,
            competence=form.competence,
            rating=form.cleaned_data["rating"],
            justification=form.cleaned_data["justification"],
            by=request.user,
        )

    return save_changed(forms.values(), save_one)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consolidation(request, pk):
    assignment = own_assignment(request, pk)
    response = check_readable(request, assignment)
    if response is not None:
        return response
    if assignment.category != EvaluatorCategory.CERTIFIER:
        raise PermissionDenied(
            _("Seul le représentant du certificateur consolide les grilles des évaluateurs.")
        )
    candidacy = assignment.candidacy
    ready = rules.all_grids_submitted(candidacy)
    writable = permissions.can_consolidate(request.user, assignment, ready)
    if request.method == "POST" and not writable:
        raise PermissionDenied(_("La consolidation de ce dossier n'est pas ouverte."))
    context = {"assignment": assignment, "candidacy": candidacy, "ready": ready}
    if not ready:
        context["wait"] = consolidation_wait(assignment, viewer=request.user)
        return render(request, "review/consolidation.html", context)
    threshold = ReviewSettings.load(request).divergence_spread
    page = consolidation_page(candidacy, threshold=threshold)
    data = request.POST if request.method == "POST" else None
    forms = _forms(page, data) if writable else {}
    saved = 0
    if data is not None:
        saved, refused = _save(request, assignment, forms)
        if not refused:
            message = plural(
                saved,
                "appréciation consolidée enregistrée",
                "appréciations consolidées enregistrées",
            )
            report_saved(request, saved, f"{message}.")
            return redirect("review:consolidation", pk=assignment.pk)
        # Refused forms keep what was typed; the saved ones are now consolidated.
        page = consolidation_page(candidacy, threshold=threshold)
    context.update(page=page.with_forms(forms), writable=writable, saved=saved)
    return render(request, "review/consolidation.html", context)
