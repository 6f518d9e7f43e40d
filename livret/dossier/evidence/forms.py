"""The form of an evidence upload (or of a new version of a piece).

Only the fields are checked here; what the file contains is checked by
``livret.dossier.evidence.inspection`` (by content, with a French message per refusal).
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from livret.dossier.evidence.refusals import size_text
from livret.enums import EvidenceKind

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _file_help() -> str:
    return _(
        "Un PDF, ou une image JPEG ou PNG (un scan, une photo). %(size)s et %(pages)s pages "
        "au plus par pièce. PDF protégés par un mot de passe ou un chiffrement refusés. "
        "Le texte des images n'est pas lu : donnez-leur un titre qui dit ce qu'elles montrent."
    ) % {
        "size": size_text(settings.VAE_EVIDENCE_MAX_BYTES),
        "pages": settings.VAE_EVIDENCE_MAX_PAGES,
    }


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label=_("Titre de la pièce"),
        max_length=200,
        help_text=_("Ce que c'est, par exemple « Bulletins de paie 2023 — Les Films du Nord »."),
        error_messages={
            "required": _("Donnez un titre à cette pièce."),
            "max_length": _("Le titre ne peut pas dépasser %(limit_value)d caractères."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Nature de la pièce"),
        choices=[("", _("Choisissez…")), *EvidenceKind.choices],
        error_messages={
            "required": _("Choisissez la nature de la pièce."),
            "invalid_choice": _("Choisissez la nature de la pièce dans la liste."),
        },
    )
    file = forms.FileField(
        label=_("Fichier"),
        # Empty files reach the inspection, which refuses them with its own message.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choisissez le fichier à joindre."),
            "invalid": _("Aucun fichier n'a été reçu : choisissez-le de nouveau."),
            "missing": _("Aucun fichier n'a été reçu : choisissez-le de nouveau."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read at form creation: the limits are settings.
        self.fields["file"].help_text = _file_help()
        self.fields["title"].widget.attrs["autocomplete"] = "off"
