"""The form of the livret 2 sworn statement (déclaration sur l'honneur).

It checks what the candidate typed (the name must be theirs: ``livret.forms``);
``livret.dossier.services.sign`` checks again under the dossier's lock and writes.
"""

from django import forms
from django.utils.translation import gettext_lazy

from livret.forms import SWORN_NAME_HELP, check_sworn_name
from vae.forms import clean_person_name

SWORN_STATEMENT = gettext_lazy(
    "Je certifie sur l'honneur être l'auteur des récits de ce dossier et que les pièces "
    "jointes sont authentiques. Je sais que toute fausse déclaration m'expose aux sanctions "
    "prévues par la loi (articles 441-1 et suivants du code pénal) et au retrait de la "
    "certification."
)


class SignForm(forms.Form):
    certify = forms.BooleanField(
        label=SWORN_STATEMENT,
        error_messages={
            "required": gettext_lazy(
                "Cochez la case pour certifier sur l'honneur être l'auteur des récits et "
                "l'authenticité des pièces."
            )
        },
    )
    sworn_name = forms.CharField(
        label=gettext_lazy("Nom et prénom du signataire"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=SWORN_NAME_HELP,
        error_messages={"required": gettext_lazy("Indiquez votre nom et votre prénom.")},
    )
    sworn_place = forms.CharField(
        label=gettext_lazy("Fait à"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        help_text=gettext_lazy("La commune où vous signez."),
        error_messages={
            "required": gettext_lazy("Indiquez la commune où vous signez (« Fait à »).")
        },
    )

    @classmethod
    def for_dossier(cls, dossier, data=None):
        """The signature form of ``dossier``, prefilled with the candidate's identity rather
        than with a stored name that is not theirs."""
        stored = "" if dossier.sworn_name_mismatch else dossier.sworn_name
        initial = {"sworn_name": stored or dossier.signer_name, "sworn_place": dossier.sworn_place}
        return cls(
            data,
            initial=initial,
            identity=dossier.signing_identity,
            expected_name=dossier.signer_name,
        )

    def __init__(self, *args, identity, expected_name, **kwargs):
        """``identity``: the names the candidate may sign with (``Dossier.signing_identity``);
        ``expected_name``: how their name is shown in the error message."""
        super().__init__(*args, **kwargs)
        self.identity, self.expected_name = identity, expected_name

    def clean_sworn_name(self):
        name = clean_person_name(self.cleaned_data["sworn_name"])
        return check_sworn_name(name, self.identity, self.expected_name)

    def clean_sworn_place(self):
        return " ".join(self.cleaned_data["sworn_place"].split())
