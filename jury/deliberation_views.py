"""The deliberation page of a heard candidate, in the jury's workspace: the computed
outcome per bloc, the votes, the texts for the candidate, the signatures. Reads are
``jury.selectors.deliberation_state``'s, writes ``jury.deliberation``'s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from jury import deliberation, permissions, selectors
from jury.forms import BlocVoteForm, DecisionTextsForm, SignatureForm, stale_form_again
from jury.interview import StaleSave
from jury.models import Slot
from vae.models import CandidacyTransition
from vae.workflow import WorkflowError


def _slot(request, pk) -> Slot:
    """A heard slot whose deliberation the member may read; any other is not found."""
    if not permissions.is_jury_member(request.user):
        raise PermissionDenied("Cette page est réservée aux membres du jury.")
    slot = get_object_or_404(Slot.objects.select_related("session", "candidacy__candidate"), pk=pk)
    if not permissions.can_read_deliberation(request.user, slot):
        raise Http404
    return slot


def _vote_forms(state, data=None):
    return [
        BlocVoteForm(
            data,
            prefix=f"vote-{item.bloc.pk}",
            initial={
                "validated": "oui"
                if (item.mine.validated if item.mine else item.outcome.validated)
                else "non",
                "motivation": item.mine.motivation if item.mine else "",
            },
        )
        for item in state.blocs
    ]


def _page(request, slot, *, votes=None, texts=None, sign=None, refused=None, status=200):
    member = permissions.member_of(request.user)
    state = selectors.deliberation_state(slot, reader=member)
    open_ = permissions.can_deliberate(request.user, slot)
    record = state.deliberation
    if open_:
        votes = votes or _vote_forms(state)
        texts = texts or DecisionTextsForm(
            prefix="texts",
            initial={
                "observations": record.observations if record else "",
                "recommendations": record.recommendations if record else "",
                "base_version": record.version if record else 0,
            },
        )
        sign = sign or SignatureForm(prefix="sign")
    context = {
        "slot": slot,
        "candidacy": slot.candidacy,
        "state": state,
        "open": open_,
        "me": member,
        "my_signature": state.signature_of(member) if member else None,
        "lines": list(zip(state.blocs, votes, strict=True))
        if open_
        else [(item, None) for item in state.blocs],
        "texts": texts,
        "sign": sign,
        "votes_refused": refused,
        "votes_invalid": any(form.errors for form in votes or []),
    }
    return render(request, "jury/deliberation.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def deliberation_page(request, pk):
    slot = _slot(request, pk)
    if request.method in ("GET", "HEAD"):
        return _page(request, slot)
    if not permissions.can_deliberate(request.user, slot):
        raise PermissionDenied(deliberation.DECIDED_MESSAGE)
    part = request.POST.get("part", "")
    handler = {"votes": _post_votes, "texts": _post_texts, "sign": _post_sign}.get(part)
    if handler is None:
        raise Http404
    return handler(request, slot)


def _post_votes(request, slot):
    state = selectors.deliberation_state(slot, reader=permissions.member_of(request.user))
    forms = _vote_forms(state, request.POST)
    if not all(form.is_valid() for form in forms):
        return _page(request, slot, votes=forms, status=400)
    votes = {
        item.bloc.pk: (form.cleaned_data["validated"], form.cleaned_data["motivation"])
        for item, form in zip(state.blocs, forms, strict=True)
    }
    try:
        changed = deliberation.save_votes(slot=slot, by=request.user, votes=votes)
    except WorkflowError as refused:
        return _page(request, slot, votes=forms, refused=refused, status=400)
    messages.success(
        request,
        "Vos votes sont enregistrés. Une signature donnée avant ce changement est annulée : "
        "la décision est à signer de nouveau."
        if changed
        else "Vos votes n'ont pas changé.",
    )
    return redirect(f"{request.path}#votes")


def _post_texts(request, slot):
    form = DecisionTextsForm(request.POST, prefix="texts")
    if not form.is_valid():
        return _page(request, slot, texts=form, status=400)
    try:
        deliberation.save_texts(slot=slot, by=request.user, **form.cleaned_data)
    except StaleSave as stale:
        return _page(request, slot, texts=stale_form_again(form, stale), status=409)
    except WorkflowError as refused:
        form.add_error(None, refused.message)
        return _page(request, slot, texts=form, status=400)
    messages.success(request, "Les observations et préconisations sont enregistrées.")
    return redirect(f"{request.path}#textes")


def _post_sign(request, slot):
    form = SignatureForm(request.POST, prefix="sign")
    if not form.is_valid():
        return _page(request, slot, sign=form, status=400)
    try:
        done = deliberation.sign(slot=slot, by=request.user, password=form.cleaned_data["password"])
    except WorkflowError as refused:
        form.add_error(None, refused.message)
        for problem in refused.problems:
            form.add_error(None, problem)
        return _page(request, slot, sign=form, status=400)
    messages.success(
        request,
        "La décision est signée par tous les membres : elle est rendue et le candidat en "
        "est informé."
        if isinstance(done, CandidacyTransition)
        else "Votre signature est enregistrée. La décision sera rendue quand l'autre membre "
        "aura signé.",
    )
    return redirect(f"{request.path}#signatures")
