"""Reads of the roof's pages, which join the candidacy with the livrets: typed view
objects, never attributes written onto model instances."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, prefetch_related_objects

from certificates import selectors as credential_selectors
from jury import selectors as jury_selectors
from jury.enums import DecisionResult
from livret import permissions as livret_permissions
from livret.dossier.coverage import coverage
from livret.dossier.evidence.presentation import dossier_evidence
from livret.eligibility.completeness import section_statuses
from livret.eligibility.precheck import precheck
from livret.models import Dossier, EligibilityRequest
from portal.guidance import CANDIDATE_TO_ACT, NEXT_STEP
from referentiel.prepared import PreparedQuery
from review.selectors.staff import CandidacyReview, candidacy_review
from vae import permissions
from vae.documents.presentation import document_state
from vae.enums import CandidacyState, Role
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


# The dashboard is the page candidates come back to: its two reads are compiled once.
# The cards show a reference, a state and the next step: the history and the blocs that
# ``own_candidacies`` prefetches for the candidacy page would be read for nothing.
_own_candidacies = PreparedQuery(lambda user_id: Candidacy.objects.filter(candidate_id=user_id))
_acquired_blocs = PreparedQuery(lambda user_id: AcquiredBloc.objects.filter(candidate_id=user_id))


def dashboard(user) -> Dashboard:
    candidacies = _own_candidacies(user.pk)
    open_cards = [card(c) for c in candidacies if c.is_open]
    return Dashboard(
        open=open_cards,
        closed=[c for c in candidacies if not c.is_open],
        acquired_blocs=_acquired_blocs(user.pk),
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
    # The convocation that stands, while the candidate is convoked (``jury``).
    convocation: object = None
    # The jury's signed decision, once decided (``jury.selectors.CandidateDecision``).
    decision: object = None
    # A partial validation whose candidate has no candidacy open: « Poursuivre pour les
    # blocs restants » starts one targeting only the blocs still missing.
    can_continue: bool = False
    # The certificate or bloc attestations issued after the decision (``certificates``),
    # each with the state of its PDF.
    credentials: tuple = ()


def _can_continue(decision, candidacy, user) -> bool:
    return (
        decision is not None
        and decision.result == DecisionResult.PARTIAL
        and permissions.is_owner(user, candidacy)
        and permissions.can_start_candidacy(user)
        and not Candidacy.objects.open()
        .filter(candidate=user, certification_code=candidacy.certification_code)
        .exists()
    )


def candidacy_page(candidacy, user) -> CandidacyPage:
    transitions = list(candidacy.transitions.all())
    last_comment = next(
        (t for t in reversed(transitions) if t.comment and t.actor_role != Role.CANDIDATE),
        None,
    )
    decision = (
        jury_selectors.candidate_decision(candidacy)
        if candidacy.state == CandidacyState.DECIDED
        else None
    )
    return CandidacyPage(
        card=card(candidacy),
        transitions=transitions,
        last_comment=last_comment,
        can_withdraw=permissions.can_withdraw(user, candidacy),
        can_edit_livret1=permissions.can_edit_livret1(user, candidacy),
        can_open_dossier=livret_permissions.can_open_dossier(user, candidacy),
        can_edit_dossier=permissions.can_edit_dossier(user, candidacy),
        convocation=(
            jury_selectors.live_convocation(candidacy)
            if candidacy.state == CandidacyState.JURY_SCHEDULED
            else None
        ),
        decision=decision,
        can_continue=_can_continue(decision, candidacy, user),
        credentials=tuple(
            IssuedDocument(credential, credential.document and document_state(credential.document))
            for credential in credential_selectors.credentials_of(candidacy)
        )
        if candidacy.state == CandidacyState.DECIDED
        else (),
    )


@dataclass(frozen=True)
class IssuedDocument:
    credential: object
    # ``vae.documents.presentation.document_state`` of its PDF; None before it is asked.
    state: dict | None


# -- the certifier's page of one candidacy ----------------------------------------------


@dataclass(frozen=True)
class DossierSummary:
    """Livret 2 as the certifier checks it: coverage, evidence (and the PDF export)."""

    dossier: Dossier
    coverage: object
    evidence: list


@dataclass(frozen=True)
class CertifierPage:
    eligibility_request: EligibilityRequest | None
    precheck: object
    section_statuses: list
    transitions: list[CandidacyTransition]
    review: CandidacyReview | None
    dossier: DossierSummary | None

    @property
    def livret1_complete(self) -> bool:
        return bool(self.section_statuses) and all(s.complete for s in self.section_statuses)


def _eligibility_request(candidacy) -> EligibilityRequest | None:
    request = getattr(candidacy, "eligibility_request", None)
    if request is not None:
        # One query per related list, however many experiences the candidate declared.
        prefetch_related_objects(
            [request],
            "experiences",
            "trainings",
            "candidacy__targeted_blocs",
            "candidacy__certification__prerequisites",
        )
    return request


def _dossier(candidacy) -> DossierSummary | None:
    dossier = Dossier.objects.filter(candidacy=candidacy).first()
    if dossier is None:
        return None
    return DossierSummary(dossier, coverage(candidacy, dossier), dossier_evidence(dossier))


def certifier_page(candidacy, user) -> CertifierPage:
    """Everything the certifier's page of one candidacy shows below its decisions:
    livret 1 with its pre-check, the history, the review, livret 2."""
    request = _eligibility_request(candidacy)
    return CertifierPage(
        eligibility_request=request,
        precheck=precheck(request) if request else None,
        section_statuses=section_statuses(request) if request else [],
        transitions=list(candidacy.transitions.select_related("actor")),
        review=candidacy_review(candidacy, user),
        dossier=_dossier(candidacy),
    )
