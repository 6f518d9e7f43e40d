"""Who may do what in the review: the one place these decisions are made.

An evaluator sees a dossier only once assigned AND after declaring not to know the
candidate; sees other evaluators' ratings only after submitting their own grid; the
certifier's representative consolidates once all grids are in. Candidates never see
individual ratings.
"""

from django.db.models import Q

from review.enums import AssignmentStatus, EvaluatorCategory
from review.models import Assignment
from vae import permissions as vae_permissions
from vae.enums import EVALUATOR_READING_STATES, PANEL_STATES, CandidacyState, Role


def is_evaluator(user) -> bool:
    return Role.EVALUATOR in vae_permissions.user_roles(user)


def assignment_of(user, candidacy):
    """The user's seat on the candidacy's panel (awaiting declaration or active), or None."""
    if not is_evaluator(user):
        return None
    return (
        Assignment.objects.holding()
        .filter(candidacy=candidacy, evaluator=user)
        .select_related("candidacy")
        .first()
    )


def can_manage_panel(user, candidacy) -> bool:
    """Certifiers (staff) assign and replace evaluators, never on their own candidacy."""
    return vae_permissions.is_certifier(user) and not vae_permissions.is_owner(user, candidacy)


def panel_can_change(candidacy) -> bool:
    """Evaluators are assigned, replaced or removed from the dossier's submission to the
    end of the review; afterwards the panel is the record of who evaluated."""
    return candidacy.state in PANEL_STATES


def can_declare(user, assignment) -> bool:
    return (
        assignment.evaluator_id == getattr(user, "pk", None)
        and assignment.status == AssignmentStatus.AWAITING_DECLARATION
        and is_evaluator(user)
    )


def can_read_dossier_as_evaluator(user, assignment) -> bool:
    """After the declaration only, and while the candidacy is in review or later."""
    return (
        assignment is not None
        and assignment.evaluator_id == getattr(user, "pk", None)
        and assignment.status == AssignmentStatus.ACTIVE
        and assignment.candidacy.state in EVALUATOR_READING_STATES
    )


def _read_from_seats(user, seats) -> Q:
    """The candidacies of ``seats`` (the user's active ones, maybe narrowed further) while
    an evaluator reads them, as a condition on candidacies (SQL)."""
    if not is_evaluator(user):
        return Q(pk__in=[])
    # Read from the seats' index by evaluator: an EXISTS per candidacy made the database
    # test every candidacy in a reading state, a cost that grew with the whole platform
    # rather than with the evaluator's dossiers.
    mine = seats.filter(evaluator=user).values("candidacy_id")
    return Q(pk__in=mine, state__in=EVALUATOR_READING_STATES)


def _reads_as_evaluator(user) -> Q:
    """``can_read_dossier_as_evaluator`` as a condition on candidacies (SQL)."""
    return _read_from_seats(user, Assignment.objects.active())


# Registered into the core's dossier policy (``ReviewConfig.ready``): the active
# evaluators who declared not to know the candidate read the dossier, while it is read.
EVALUATOR_READER = vae_permissions.Reader(
    can=lambda user, candidacy: can_read_dossier_as_evaluator(user, assignment_of(user, candidacy)),
    where=_reads_as_evaluator,
)


def can_work_on(user, assignment) -> bool:
    """Links, verdicts and ratings: while the review runs and the grid is not submitted."""
    return (
        can_read_dossier_as_evaluator(user, assignment)
        and assignment.candidacy.state == CandidacyState.UNDER_REVIEW
        and not assignment.grid_submitted
    )


def can_see_others_work(user, assignment) -> bool:
    """Blind review: nothing of another evaluator's work (passages or their counts,
    verdicts on the candidate's links, ratings, whether their grid is in) reaches an
    evaluator until their own grid is submitted: even a count steers a reading."""
    return can_read_dossier_as_evaluator(user, assignment) and assignment.grid_submitted


def _sees_others_work(user) -> Q:
    """``can_see_others_work`` as a condition on candidacies (SQL): read as an evaluator,
    own grid submitted."""
    return _read_from_seats(
        user, Assignment.objects.active().filter(grid_submitted_at__isnull=False)
    )


# The candidacies whose other evaluators' work (and consolidation) an evaluator may read:
# what the search puts in its query for those texts (``search.scope``).
OTHERS_WORK_READER = vae_permissions.Reader(
    can=lambda user, candidacy: can_see_others_work(user, assignment_of(user, candidacy)),
    where=_sees_others_work,
)


def can_see_other_ratings(user, assignment) -> bool:
    """Another evaluator's grid stays hidden until one's own is submitted."""
    return can_see_others_work(user, assignment)


def can_consolidate(user, assignment, all_submitted: bool) -> bool:
    return (
        can_read_dossier_as_evaluator(user, assignment)
        and assignment.category == EvaluatorCategory.CERTIFIER
        and assignment.candidacy.state == CandidacyState.UNDER_REVIEW
        and all_submitted
    )


def can_view_all_ratings_as_staff(user, candidacy) -> bool:
    """Certifiers (staff, not on the panel) follow the review and see every rating."""
    return vae_permissions.is_certifier(user) and not vae_permissions.is_owner(user, candidacy)
