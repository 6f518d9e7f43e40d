"""The narrative editor's form: one for the page without JavaScript and the autosave endpoint,
so that both validate (and sanitise) a narrative the same way."""

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.dossier.narratives.text import NARRATIVE_MAX_CHARS, clean_text, format_count
from referentiel import ids

# The id of the live character count under the editor (templates/livret/dossier/narrative.html).
COUNT_ID = "narrative-count"

# ``resolution`` is sent once the candidate has seen a conflict and chosen a text.
RESOLUTIONS = [("", ""), ("mine", "mine"), ("merge", "merge")]


class NarrativeBoundField(BoundField):
    @property
    def aria_describedby(self):
        # Django's hint and error ids, then the character count below the editor.
        return " ".join(filter(None, [super().aria_describedby, COUNT_ID]))


class NarrativeTextField(forms.CharField):
    """Plain text, kept as typed apart from control characters and line endings.

    Sanitised before validation: a stray NUL pasted from a PDF is dropped instead of being
    refused with Django's « caractères nuls » error, and the length limit counts what is
    stored.
    """

    bound_field_class = NarrativeBoundField

    def __init__(self, **kwargs):
        # Required for the dossier (so not marked « facultatif »), yet saving an empty text
        # is allowed: that is how a candidate clears a récit (the old text stays in history).
        # The limit is clean_text's (its message says the count); declared here too so that
        # the field says it has one.
        super().__init__(strip=False, required=True, max_length=NARRATIVE_MAX_CHARS, **kwargs)
        # clean_text removes NUL characters before validators run.
        self.validators = []

    def widget_attrs(self, widget):
        # No maxlength: a browser cuts a pasted text there without a word, and the editor
        # has its own counter (autosave.js); over the limit, the save is refused and the
        # text stays in the editor.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value):
        return clean_text(super().to_python(value))

    def validate(self, value):
        # Not the « required » check: an empty récit is a valid save (see __init__).
        pass


BASE_VERSION_INVALID = gettext_lazy(
    "La version de départ de votre texte est invalide : rechargez la page (copiez d'abord "
    "votre texte)."
)


class NarrativeForm(forms.Form):
    text = NarrativeTextField(
        widget=forms.Textarea(
            attrs={
                "rows": 22,
                "spellcheck": "true",
                "lang": "fr",
                "data-narrative-text": "",
                "data-autosave-field": "text",
            }
        )
    )
    base_version = ids.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy(
                "La version de départ de votre texte manque : rechargez la page (copiez "
                "d'abord votre texte)."
            ),
            "invalid": BASE_VERSION_INVALID,
            "min_value": BASE_VERSION_INVALID,
        },
    )
    resolution = forms.ChoiceField(choices=RESOLUTIONS, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if activity is not None:
            field.label = _("Récit de l'activité %(code)s") % {"code": activity.code}
        field.help_text = _(
            "En texte simple, paragraphes séparés par une ligne vide. Racontez une ou "
            "plusieurs situations réelles :<ul>"
            "<li>le contexte : la structure, la production (film, série, documentaire…), "
            "son budget, l'équipe ;</li>"
            "<li>ce que vous avez fait vous-même, étape par étape (dites « je », pas « nous ») ;"
            "</li>"
            "<li>les outils et logiciels utilisés, par exemple Péplum ou Movie Magic "
            "Budgeting ;</li>"
            "<li>le résultat obtenu et ce que vous en avez retiré.</li></ul>"
            "Au moins %(min)s caractères ; %(max)s au plus."
        ) % {
            "min": format_count(settings.VAE_NARRATIVE_MIN_CHARS),
            "max": format_count(NARRATIVE_MAX_CHARS),
        }

    def clean(self):
        # An empty textarea still sends ``text``; a request without it is not a save of an
        # empty récit and must not clear one.
        if "text" not in self.data:
            self.add_error("text", _("Le texte du récit manque dans la requête."))
        return super().clean()

    @property
    def resolving(self) -> bool:
        return bool(self.cleaned_data.get("resolution"))
