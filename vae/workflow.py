"""What the candidacy machine needs besides the model: its errors, its guards, its effects.

Errors carry a French sentence meant for the person who acted. Guards are callables
django-fsm evaluates as ``conditions``; each can also say, in French, what is missing, so
that a refused transition tells the user why.

The core knows no upper app. What a transition needs from one (« livret 1 complete », the
freeze of livret 2 on submission, « panel ready »…) is registered by that app, in its
``AppConfig.ready()``, into the registry below, keyed by transition:
``register_guard(Transition.SUBMIT_DOSSIER, dossier_problems)``,
``register_effect(Transition.SUBMIT_DOSSIER, freeze_submission)``. The machine asks the
registry when it runs, so the order of the apps' loading does not matter.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from referentiel import french as fr
from vae.enums import Transition


class WorkflowError(Exception):
    """A transition or a candidacy action that cannot happen; ``message`` is for users."""

    def __init__(self, message: str, *, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self):
        return " ".join([self.message, *self.problems])


class TransitionRefused(WorkflowError):
    """Not possible from the current state, or a guard is not met, or input is missing."""


def required_reason(reason, *, max_chars: int, told_to: str) -> str:
    """``reason`` stripped, or ``TransitionRefused`` when it is missing or too long: a
    correction or a cancellation always says why to the person it concerns (``told_to``,
    e.g. « au candidat »)."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(
            _("Le motif est obligatoire : il est communiqué %(to)s.") % {"to": told_to}
        )
    if len(reason) > max_chars:
        raise TransitionRefused(
            _("Le motif ne doit pas dépasser %(max)s caractères.") % {"max": max_chars}
        )
    return reason


class TransitionForbidden(WorkflowError):
    """The acting user may not perform this action on this candidacy."""


class ConcurrentDecision(WorkflowError):
    """Someone else changed the candidacy between the moment it was read and the write."""


class AppendOnlyError(Exception):
    """The transition log is never updated nor deleted."""


class Guard:
    """A condition of a transition that can explain itself.

    ``problems(candidacy)`` returns the French sentences of what is missing (empty when
    the guard holds); calling the guard, as django-fsm does, says whether it holds.
    """

    def __init__(self, problems: Callable[..., list[str]], name: str):
        self.problems = problems
        self.__name__ = name

    def __call__(self, candidacy) -> bool:
        return not self.problems(candidacy)


def eligibility_still_valid(candidacy) -> list[str]:
    """The core's own guard of the dossier's submission: the recevabilité has not expired."""
    if candidacy.eligible_until and candidacy.eligible_until < timezone.localdate():
        return [
            _("La recevabilité de votre demande a expiré le %(date)s.")
            % {"date": fr.date(candidacy.eligible_until)}
        ]
    return []


# A guard returns the French sentences of what is missing; an effect runs inside the
# transition's atomic block, after the state and its log row are saved, as
# ``effect(candidacy=…, entry=…)`` (``entry`` is the new ``CandidacyTransition``).
GuardFunction = Callable[..., list[str]]
Effect = Callable[..., object]

# The core's guards come first: their sentences lead the list the user reads.
_guards: dict[Transition, list[GuardFunction]] = defaultdict(list)
_guards[Transition.SUBMIT_DOSSIER].append(eligibility_still_valid)
_effects: dict[Transition, list[Effect]] = defaultdict(list)


def register_guard(transition, problems: GuardFunction) -> None:
    """Make ``problems(candidacy)`` a condition of ``transition`` (idempotent)."""
    guards = _guards[Transition(transition)]
    if problems not in guards:
        guards.append(problems)


def register_effect(transition, effect: Effect) -> None:
    """Run ``effect`` in the atomic block of every ``transition`` (idempotent)."""
    effects = _effects[Transition(transition)]
    if effect not in effects:
        effects.append(effect)


def effects_of(transition) -> list[Effect]:
    return list(_effects[Transition(transition)])


def problems_of(transition, candidacy) -> list[str]:
    """Every registered guard's sentences for ``candidacy``: empty when all hold."""
    return [problem for guard in _guards[Transition(transition)] for problem in guard(candidacy)]


def guard(transition) -> Guard:
    """The one django-fsm condition of ``transition``: all its registered guards."""
    transition = Transition(transition)
    return Guard(lambda candidacy: problems_of(transition, candidacy), f"{transition}_guards")
