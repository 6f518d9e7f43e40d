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

__all__ = [
    "Activity",
    "Assessment",
    "Bloc",
    "Certification",
    "CertificationPage",
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
