from referentiel.models.pages import (
    CertificationPage,
    ContentPage,
    FaqPage,
    FaqQuestion,
    HomePage,
    PrivacyPage,
)
from referentiel.models.referentiel import (
    Activity,
    Assessment,
    Bloc,
    Certification,
    Competence,
    CompositionSeat,
    Criterion,
    Prerequisite,
    VersionLockedError,
)
from referentiel.models.registration import CertificationRegistration

__all__ = [
    "Activity",
    "Assessment",
    "Bloc",
    "Certification",
    "CertificationPage",
    "CertificationRegistration",
    "Competence",
    "CompositionSeat",
    "ContentPage",
    "Criterion",
    "FaqPage",
    "FaqQuestion",
    "HomePage",
    "Prerequisite",
    "PrivacyPage",
    "VersionLockedError",
]
