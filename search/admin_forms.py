"""The certifier's form for the synonym list (Wagtail admin)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from search.models import SYNONYM_EQUIVALENTS_MAX_CHARS, Synonym
from vae.forms import FreeTextField


class SynonymForm(WagtailAdminModelForm):
    equivalents = FreeTextField(
        label=_("Équivalents"),
        max_length=SYNONYM_EQUIVALENTS_MAX_CHARS,
        help_text=_("Un équivalent par ligne, par exemple le sigle développé."),
    )

    class Meta:
        model = Synonym
        fields = ["term", "equivalents"]

    def clean_equivalents(self):
        value = self.cleaned_data["equivalents"]
        if not any(line.strip() for line in value.splitlines()):
            self.add_error("equivalents", _("Indiquez au moins un équivalent."))
        return value
