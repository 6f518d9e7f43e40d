from django import forms
from django.utils.translation import gettext_lazy as _


class DeclarationForm(forms.Form):
    """Conflict-of-interest declaration, made before anything of the dossier is shown."""

    knows_candidate = forms.TypedChoiceField(
        label=_("Connaissez-vous ce candidat ?"),
        choices=[
            (
                "non",
                _(
                    "Je ne connais pas le candidat : je n'ai aucun lien personnel ou "
                    "professionnel avec lui ou elle"
                ),
            ),
            (
                "oui",
                _(
                    "Je connais le candidat (conflit d'intérêts) : je ne peux pas évaluer "
                    "ce dossier"
                ),
            ),
        ],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si vous connaissez le candidat.")},
    )
    details = forms.CharField(
        label=_("Précisez le lien (collègue, employeur, proche…)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si vous connaissez le candidat ; lu par le certificateur."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("knows_candidate") and not cleaned.get("details", "").strip():
            self.add_error("details", _("Précisez votre lien avec le candidat."))
        return cleaned
