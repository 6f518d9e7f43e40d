"""Form pieces of the core: a person's name as typed in a form (the account's profile and
sign-up, both livrets), and Wagtail's login form in French."""

import unicodedata

from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    """Wagtail's login form, with the password label Wagtail leaves untranslated in French."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")


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
            gettext_now(
                "Utilisez uniquement des lettres (accents compris), des espaces, des traits "
                "d'union et des apostrophes."
            ),
            code="invalid_name",
        )
    return value


class PersonNameField(forms.CharField):
    """A first name or a name: the rule of ``clean_person_name`` (no markup, no digits),
    so that what the platform prints in e-mails, PDFs and the back office is a name."""

    def clean(self, value):
        return clean_person_name(super().clean(value))
