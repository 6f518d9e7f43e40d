"""Form pieces of the core: a person's name as typed in a form (the account's profile and
sign-up, both livrets), free text with a bounded length, and Wagtail's login form in
French."""

import unicodedata

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from referentiel import french as fr


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


class FreeTextField(forms.CharField):
    """Text a person writes in a text area, bounded by ``max_length`` (required).

    The browser sends a line break as two characters (CR LF) and counts it as one: the text
    is stored with ``\n`` line breaks and its length counted that way, as the character
    counter (static/js/char-count.js) counts it. Over the limit, the message says by how
    much; the form is shown again with the text as it was typed."""

    widget = forms.Textarea

    def __init__(self, *, max_length, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        # Replaced by ``validate``'s message, which says the numbers the French way.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_length:
            raise forms.ValidationError(
                gettext_now(
                    "Ce texte compte %(count)s caractères, pour %(limit)s au plus : "
                    "raccourcissez-le de %(over)s (votre texte est conservé ci-dessous)."
                )
                % {
                    "count": fr.number(len(value)),
                    "limit": fr.number(self.max_length),
                    "over": fr.plural(len(value) - self.max_length, "caractère"),
                },
                code="max_length",
            )
