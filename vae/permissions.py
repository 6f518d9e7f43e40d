"""Who may do what on which candidacy: the one place these decisions are made.

Views, templates, services and the state machine all ask here; none decides on its own.

Two resources, one policy each, every policy answering both ways:
``can(user, candidacy)`` for one object, and ``scope(queryset, user)`` the same decision
as a filter in SQL, for lists and for search (which must filter in its query, never
after): ``Candidacy.objects.visible_to(user)``, ``.dossiers_readable_by(user)``.

- ``CANDIDACIES``: the candidacy itself, its state and history (its candidate, the
  certifiers).
- ``DOSSIERS``: the candidacy's documents (livret 2, evidence, review notes): the same
  people plus the readers the upper apps register (review: the active evaluators who
  declared not to know the candidate; the jury, next: the session's members).

The upper apps also say who, for their roles, may perform a transition
(``register_actor``): the core only knows the candidate and the certifier.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from vae.enums import (
    DOSSIER_EDITABLE_STATES,
    FINAL_STATES,
    LIVRET1_EDITABLE_STATES,
    TRANSITIONS,
    Role,
    Transition,
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


# -- policies ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """Someone an upper app lets read candidacies: ``can`` for one candidacy, ``where``
    the same decision as a condition on candidacies (SQL), given the user."""

    can: Callable[..., bool]
    where: Callable[..., Q]


class CandidacyPolicy:
    """The candidacy: its candidate and the certifiers (staff) see it."""

    def can(self, user, candidacy) -> bool:
        return is_owner(user, candidacy) or is_certifier(user)

    def where(self, user) -> Q | None:
        """The condition on candidacies, or None when ``user`` sees them all."""
        if is_certifier(user):
            return None
        if _active(user):
            return Q(candidate=user)
        return Q(pk__in=[])

    def scope(self, queryset, user):
        """``queryset`` (of candidacies) narrowed, in SQL, to those ``user`` may see.

        ``Candidacy.objects.visible_to(user)`` and ``.dossiers_readable_by(user)`` call it.
        """
        where = self.where(user)
        return queryset if where is None else queryset.filter(where)


class DossierPolicy(CandidacyPolicy):
    """The candidacy's documents: who sees the candidacy, and the registered readers."""

    def __init__(self):
        self.readers: dict[str, Reader] = {}

    def register(self, name: str, reader: Reader) -> None:
        """Called by an upper app's ``ready()``; the same name replaces (idempotent)."""
        self.readers[name] = reader

    def can(self, user, candidacy) -> bool:
        return super().can(user, candidacy) or (
            _active(user) and any(reader.can(user, candidacy) for reader in self.readers.values())
        )

    def where(self, user) -> Q | None:
        where = super().where(user)
        if where is None or not _active(user):
            return where
        for reader in self.readers.values():
            where |= reader.where(user)
        return where


CANDIDACIES = CandidacyPolicy()
DOSSIERS = DossierPolicy()


def can_view_candidacy(user, candidacy) -> bool:
    return CANDIDACIES.can(user, candidacy)


def can_view_dossier(user, candidacy) -> bool:
    return DOSSIERS.can(user, candidacy)


def can_edit_livret1(user, candidacy) -> bool:
    return is_owner(user, candidacy) and candidacy.state in LIVRET1_EDITABLE_STATES


def can_edit_dossier(user, candidacy) -> bool:
    """Livret 2 is written by its candidate only, and only while the candidacy is eligible."""
    return is_owner(user, candidacy) and candidacy.state in DOSSIER_EDITABLE_STATES


# -- who performs a transition --------------------------------------------------------

# For the roles the core does not manage (the jury's members), the upper app registers
# ``check(user, candidacy) -> bool``: may this user act in that role on that candidacy.
_actor_checks: dict[Role, Callable[..., bool]] = {}


def register_actor(role: Role, check: Callable[..., bool]) -> None:
    _actor_checks[Role(role)] = check


def acting_role(user, candidacy, transition) -> Role | None:
    """The role in which ``user`` would perform ``transition`` on ``candidacy``, or None.

    A certifier never decides on their own candidacy: acting on one's own file is a
    conflict of interest, so on their own candidacy they act as a candidate only.
    """
    if not _active(user):
        return None
    actors = TRANSITIONS[Transition(transition)].actors
    if is_owner(user, candidacy):
        return Role.CANDIDATE if Role.CANDIDATE in actors else None
    if Role.CERTIFIER in actors and is_certifier(user):
        return Role.CERTIFIER
    for role in sorted(actors - {Role.CANDIDATE, Role.CERTIFIER}):
        check = _actor_checks.get(role)
        if check is not None and role in user_roles(user) and check(user, candidacy):
            return role
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
