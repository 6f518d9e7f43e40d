from vae.models.candidacy import (
    AcquiredBloc,
    Candidacy,
    CandidacyQuerySet,
    CandidacyTransition,
)
from vae.models.documents import GeneratedDocument
from vae.models.personal_data import AccessedFile, FileAccess, RetentionPolicy
from vae.models.reminders import SentReminder
from vae.models.users import User, UserManager, UserSession

__all__ = [
    "AccessedFile",
    "AcquiredBloc",
    "Candidacy",
    "CandidacyQuerySet",
    "CandidacyTransition",
    "FileAccess",
    "GeneratedDocument",
    "RetentionPolicy",
    "SentReminder",
    "User",
    "UserManager",
    "UserSession",
]
