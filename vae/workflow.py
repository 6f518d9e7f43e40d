"""What the candidacy machine needs besides the model: its errors and its guards.

Errors carry a French sentence meant for the person who acted. Guards are callables
django-fsm evaluates as ``conditions``; each can also say, in French, what is missing, so
that a refused transition tells the user why.
"""

from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.translation import gettext as _


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


def _livret1_problems(candidacy) -> list[str]:
    # Imported here: livret depends on vae's models, not the other way round.
    from livret.completeness import eligibility_problems

    return eligibility_problems(candidacy)


def _eligibility_still_valid(candidacy) -> list[str]:
    if candidacy.eligible_until and candidacy.eligible_until < timezone.localdate():
        return [
            _("La recevabilité de votre demande a expiré le %(date)s.")
            % {"date": formats.date_format(candidacy.eligible_until, "j F Y")}
        ]
    return []


def _dossier_problems(candidacy) -> list[str]:
    from livret.coverage import dossier_problems

    return _eligibility_still_valid(candidacy) + dossier_problems(candidacy)


def _panel_problems(candidacy) -> list[str]:
    from review.rules import panel_problems

    return panel_problems(candidacy)


def _consolidation_problems(candidacy) -> list[str]:
    from review.rules import consolidation_problems

    return consolidation_problems(candidacy)


livret1_complete = Guard(_livret1_problems, "livret1_complete")
panel_ready = Guard(_panel_problems, "panel_ready")
review_consolidated = Guard(_consolidation_problems, "review_consolidated")
dossier_complete = Guard(_dossier_problems, "dossier_complete")
