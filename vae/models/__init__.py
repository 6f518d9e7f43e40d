from vae.models.candidacy import (
    AcquiredBloc,
    Candidacy,
    CandidacyQuerySet,
    CandidacyTransition,
)
from vae.models.users import User, UserManager

__all__ = [
    "AcquiredBloc",
    "Candidacy",
    "CandidacyQuerySet",
    "CandidacyTransition",
    "User",
    "UserManager",
]
