"""Reads of the certifier's side of the review: the panel page, the « Évaluation »
section of the candidacy's back-office page, the agreement report's links, and the
evaluators' passages and verdicts on the ratings page.

Which steps of the review the page offers comes from the candidacy machine
(``vae.services.available_transitions``), not from comparing states; why a step cannot
be taken yet is the machine's own wording of its guards (``transition_refusal``).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from referentiel.enums import Panel
from referentiel.models import Competence, Criterion
from review import permissions, rules
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.models import (
    Assignment,
    CandidateLinkReview,
    ConsolidatedRating,
    CriterionLink,
    ReviewEvent,
)
from review.reports import AgreementReport, agreement_report
from vae import services as vae_services
from vae.enums import (
    REVIEW_SECTION_STATES,
    REVIEW_STARTED_STATES,
    CandidacyState,
    Transition,
)


def review_started(candidacy) -> bool:
    """Whether ratings can exist: the review runs or ran (a withdrawal keeps them)."""
    if candidacy.state in REVIEW_STARTED_STATES:
        return True
    return (
        candidacy.state == CandidacyState.WITHDRAWN
        and candidacy.transitions.filter(transition=Transition.START_REVIEW).exists()
    )


# -- seats ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """An evaluator holding a seat now, and the page's form to remove them (if any)."""

    assignment: Assignment
    remove_form: object = None


@dataclass(frozen=True)
class SeatRow:
    """A seat of the référentiel's composition and the assignments made on it."""

    role: str
    label: str
    count: int
    holders: tuple[Holder, ...] = ()  # holding now (awaiting or active)
    ended: tuple[Assignment, ...] = ()  # conflict declared or removed

    @property
    def free(self) -> int:
        return max(self.count - len(self.holders), 0)

    @property
    def free_range(self):
        return range(self.free)


def seat_rows(candidacy, assignments) -> list[SeatRow]:
    """The référentiel's seats in order, each with its assignments; a seat the
    référentiel no longer has is shown after them, never hidden."""
    seats = {
        seat.role: (seat.label, seat.count)
        for seat in candidacy.certification.seats.filter(panel=Panel.EVALUATORS).order_by(
            "sort_order"
        )
    }
    holders, ended = {}, {}
    for assignment in assignments:
        if assignment.category not in seats:
            seats[assignment.category] = (assignment.get_category_display(), 0)
        if assignment.status in HOLDING_STATUSES:
            holders.setdefault(assignment.category, []).append(Holder(assignment))
        else:
            ended.setdefault(assignment.category, []).append(assignment)
    return [
        SeatRow(
            role,
            label,
            count,
            tuple(holders.get(role, ())),
            tuple(ended.get(role, ())),
        )
        for role, (label, count) in seats.items()
    ]


# -- the panel page ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewStep:
    """Starting or closing the review, as the panel page offers it."""

    offered: bool  # the machine offers it to this user now
    problems: tuple[str, ...]  # what its guards still miss (offered steps only)


def review_step(candidacy, user, transition, available) -> ReviewStep:
    if transition not in available:
        return ReviewStep(False, ())
    refusal = vae_services.transition_refusal(candidacy=candidacy, name=transition, by=user)
    return ReviewStep(True, tuple(refusal.problems) if refusal else ())


@dataclass(frozen=True)
class PanelPage:
    seats: tuple[SeatRow, ...]
    events: object  # the review's log, oldest first
    can_change_panel: bool
    start: ReviewStep
    complete: ReviewStep
    grids_in: bool  # while closing is offered: every grid is in

    @property
    def ended(self) -> list[tuple[str, Assignment]]:
        return [(seat.label, a) for seat in self.seats for a in seat.ended]

    @property
    def free_count(self) -> int:
        return sum(seat.free for seat in self.seats)

    @property
    def holding_count(self) -> int:
        return sum(len(seat.holders) for seat in self.seats)

    @property
    def wanted_count(self) -> int:
        return sum(seat.count for seat in self.seats)

    @property
    def free_seats(self) -> list[SeatRow]:
        return [seat for seat in self.seats if seat.free]

    @property
    def replacing(self) -> bool:
        """Some seat is or was held: the form fills the free seats only."""
        return any(seat.ended or seat.holders for seat in self.seats) and self.free_count > 0

    def with_remove_forms(self, form_for: Callable) -> "PanelPage":
        """The page with ``form_for(assignment)`` as each holder's removal form."""
        seats = tuple(
            replace(
                seat,
                holders=tuple(
                    replace(holder, remove_form=form_for(holder.assignment))
                    for holder in seat.holders
                ),
            )
            for seat in self.seats
        )
        return replace(self, seats=seats)


def panel_page(candidacy, *, user) -> PanelPage:
    assignments = (
        Assignment.objects.filter(candidacy=candidacy)
        .select_related("evaluator__evaluator_profile", "assigned_by")
        .order_by("assigned_at", "pk")
    )
    available = vae_services.available_transitions(candidacy, user)
    complete = review_step(candidacy, user, Transition.COMPLETE_REVIEW, available)
    return PanelPage(
        seats=tuple(seat_rows(candidacy, assignments)),
        events=ReviewEvent.objects.filter(candidacy=candidacy).select_related(
            "actor", "assignment__evaluator"
        ),
        can_change_panel=permissions.panel_can_change(candidacy),
        start=review_step(candidacy, user, Transition.START_REVIEW, available),
        complete=complete,
        grids_in=complete.offered and rules.all_grids_submitted(candidacy),
    )


def panel_note(candidacy) -> str:
    """Why the panel cannot be changed now ("" when it can)."""
    if permissions.panel_can_change(candidacy):
        return ""
    state = CandidacyState(candidacy.state)
    if state in (
        CandidacyState.DRAFT,
        CandidacyState.ELIGIBILITY_SUBMITTED,
        CandidacyState.ELIGIBLE,
    ):
        return _(
            "Le jury d'évaluation se constitue une fois le dossier de validation déposé "
            "(état actuel : « %(state)s »)."
        ) % {"state": state.label}
    return _("Le jury d'évaluation ne se modifie plus à l'état « %(state)s ».") % {
        "state": state.label
    }


# -- the « Évaluation » section of the candidacy's page -------------------------------


@dataclass(frozen=True)
class CandidacyReview:
    """How far the panel and the review of one candidacy are, for its back-office page
    (``templates/review/admin/includes/candidacy_review.html``)."""

    wanted: int  # seats of the référentiel
    holding: int  # held now (awaiting a declaration or active)
    free: int
    awaiting: int  # declarations awaited
    active: int
    submitted: int  # grids in, among the seats held
    conflicts: int  # conflicts of interest declared
    started: bool  # ratings can exist
    competences: int  # of the targeted blocs (once started)
    consolidated: int  # consolidated ratings (once started)
    can_manage: bool  # not the viewer's own candidacy
    panel_url: str
    ratings_url: str
    grid_pdf_url: str


def candidacy_review(candidacy, user) -> CandidacyReview | None:
    """What the candidacy's back-office page shows of its review, to ``user`` (None:
    nothing yet). A fixed handful of queries: the page is opened often."""
    assignments = list(Assignment.objects.filter(candidacy=candidacy).select_related("evaluator"))
    if candidacy.state not in REVIEW_SECTION_STATES and not assignments:
        return None
    seats = seat_rows(candidacy, assignments)
    holding = [holder.assignment for seat in seats for holder in seat.holders]
    started = review_started(candidacy)
    competences = consolidated = 0
    if started:
        competences = Competence.objects.filter(activity__bloc__candidacies=candidacy).count()
        consolidated = ConsolidatedRating.objects.filter(candidacy=candidacy).count()
    can_manage = permissions.can_manage_panel(user, candidacy)
    follow = can_manage and started
    return CandidacyReview(
        wanted=sum(seat.count for seat in seats),
        holding=len(holding),
        free=sum(seat.free for seat in seats),
        awaiting=sum(1 for a in holding if a.status == AssignmentStatus.AWAITING_DECLARATION),
        active=sum(1 for a in holding if a.status == AssignmentStatus.ACTIVE),
        submitted=sum(1 for a in holding if a.grid_submitted),
        conflicts=sum(1 for a in assignments if a.status == AssignmentStatus.CONFLICT),
        started=started,
        competences=competences,
        consolidated=consolidated,
        can_manage=can_manage,
        panel_url=reverse("review_admin:panel", args=[candidacy.pk]) if can_manage else "",
        ratings_url=reverse("review_admin:ratings", args=[candidacy.pk]) if follow else "",
        grid_pdf_url=reverse("review_admin:grid_pdf", args=[candidacy.pk]) if follow else "",
    )


# -- the agreement report ------------------------------------------------------------


def agreement_page(user, page=1) -> AgreementReport:
    """The agreement report, its dossiers by pages, each linked to its ratings when
    ``user`` may follow them (no link into one's own candidacy: its review is another
    certifier's work)."""
    report = agreement_report(page)
    dossiers = [
        replace(
            row,
            url=(
                reverse("review_admin:ratings", args=[row.candidacy.pk])
                if permissions.can_view_all_ratings_as_staff(user, row.candidacy)
                else ""
            ),
        )
        for row in report.dossiers
    ]
    return replace(report, dossiers=dossiers)


# -- the evaluators' notes, for the ratings page -------------------------------------------


@dataclass(frozen=True)
class EvaluatorNotes:
    """What each evaluator of the dossier wrote besides their ratings: their passages
    (``CriterionLink``, criteria and récit or piece loaded) and their verdicts on the
    candidate's links (``CandidateLinkReview``, the link loaded), every assignment's,
    those of an evaluator since removed included: staff read the whole record."""

    passages: tuple
    verdicts: tuple


def evaluator_notes(candidacy) -> EvaluatorNotes:
    """Three queries, whatever the number of notes."""
    passages = (
        CriterionLink.objects.filter(assignment__candidacy=candidacy)
        .select_related("assignment__evaluator", "evidence", "narrative__activity")
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.select_related("competence").order_by("pk"),
            )
        )
        .order_by("assignment__pk", "created_at", "pk")
    )
    verdicts = (
        CandidateLinkReview.objects.filter(assignment__candidacy=candidacy)
        .select_related(
            "assignment__evaluator",
            "link__competence",
            "link__evidence",
            "link__narrative__activity",
        )
        .order_by("link__competence__code", "link__pk", "assignment__pk")
    )
    return EvaluatorNotes(passages=tuple(passages), verdicts=tuple(verdicts))
