"""Reads of the roof's pages, which join the candidacy with the livrets: typed view
objects, never attributes written onto model instances."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from livret import permissions as livret_permissions
from portal.guidance import CANDIDATE_TO_ACT, NEXT_STEP
from vae import permissions
from vae.enums import Role
from vae.models import AcquiredBloc, Candidacy, CandidacyTransition


def candidacies():
    """Candidacies as the certifier's list shows them: candidate, version, livret 1 and the
    targeted blocs, in a fixed number of queries."""
    return Candidacy.objects.select_related(
        "candidate", "certification", "eligibility_request"
    ).with_targeted_blocs()


def search(queryset, text: str):
    """By candidate name or e-mail, every word having to match somewhere: the account's
    names and the names of livret 1 (birth and usage names)."""
    for word in (text or "").split():
        queryset = queryset.filter(
            Q(candidate__email__icontains=word)
            | Q(candidate__first_name__icontains=word)
            | Q(candidate__last_name__icontains=word)
            | Q(eligibility_request__birth_name__icontains=word)
            | Q(eligibility_request__usage_name__icontains=word)
        )
    return queryset


# -- the candidate's space -------------------------------------------------------------


@dataclass(frozen=True)
class CandidacyCard:
    """One candidacy as its candidate sees it: where it stands and what comes next."""

    candidacy: Candidacy
    next_step: str
    to_act: bool  # the next step is the candidate's


@dataclass(frozen=True)
class Dashboard:
    open: list[CandidacyCard]
    closed: list[Candidacy]
    acquired_blocs: list[AcquiredBloc]
    can_start: bool


def own_candidacies(user):
    """The candidate's candidacies with their history, in a fixed number of queries."""
    return (
        Candidacy.objects.filter(candidate=user)
        .select_related("certification", "eligibility_request")
        .with_targeted_blocs()
        .prefetch_related(
            Prefetch("transitions", queryset=CandidacyTransition.objects.select_related("actor"))
        )
    )


def card(candidacy) -> CandidacyCard:
    return CandidacyCard(candidacy, NEXT_STEP[candidacy.state], candidacy.state in CANDIDATE_TO_ACT)


def dashboard(user) -> Dashboard:
    candidacies = list(own_candidacies(user))
    open_cards = [card(c) for c in candidacies if c.is_open]
    return Dashboard(
        open=open_cards,
        closed=[c for c in candidacies if not c.is_open],
        acquired_blocs=list(AcquiredBloc.objects.filter(candidate=user)),
        can_start=not open_cards and permissions.can_start_candidacy(user),
    )


@dataclass(frozen=True)
class CandidacyPage:
    """One candidacy's page for its candidate: its card, its history, the last message of
    the staff, and what the candidate may do now."""

    card: CandidacyCard
    transitions: list[CandidacyTransition]
    last_comment: CandidacyTransition | None
    can_withdraw: bool
    can_edit_livret1: bool
    can_open_dossier: bool
    can_edit_dossier: bool


def candidacy_page(candidacy, user) -> CandidacyPage:
    transitions = list(candidacy.transitions.all())
    last_comment = next(
        (t for t in reversed(transitions) if t.comment and t.actor_role != Role.CANDIDATE),
        None,
    )
    return CandidacyPage(
        card=card(candidacy),
        transitions=transitions,
        last_comment=last_comment,
        can_withdraw=permissions.can_withdraw(user, candidacy),
        can_edit_livret1=permissions.can_edit_livret1(user, candidacy),
        can_open_dossier=livret_permissions.can_open_dossier(user, candidacy),
        can_edit_dossier=permissions.can_edit_dossier(user, candidacy),
    )
