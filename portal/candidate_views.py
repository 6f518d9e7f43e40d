"""The candidate's own pages: dashboard, one candidacy, starting and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.guidance import CANDIDATE_TO_ACT, NEXT_STEP
from vae import permissions, services
from vae.models import AcquiredBloc, Candidacy, CandidacyTransition
from vae.workflow import TransitionForbidden, WorkflowError


def _own_candidacies(user):
    return (
        Candidacy.objects.filter(candidate=user)
        .select_related("certification", "eligibility_request")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=CandidacyTransition.objects.select_related("actor"),
            )
        )
    )


def _require_candidate(user):
    if not permissions.is_candidate(user):
        raise PermissionDenied("Cet espace est réservé aux candidats.")


@login_required
def dashboard(request):
    _require_candidate(request.user)
    candidacies = list(_own_candidacies(request.user))
    for candidacy in candidacies:
        candidacy.next_step = NEXT_STEP[candidacy.state]
        candidacy.to_act = candidacy.state in CANDIDATE_TO_ACT
    open_candidacies = [c for c in candidacies if c.is_open]
    return render(
        request,
        "portal/dashboard.html",
        {
            "open_candidacies": open_candidacies,
            "closed_candidacies": [c for c in candidacies if not c.is_open],
            "acquired_blocs": AcquiredBloc.objects.filter(candidate=request.user),
            "can_start": not open_candidacies and permissions.can_start_candidacy(request.user),
        },
    )


def _get_own(request, pk):
    _require_candidate(request.user)
    # Another person's candidacy is "not found": its existence is not disclosed.
    return get_object_or_404(_own_candidacies(request.user), pk=pk)


@login_required
def candidacy_detail(request, pk):
    # Imported here: livret builds on vae, not the other way round.
    from livret.permissions import can_open_dossier

    candidacy = _get_own(request, pk)
    transitions = list(candidacy.transitions.all())
    last_comment = next(
        (t for t in reversed(transitions) if t.comment and t.actor_role != "candidat"), None
    )
    return render(
        request,
        "portal/candidacy_detail.html",
        {
            "candidacy": candidacy,
            "transitions": transitions,
            "last_comment": last_comment,
            "next_step": NEXT_STEP[candidacy.state],
            "to_act": candidacy.state in CANDIDATE_TO_ACT,
            "can_withdraw": permissions.can_withdraw(request.user, candidacy),
            "can_edit_livret1": permissions.can_edit_livret1(request.user, candidacy),
            "can_open_dossier": can_open_dossier(request.user, candidacy),
            "can_edit_dossier": permissions.can_edit_dossier(request.user, candidacy),
            "targeted_blocs": candidacy.targeted_blocs.all(),
        },
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
    comment = ""
    if request.method == "POST":
        comment = request.POST.get("comment", "")[:2000]
        try:
            services.withdraw(candidacy=candidacy, by=request.user, comment=comment)
        except TransitionForbidden as error:
            raise PermissionDenied(error.message) from error
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Votre candidature est close.")
            return redirect("candidacy:detail", pk=candidacy.pk)
    return render(
        request, "portal/candidacy_withdraw.html", {"candidacy": candidacy, "comment": comment}
    )
