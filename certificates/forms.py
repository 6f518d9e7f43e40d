from django import forms
from django.utils.translation import gettext_lazy as _

from certificates import numbers


class LookupForm(forms.Form):
    numero = forms.CharField(
        label=_("Numéro du document"),
        max_length=3 * numbers.PRINTED_LENGTH,
        help_text=_("16 caractères, imprimés sous le code QR : par exemple 7K3M-9QXD-2B4T-HW8C."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_numero(self):
        number = numbers.normalize(self.cleaned_data["numero"])
        if number is None:
            raise forms.ValidationError(
                _(
                    "Ce numéro n'a pas la forme d'un numéro de document : 16 lettres et "
                    "chiffres, en groupes de quatre."
                )
            )
        return number


class ReasonForm(forms.Form):
    """Why a document is rectified or cancelled: told to its holder."""

    reason = forms.CharField(
        label=_("Motif (communiqué au titulaire)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
