"""Who may do what on which candidacy: the one place these decisions are made.

Views, templates, services and the state machine all ask here; none decides on its own.
"""

from vae.enums import (
    DOSSIER_EDITABLE_STATES,
    FINAL_STATES,
    LIVRET1_EDITABLE_STATES,
    Role,
    Transition,
)

# Transitions a candidate performs on their own candidacy, and those of the certifier.
CANDIDATE_TRANSITIONS = frozenset(
    {Transition.SUBMIT_ELIGIBILITY, Transition.SUBMIT_DOSSIER, Transition.WITHDRAW}
)
CERTIFIER_TRANSITIONS = frozenset(
    {
        Transition.RETURN_ELIGIBILITY,
        Transition.ACCEPT_ELIGIBILITY,
        Transition.REJECT_ELIGIBILITY,
        Transition.RETURN_DOSSIER,
        Transition.START_REVIEW,
        Transition.COMPLETE_REVIEW,
        Transition.WITHDRAW,
    }
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_roles(user) -> set[Role]:
    """The user's roles, read once per user object (templates ask several times)."""
    if not _active(user):
        return set()
    cached = getattr(user, "_vae_roles", None)
    if cached is None:
        cached = user.roles
        user._vae_roles = cached
    return cached


def is_certifier(user) -> bool:
    return _active(user) and (user.is_superuser or Role.CERTIFIER in user_roles(user))


def is_candidate(user) -> bool:
    return Role.CANDIDATE in user_roles(user)


def is_owner(user, candidacy) -> bool:
    return _active(user) and candidacy.candidate_id == user.pk


def can_start_candidacy(user) -> bool:
    return is_candidate(user)


def can_view_candidacy(user, candidacy) -> bool:
    """The candidate sees their own candidacies; certifiers see all of them.

    Evaluators and jury members will see the dossiers assigned to them (later issues).
    """
    return is_owner(user, candidacy) or is_certifier(user)


def can_edit_livret1(user, candidacy) -> bool:
    return is_owner(user, candidacy) and candidacy.state in LIVRET1_EDITABLE_STATES


def can_edit_dossier(user, candidacy) -> bool:
    """Livret 2 is written by its candidate only, and only while the candidacy is eligible."""
    return is_owner(user, candidacy) and candidacy.state in DOSSIER_EDITABLE_STATES


def can_view_dossier(user, candidacy) -> bool:
    """The candidate and the certifiers read livret 2 and its evidence; so does an
    evaluator of its panel, once they have declared not to know the candidate."""
    if can_view_candidacy(user, candidacy):
        return True
    from review.permissions import assignment_of, can_read_dossier_as_evaluator

    return can_read_dossier_as_evaluator(user, assignment_of(user, candidacy))


def acting_role(user, candidacy, transition) -> Role | None:
    """The role in which ``user`` would perform ``transition`` on ``candidacy``, or None.

    A certifier never decides on their own candidacy: acting on one's own file is a
    conflict of interest, so on their own candidacy they act as a candidate only.
    """
    if not _active(user):
        return None
    transition = Transition(transition)
    if is_owner(user, candidacy):
        return Role.CANDIDATE if transition in CANDIDATE_TRANSITIONS else None
    if transition in CERTIFIER_TRANSITIONS and is_certifier(user):
        return Role.CERTIFIER
    return None


def may(transition):
    """The ``permission`` callable django-fsm stores on a transition."""

    def check(candidacy, user) -> bool:
        return acting_role(user, candidacy, transition) is not None

    check.__name__ = f"may_{transition}"
    return check


def can_withdraw(user, candidacy) -> bool:
    return candidacy.state not in FINAL_STATES and (
        acting_role(user, candidacy, Transition.WITHDRAW) is not None
    )
