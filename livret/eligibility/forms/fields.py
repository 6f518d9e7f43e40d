"""Widgets, validators and helpers of the livret 1 forms."""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy

from livret.eligibility.models import EligibilityRequest

MIN_AGE = 16
MAX_AGE = 100
MIN_DESCRIPTION_LENGTH = 30
MAX_DURATION_MONTHS = 600
FIRST_TRAINING_YEAR = 1950


def today() -> datetime.date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    """A native date picker; the value is re-rendered in the ISO format it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().casefold()


def is_france(country: str) -> bool:
    return _folded(country) in {"france", "fr", "france metropolitaine"}


PHONE_ERROR = gettext_lazy(
    "Numéro de téléphone invalide : indiquez un numéro français (06 12 34 56 78 ou "
    "+33 6 12 34 56 78) ou international (+ suivi de 8 à 15 chiffres)."
)


def normalise_phone(raw: str) -> str:
    """A French number as « 06 12 34 56 78 », an international one as « +4412345678 »."""
    compact = re.sub(r"[\s.\-/]", "", raw or "").replace("(0)", "")
    compact = compact.replace("(", "").replace(")", "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        national = compact[3:]
        if not re.fullmatch(r"[1-9]\d{8}", national):
            raise forms.ValidationError(PHONE_ERROR, code="invalid_phone")
        compact = "0" + national
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+[1-9]\d{7,14}", compact):
        return compact
    raise forms.ValidationError(PHONE_ERROR, code="invalid_phone")


def required(message):
    return {"required": message}


class PartialSaveMixin:
    """A section form whose valid answers are saved even when others are refused: the
    livret says one may stop at any time, so a blank phone must not throw away the rest.

    ``partial_data()`` (after ``is_valid()``) gives each valid field's cleaned value and an
    empty value for each refused one: the stored livret never keeps an answer the
    candidate has just replaced, and ``livret.eligibility.completeness`` reports the gap.
    """

    def partial_data(self) -> dict:
        data = {}
        for name in self.fields:
            if name in self.errors:
                model_field = EligibilityRequest._meta.get_field(name)
                data[name] = None if model_field.null else ""
            elif name in self.cleaned_data:
                data[name] = self.cleaned_data[name]
        return data

    @property
    def refused_count(self) -> int:
        return sum(1 for name in self.errors if name != NON_FIELD_ERRORS)


def conditionally_required(field, condition: str, *, now: bool):
    """A field required only with a given answer: required now or not, and labelled
    « (obligatoire <condition>) » by includes/field.html instead of « (facultatif) »."""
    field.required = now
    field.required_when = condition
