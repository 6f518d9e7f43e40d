"""The forms of the lists of livret 1: an experience, a training, or none to declare."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.eligibility.forms.fields import (
    FIRST_TRAINING_YEAR,
    MAX_DURATION_MONTHS,
    MIN_DESCRIPTION_LENGTH,
    DateInput,
    required,
    today,
)
from livret.eligibility.models import EXPERIENCE_FIELDS, TRAINING_FIELDS, Experience, Training
from livret.enums import Domain, Sector, TrainingOutcome, WorkingTime
from referentiel import ids
from vae.forms import FreeTextField

# -- experiences ---------------------------------------------------------------------------


class ExperienceForm(forms.ModelForm):
    sector = forms.ChoiceField(
        label=gettext_lazy("Secteur"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages=required(gettext_lazy("Indiquez le secteur de cette expérience.")),
    )
    domains = forms.MultipleChoiceField(
        label=gettext_lazy("Domaines d'activité"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Cochez tous les domaines dans lesquels vous avez travaillé."),
        error_messages={
            "required": gettext_lazy("Cochez au moins un domaine d'activité."),
            "invalid_choice": gettext_lazy("Domaine inconnu : %(value)s."),
        },
    )
    start_date = forms.DateField(
        label=gettext_lazy("Date de début"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Date de début invalide.")},
    )
    end_date = forms.DateField(
        label=gettext_lazy("Date de fin"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Date de fin invalide.")},
    )
    ongoing = forms.BooleanField(
        label=gettext_lazy("J'occupe toujours cet emploi (emploi actuel)"), required=False
    )
    duration_months = ids.IntegerField(
        label=gettext_lazy("Ou durée totale en mois"),
        required=False,
        help_text=gettext_lazy(
            "Si vous ne connaissez pas les dates exactes (missions courtes, intermittence), "
            "indiquez seulement la durée totale, de 1 à 600 mois."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Indiquez la durée en nombre entier de mois.")},
    )
    working_time = forms.ChoiceField(
        label=gettext_lazy("Temps de travail"),
        choices=WorkingTime.choices,
        widget=forms.RadioSelect,
        error_messages=required(gettext_lazy("Indiquez le temps de travail.")),
    )
    part_time_percent = ids.IntegerField(
        label=gettext_lazy("Quotité (% d'un temps plein)"),
        required=False,
        help_text=gettext_lazy("Seulement pour un temps partiel : de 1 à 99 %."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Indiquez la quotité en nombre entier.")},
    )

    class Meta:
        model = Experience
        fields = EXPERIENCE_FIELDS
        widgets = {
            "employer": forms.TextInput(attrs={"autocomplete": "off"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        field_classes = {"description": FreeTextField}
        help_texts = {
            "description": gettext_lazy(
                "Vos missions et activités principales (au moins 30 caractères)."
            ),
        }
        error_messages = {
            "employer": required(gettext_lazy("Indiquez l'employeur ou la structure.")),
            "job_title": required(gettext_lazy("Indiquez la fonction occupée.")),
            "description": required(gettext_lazy("Décrivez les activités exercées.")),
        }

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if len(description) < MIN_DESCRIPTION_LENGTH:
            raise forms.ValidationError(
                _("Décrivez vos activités en au moins %(min)d caractères (actuellement %(count)d).")
                % {"min": MIN_DESCRIPTION_LENGTH, "count": len(description)}
            )
        return description

    def clean_duration_months(self):
        months = self.cleaned_data["duration_months"]
        if months is not None and not 1 <= months <= MAX_DURATION_MONTHS:
            raise forms.ValidationError(
                _("La durée doit être comprise entre 1 et %(max)d mois.")
                % {"max": MAX_DURATION_MONTHS}
            )
        return months

    def clean_part_time_percent(self):
        percent = self.cleaned_data["part_time_percent"]
        if percent is not None and not 1 <= percent <= 99:
            raise forms.ValidationError(_("La quotité doit être comprise entre 1 et 99 %."))
        return percent

    def clean(self):
        cleaned = super().clean()
        now = today()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        ongoing, months = cleaned.get("ongoing"), cleaned.get("duration_months")
        dates_error = "start_date" in self.errors or "end_date" in self.errors

        if start and start > now:
            self.add_error("start_date", _("La date de début ne peut pas être dans le futur."))
        if end and end > now:
            self.add_error(
                "end_date",
                _(
                    "La date de fin ne peut pas être dans le futur. Si vous occupez toujours "
                    "cet emploi, cochez « emploi actuel »."
                ),
            )
        if start and end and end < start:
            self.add_error(
                "end_date", _("La date de fin ne peut pas être antérieure à la date de début.")
            )
        if ongoing and end:
            self.add_error(
                "ongoing",
                _(
                    "Un emploi actuel n'a pas de date de fin : décochez « emploi actuel » ou "
                    "effacez la date de fin."
                ),
            )
        if (end or ongoing) and not start and not dates_error:
            self.add_error("start_date", _("Indiquez aussi la date de début."))
        if start and not (end or ongoing) and not dates_error:
            self.add_error("end_date", _("Indiquez la date de fin, ou cochez « emploi actuel »."))
        if start and months is not None:
            self.add_error(
                "duration_months",
                _("Indiquez soit les dates, soit la durée en mois, mais pas les deux."),
            )
        if (
            not (start or end or ongoing)
            and months is None
            and not dates_error
            and "duration_months" not in self.errors
        ):
            self.add_error(
                "start_date",
                _("Indiquez les dates de cette expérience, ou sa durée totale en mois."),
            )

        working_time, percent = cleaned.get("working_time"), cleaned.get("part_time_percent")
        if percent is not None and working_time == WorkingTime.FULL_TIME:
            self.add_error(
                "part_time_percent",
                _("Indiquez une quotité seulement pour un emploi à temps partiel."),
            )
        return cleaned


# -- trainings -----------------------------------------------------------------------------


class TrainingForm(forms.ModelForm):
    year = ids.IntegerField(
        label=gettext_lazy("Année"),
        help_text=gettext_lazy("Année d'obtention, ou de fin de la formation."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Indiquez l'année."),
            "invalid": gettext_lazy("Indiquez l'année sur 4 chiffres (ex. 2015)."),
        },
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Résultat"),
        choices=TrainingOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=required(gettext_lazy("Indiquez le résultat.")),
    )

    class Meta:
        model = Training
        fields = TRAINING_FIELDS
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "title": required(gettext_lazy("Indiquez l'intitulé de la formation ou du diplôme.")),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        current = today().year
        if year > current:
            raise forms.ValidationError(
                _("L'année ne peut pas être dans le futur (au plus %(year)d).") % {"year": current}
            )
        if year < FIRST_TRAINING_YEAR:
            raise forms.ValidationError(
                _("L'année doit être comprise entre %(min)d et %(max)d.")
                % {"min": FIRST_TRAINING_YEAR, "max": current}
            )
        return year


class NoTrainingForm(forms.Form):
    no_training = forms.BooleanField(
        label=gettext_lazy("Je n'ai ni formation ni diplôme à déclarer"), required=False
    )

    def __init__(self, *args, has_trainings=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_trainings = has_trainings

    def clean_no_training(self):
        value = self.cleaned_data["no_training"]
        if value and self.has_trainings:
            raise forms.ValidationError(
                _(
                    "Vous avez déclaré des formations : supprimez-les avant d'indiquer que "
                    "vous n'en avez aucune."
                )
            )
        return value
