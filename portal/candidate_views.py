"""The candidate's own pages: dashboard, one candidacy, starting and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal import selectors
from portal.candidate_forms import WithdrawForm
from vae import permissions, services
from vae.workflow import TransitionForbidden, WorkflowError


def _require_candidate(user):
    if not permissions.is_candidate(user):
        raise PermissionDenied("Cet espace est réservé aux candidats.")


@login_required
def dashboard(request):
    _require_candidate(request.user)
    return render(
        request, "portal/dashboard.html", {"dashboard": selectors.dashboard(request.user)}
    )


def _get_own(request, pk):
    _require_candidate(request.user)
    # Another person's candidacy is "not found": its existence is not disclosed.
    return get_object_or_404(selectors.own_candidacies(request.user), pk=pk)


@login_required
def candidacy_detail(request, pk):
    candidacy = _get_own(request, pk)
    return render(
        request,
        "portal/candidacy_detail.html",
        {"candidacy": candidacy, "page": selectors.candidacy_page(candidacy, request.user)},
    )


@login_required
@require_POST
def start(request):
    _require_candidate(request.user)
    try:
        candidacy = services.start_candidacy(candidate=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("candidacy:dashboard")
    messages.success(
        request,
        "Votre candidature est ouverte. Commencez par votre livret 1 (demande de recevabilité).",
    )
    return redirect("candidacy:detail", pk=candidacy.pk)


@login_required
def withdraw(request, pk):
    candidacy = _get_own(request, pk)
    if not permissions.can_withdraw(request.user, candidacy):
        messages.error(request, "Cette candidature est déjà close.")
        return redirect("candidacy:detail", pk=candidacy.pk)
    # An over-long motif is refused with the form shown again, not cut: nothing typed is lost.
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.withdraw(
                candidacy=candidacy, by=request.user, comment=form.cleaned_data["comment"]
            )
        except TransitionForbidden as error:
            raise PermissionDenied(error.message) from error
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Votre candidature est close.")
            return redirect("candidacy:detail", pk=candidacy.pk)
    return render(request, "portal/candidacy_withdraw.html", {"candidacy": candidacy, "form": form})
