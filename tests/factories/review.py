"""The review of a dossier: evaluators, their panel, their grids and the consolidation.

Two kinds of builders. ``form_panel``, ``submit_grids`` and ``consolidate`` act as the
people concerned would (the certifier assigns, each evaluator declares, rates and submits,
the certifier's representative consolidates), through ``review.services`` or, where a
service would cost one round trip per compétence, by writing exactly the rows it writes:
they leave every row the application leaves, review events included
(tests/test_factories.py compares them with the services'), and are what
``CandidacyFactory``'s traits use. ``make_panel``, ``make_grids`` and
``make_consolidation`` write the rows alone, for a candidacy put directly in a state
(``CandidacyFactory(state=…)``), where the services would refuse to act.
"""

from django.utils import timezone

from referentiel.enums import Rating
from review import permissions, services
from review.enums import AssignmentStatus, EvaluatorCategory, ReviewEventKind
from review.models import (
    Assignment,
    CompetenceRating,
    ConsolidatedRating,
    EvaluatorProfile,
    ReviewEvent,
)
from review.rules import seats
from tests.factories.vae import UserFactory
from vae.enums import Role
from vae.workflow import TransitionForbidden

# The référentiel's evaluator seats (2 external professionals, 1 training-body and 1
# certifier representative), for the row builders, which do not read the référentiel.
PANEL = ["external_professional", "external_professional", "training_body", "certifier"]
JUSTIFICATION = "Les pièces montrent la compétence exercée en autonomie."
CONSOLIDATION = "Consolidé après lecture des quatre grilles."


class EvaluatorFactory(UserFactory):
    """A user with the evaluator role and a profile for one seat category."""

    first_name = "Évaluateur"

    @classmethod
    def _create(cls, model_class, *args, category="external_professional", **kwargs):
        kwargs.setdefault("role", Role.EVALUATOR)
        user = super()._create(model_class, *args, **kwargs)
        EvaluatorProfile.objects.create(user=user, category=category)
        return user


def rate_all(assignment, competences, rating) -> list[CompetenceRating]:
    """The rows ``services.rate`` writes for each compétence (it logs nothing), in one query."""
    return CompetenceRating.objects.bulk_create(
        CompetenceRating(
            assignment=assignment, competence=competence, rating=rating, justification=JUSTIFICATION
        )
        for competence in competences
    )


def consolidate_all(candidacy, competences, rating, by) -> list[ConsolidatedRating]:
    """The consolidated rating of each compétence, in one query."""
    return ConsolidatedRating.objects.bulk_create(
        ConsolidatedRating(
            candidacy=candidacy,
            competence=competence,
            rating=rating,
            justification=CONSOLIDATION,
            decided_by=by,
        )
        for competence in competences
    )


# -- through the services -----------------------------------------------------------------


def form_panel(candidacy, *, by) -> list[Assignment]:
    """The certifier ``by`` assigns one new evaluator per seat of the référentiel, and
    each declares not knowing the candidate (the candidacy must be in a panel state)."""
    evaluators = [
        EvaluatorFactory(category=role)
        for role, (_label, count) in seats(candidacy).items()
        for _seat in range(count)
    ]
    assignments = services.assign_panel(candidacy=candidacy, evaluators=evaluators, by=by)
    return [
        services.declare(assignment=assignment, by=assignment.evaluator, knows_candidate=False)
        for assignment in assignments
    ]


def submit_grids(candidacy, *, rating=Rating.ACQUIRED) -> list[Assignment]:
    """Every active evaluator rates every targeted compétence and submits their grid.

    The ratings are the rows ``services.rate`` writes (it logs nothing), created in one
    query per grid: through the service, a grid of 26 compétences costs 26 round trips of
    checks (about half a second). The submission goes through ``services.submit_grid``.
    """
    competences = candidacy.targeted_competences()
    submitted = []
    for assignment in Assignment.objects.active().filter(candidacy=candidacy):
        rate_all(assignment, competences, rating)
        submitted.append(services.submit_grid(assignment=assignment, by=assignment.evaluator))
    return submitted


def consolidate(candidacy, *, rating=Rating.ACQUIRED) -> list[ConsolidatedRating]:
    """The certifier's representative on the panel consolidates every targeted compétence.

    The rows ``services.consolidate`` leaves (the rating and its review event), in two
    queries, for the same reason as ``submit_grids``; refused like the service when a grid
    is missing.
    """
    seat = Assignment.objects.active().get(
        candidacy=candidacy, category=EvaluatorCategory.CERTIFIER
    )
    if not permissions.can_consolidate(
        seat.evaluator, seat, services.all_grids_submitted(candidacy)
    ):
        raise TransitionForbidden("Consolidation impossible : une grille manque.")
    competences = candidacy.targeted_competences()
    rows = consolidate_all(candidacy, competences, rating, seat.evaluator)
    ReviewEvent.objects.bulk_create(
        ReviewEvent(
            candidacy=candidacy,
            assignment=seat,
            kind=ReviewEventKind.CONSOLIDATED,
            actor=seat.evaluator,
            details=competence.code,
        )
        for competence in competences
    )
    return rows


# -- rows alone ---------------------------------------------------------------------------


def make_panel(candidacy, *, declared=True, by=None):
    """The four evaluators of the référentiel's composition, assigned (and declared)."""
    by = by or UserFactory(role=Role.CERTIFIER)
    assignments = []
    for category in PANEL:
        assignment = Assignment.objects.create(
            candidacy=candidacy,
            evaluator=EvaluatorFactory(category=category),
            category=category,
            assigned_by=by,
        )
        if declared:
            assignment.status = AssignmentStatus.ACTIVE
            assignment.declared_at = assignment.assigned_at
            assignment.save()
        assignments.append(assignment)
    return assignments


def make_grids(candidacy, assignments, *, rating="acquis", submit=True):
    """Every evaluator rates every targeted compétence."""
    competences = candidacy.targeted_competences()
    for assignment in assignments:
        rate_all(assignment, competences, rating)
        if submit:
            # update(), not save(): the caller's assignment objects may be stale.
            assignment.grid_submitted_at = timezone.now()
            type(assignment).objects.filter(pk=assignment.pk).update(
                grid_submitted_at=assignment.grid_submitted_at
            )


def make_consolidation(candidacy, *, rating="acquis", by=None):
    """A consolidated rating for every targeted compétence."""
    by = by or UserFactory(role=Role.EVALUATOR)
    consolidate_all(candidacy, candidacy.targeted_competences(), rating, by)
