"""Form pieces both livrets share: the name under a sworn statement (livret 1's
declaration, livret 2's signature), which must be the candidate's own (``livret.rules``).
A person's name as typed in a form follows the core's rule
(``vae.forms.clean_person_name``), which the account's profile applies too.
"""

from django import forms
from django.utils.translation import gettext_lazy

from livret.rules import sworn_name_problem


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
