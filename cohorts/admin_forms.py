"""The certifier's form for the survey waves (Wagtail admin): the schedule as data."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cohorts.enums import SurveyState
from cohorts.models import SurveyWave

# France compétences asks for the situation up to 2 years after certification; a wave
# years later would measure nothing the registration file reads.
MAX_MONTHS = 60


class SurveyWaveForm(WagtailAdminModelForm):
    class Meta:
        model = SurveyWave
        fields = [
            "code",
            "label",
            "months_after_decision",
            "reminder_after_days",
            "open_for_days",
            "active",
        ]
        help_texts = {
            "code": _("Lettres, chiffres et tirets, par exemple « 6-mois »."),
            "months_after_decision": _(
                "Les enquêtes déjà créées gardent leurs dates : le changement vaut pour les "
                "décisions à venir."
            ),
            "active": _("Décochez pour ne plus envoyer cette vague (ni créer ses enquêtes)."),
        }

    def clean_months_after_decision(self):
        months = self.cleaned_data["months_after_decision"]
        if not 1 <= months <= MAX_MONTHS:
            raise forms.ValidationError(
                _("Indiquez un nombre de mois entre 1 et %(max)s.") % {"max": MAX_MONTHS}
            )
        return months

    def clean(self):
        cleaned = super().clean()
        reminder, open_for = cleaned.get("reminder_after_days"), cleaned.get("open_for_days")
        if reminder is not None and open_for is not None and open_for <= reminder:
            self.add_error(
                "open_for_days",
                _("L'enquête doit rester ouverte après la relance : plus de %(days)s jours.")
                % {"days": reminder},
            )
        return cleaned


class SurveyFiltersForm(forms.Form):
    """The survey list's filters (GET): a wave, a state; empty, every one."""

    vague = forms.ModelChoiceField(
        label=_("Vague"),
        queryset=SurveyWave.objects.order_by("months_after_decision"),
        required=False,
        empty_label=_("Toutes les vagues"),
    )
    etat = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous les états")), *SurveyState.choices],
        required=False,
    )
