"""The models of the ``livret`` app, defined by its two livrets and registered here.

Both sub-packages' models belong to the one app label ``livret`` (Django finds the app of a
model by its module path), so moving them changed no table and no migration.
``from livret.models import Evidence`` keeps working for every layer above.
"""

from livret.dossier.models import (
    CompetenceLink,
    Dossier,
    DossierSubmission,
    Evidence,
    EvidenceOverrun,
    EvidencePage,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from livret.eligibility.models import (
    ACCOMMODATION_FIELDS,
    EXPERIENCE_FIELDS,
    IDENTITY_FIELDS,
    IDENTITY_OPTIONAL_FIELDS,
    SITUATION_FIELDS,
    TRAINING_FIELDS,
    EligibilityRequest,
    Experience,
    Training,
)

__all__ = [
    "ACCOMMODATION_FIELDS",
    "EXPERIENCE_FIELDS",
    "IDENTITY_FIELDS",
    "IDENTITY_OPTIONAL_FIELDS",
    "SITUATION_FIELDS",
    "TRAINING_FIELDS",
    "CompetenceLink",
    "Dossier",
    "DossierSubmission",
    "EligibilityRequest",
    "Evidence",
    "EvidenceOverrun",
    "EvidencePage",
    "Experience",
    "Narrative",
    "NarrativeRevision",
    "NoEvidenceReason",
    "Training",
]
