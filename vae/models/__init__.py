from vae.models.candidacy import (
    AcquiredBloc,
    Candidacy,
    CandidacyQuerySet,
    CandidacyTransition,
)
from vae.models.documents import GeneratedDocument
from vae.models.users import User, UserManager, UserSession

__all__ = [
    "AcquiredBloc",
    "Candidacy",
    "CandidacyQuerySet",
    "CandidacyTransition",
    "GeneratedDocument",
    "User",
    "UserManager",
    "UserSession",
]
