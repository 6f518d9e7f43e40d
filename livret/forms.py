"""Form pieces both livrets share: a person's name as typed in a form, and the name
under a sworn statement (livret 1's declaration, livret 2's signature), which must be the
candidate's own (``livret.rules``).
"""

import unicodedata

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.rules import sworn_name_problem

NAME_SEPARATORS = frozenset(" -'’")


def squash(value: str) -> str:
    """Spaces collapsed, the text in Unicode's composed form (« é » as one character)."""
    return unicodedata.normalize("NFC", " ".join((value or "").split()))


def clean_person_name(value: str) -> str:
    """Letters (accents included), spaces, hyphens and apostrophes; starts with a letter."""
    value = squash(value)
    if not value:
        return value

    def is_letter(char):
        return char.isalpha() or unicodedata.category(char).startswith("M")

    if not (
        all(is_letter(char) or char in NAME_SEPARATORS for char in value)
        and is_letter(value[0])
        and is_letter(value[-1])
    ):
        raise forms.ValidationError(
            _(
                "Utilisez uniquement des lettres (accents compris), des espaces, des traits "
                "d'union et des apostrophes."
            ),
            code="invalid_name",
        )
    return value


def check_sworn_name(name: str, identity, expected: str) -> str:
    """A sworn statement is signed with the candidate's own name (``livret.rules``)."""
    problem = name and sworn_name_problem(name, identity, expected)
    if problem:
        raise forms.ValidationError(problem, code="not_candidate_name")
    return name


SWORN_NAME_HELP = gettext_lazy(
    "Votre prénom et votre nom de naissance ou d'usage, tels que vous les avez déclarés "
    "dans la section Identité."
)
