"""The evaluator's declaration of absence of conflict of interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from review import permissions, services
from review.forms import DeclarationForm
from review.models import Assignment
from vae.workflow import WorkflowError


@login_required
def declare(request, pk):
    assignment = get_object_or_404(
        Assignment.objects.select_related("candidacy__candidate", "candidacy__eligibility_request"),
        pk=pk,
    )
    # Another evaluator's assignment, or anyone else: not found (nothing disclosed).
    if assignment.evaluator_id != request.user.pk or not permissions.is_evaluator(request.user):
        raise Http404
    if not permissions.can_declare(request.user, assignment):
        messages.info(request, "Votre déclaration est déjà enregistrée.")
        return redirect("review:workspace")
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare(
                assignment=assignment,
                by=request.user,
                knows_candidate=form.cleaned_data["knows_candidate"],
                details=form.cleaned_data["details"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            if form.cleaned_data["knows_candidate"]:
                messages.success(
                    request,
                    "Merci : votre affectation est close et le certificateur va désigner un "
                    "autre évaluateur.",
                )
                return redirect("review:workspace")
            messages.success(request, "Merci : vous pouvez maintenant consulter le dossier.")
            return redirect("review:dossier", pk=assignment.pk)
    request_ = getattr(assignment.candidacy, "eligibility_request", None)
    employers = sorted({e.employer for e in request_.experiences.all()}) if request_ else []
    return render(
        request,
        "review/declare.html",
        {"assignment": assignment, "form": form, "employers": employers},
    )
