"""The forms of livret 1: one per section (``sections``), one per list item (``items``),
and what they share (``fields``)."""

from livret.eligibility.forms.items import ExperienceForm, NoTrainingForm, TrainingForm
from livret.eligibility.forms.sections import (
    AccommodationForm,
    BlocsForm,
    DeclarationForm,
    IdentityForm,
    SituationForm,
)

__all__ = [
    "AccommodationForm",
    "BlocsForm",
    "DeclarationForm",
    "ExperienceForm",
    "IdentityForm",
    "NoTrainingForm",
    "SituationForm",
    "TrainingForm",
]
