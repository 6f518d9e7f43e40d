"""The forms of livret 1, one per section, with their French validation messages.

Forms only validate and normalise; the views hand ``cleaned_data`` to ``livret.services``.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.enums import Civility, Domain, Sector, Situation, TrainingOutcome, WorkingTime
from livret.models import (
    EXPERIENCE_FIELDS,
    IDENTITY_FIELDS,
    SITUATION_FIELDS,
    TRAINING_FIELDS,
    EligibilityRequest,
    Experience,
    Training,
)
from livret.rules import sworn_name_problem

MIN_AGE = 16
MAX_AGE = 100
MIN_DESCRIPTION_LENGTH = 30
MAX_DURATION_MONTHS = 600
FIRST_TRAINING_YEAR = 1950

NAME_SEPARATORS = frozenset(" -'’")


def today() -> datetime.date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    """A native date picker; the value is re-rendered in the ISO format it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _squash(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join((value or "").split()))


def clean_person_name(value: str) -> str:
    """Letters (accents included), spaces, hyphens and apostrophes; starts with a letter."""
    value = _squash(value)
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
            _(
                "Utilisez uniquement des lettres (accents compris), des espaces, des traits "
                "d'union et des apostrophes."
            ),
            code="invalid_name",
        )
    return value


def _folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().casefold()


def is_france(country: str) -> bool:
    return _folded(country) in {"france", "fr", "france metropolitaine"}


PHONE_ERROR = gettext_lazy(
    "Numéro de téléphone invalide : indiquez un numéro français (06 12 34 56 78 ou "
    "+33 6 12 34 56 78) ou international (+ suivi de 8 à 15 chiffres)."
)


def normalise_phone(raw: str) -> str:
    """A French number as « 06 12 34 56 78 », an international one as « +4412345678 »."""
    compact = re.sub(r"[\s.\-/]", "", raw or "").replace("(0)", "")
    compact = compact.replace("(", "").replace(")", "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        national = compact[3:]
        if not re.fullmatch(r"[1-9]\d{8}", national):
            raise forms.ValidationError(PHONE_ERROR, code="invalid_phone")
        compact = "0" + national
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+[1-9]\d{7,14}", compact):
        return compact
    raise forms.ValidationError(PHONE_ERROR, code="invalid_phone")


def required(message):
    return {"required": message}


def check_sworn_name(name: str, identity, expected: str) -> str:
    """A sworn statement is signed with the candidate's own name (``livret.rules``)."""
    problem = name and sworn_name_problem(name, identity, expected)
    if problem:
        raise forms.ValidationError(problem, code="not_candidate_name")
    return name


SWORN_NAME_HELP = gettext_lazy(
    "Votre prénom et votre nom de naissance ou d'usage, tels que vous les avez déclarés "
    "dans la section Identité."
)


class PartialSaveMixin:
    """A section form whose valid answers are saved even when others are refused: the
    livret says one may stop at any time, so a blank phone must not throw away the rest.

    ``partial_data()`` (after ``is_valid()``) gives each valid field's cleaned value and an
    empty value for each refused one: the stored livret never keeps an answer the
    candidate has just replaced, and ``livret.completeness`` reports the gap.
    """

    def partial_data(self) -> dict:
        data = {}
        for name in self.fields:
            if name in self.errors:
                model_field = EligibilityRequest._meta.get_field(name)
                data[name] = None if model_field.null else ""
            elif name in self.cleaned_data:
                data[name] = self.cleaned_data[name]
        return data

    @property
    def refused_count(self) -> int:
        return sum(1 for name in self.errors if name != NON_FIELD_ERRORS)


def conditionally_required(field, condition: str, *, now: bool):
    """A field required only with a given answer: required now or not, and labelled
    « (obligatoire <condition>) » by includes/field.html instead of « (facultatif) »."""
    field.required = now
    field.required_when = condition


# -- identity ------------------------------------------------------------------------------


class IdentityForm(PartialSaveMixin, forms.ModelForm):
    civility = forms.ChoiceField(
        label=gettext_lazy("Civilité"),
        choices=[("", gettext_lazy("— Choisissez —")), *Civility.choices],
        error_messages=required(gettext_lazy("Indiquez votre civilité.")),
        widget=forms.Select(attrs={"autocomplete": "honorific-prefix"}),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date de naissance"),
        widget=DateInput(attrs={"autocomplete": "bday"}),
        help_text=gettext_lazy("Format jj/mm/aaaa."),
        error_messages={
            "required": gettext_lazy("Indiquez votre date de naissance."),
            "invalid": gettext_lazy(
                "Date de naissance invalide : indiquez-la au format jj/mm/aaaa."
            ),
        },
    )

    class Meta:
        model = EligibilityRequest
        fields = IDENTITY_FIELDS
        widgets = {
            "birth_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "usage_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "first_names": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }
        help_texts = {
            "usage_name": gettext_lazy("Par exemple votre nom d'épouse ou d'époux."),
            "first_names": gettext_lazy("Tous vos prénoms, dans l'ordre de l'état civil."),
            "birth_place": gettext_lazy("Pour une naissance à l'étranger, la ville."),
            "postal_code": gettext_lazy("5 chiffres pour une adresse en France."),
            "phone": gettext_lazy("Par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."),
        }
        error_messages = {
            "birth_name": required(gettext_lazy("Indiquez votre nom de naissance.")),
            "first_names": required(gettext_lazy("Indiquez vos prénoms.")),
            "birth_place": required(gettext_lazy("Indiquez votre commune de naissance.")),
            "birth_country": required(gettext_lazy("Indiquez votre pays de naissance.")),
            "nationality": required(gettext_lazy("Indiquez votre nationalité.")),
            "address": required(gettext_lazy("Indiquez votre adresse.")),
            "postal_code": required(gettext_lazy("Indiquez votre code postal.")),
            "city": required(gettext_lazy("Indiquez votre commune de résidence.")),
            "country": required(gettext_lazy("Indiquez votre pays de résidence.")),
            "phone": required(gettext_lazy("Indiquez votre numéro de téléphone.")),
        }

    OPTIONAL = frozenset({"usage_name", "address_complement"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name not in self.OPTIONAL

    def _name(self, field):
        return clean_person_name(self.cleaned_data.get(field, ""))

    def clean_birth_name(self):
        return self._name("birth_name")

    def clean_usage_name(self):
        return self._name("usage_name")

    def clean_first_names(self):
        return self._name("first_names")

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        now = today()
        if born > now:
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
        if age < MIN_AGE:
            raise forms.ValidationError(
                _("Vous devez avoir au moins %(min)d ans pour déposer une demande de VAE.")
                % {"min": MIN_AGE}
            )
        if age > MAX_AGE:
            raise forms.ValidationError(
                _("Vérifiez votre date de naissance : elle indique un âge de plus de %(max)d ans.")
                % {"max": MAX_AGE}
            )
        return born

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        postal_code = cleaned.get("postal_code")
        if postal_code and is_france(cleaned.get("country", "")):
            compact = postal_code.replace(" ", "")
            if not re.fullmatch(r"\d{5}", compact):
                self.add_error(
                    "postal_code",
                    _("Le code postal d'une adresse en France compte 5 chiffres (ex. 75011)."),
                )
            else:
                cleaned["postal_code"] = compact
        return cleaned


# -- situation -----------------------------------------------------------------------------


class SituationForm(PartialSaveMixin, forms.ModelForm):
    situation = forms.ChoiceField(
        label=gettext_lazy("Votre situation actuelle"),
        choices=Situation.choices,
        widget=forms.RadioSelect,
        error_messages=required(gettext_lazy("Indiquez votre situation actuelle.")),
    )

    class Meta:
        model = EligibilityRequest
        fields = SITUATION_FIELDS
        widgets = {
            "current_employer": forms.TextInput(attrs={"autocomplete": "organization"}),
            "current_job": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "situation_details": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "situation_details": required(gettext_lazy("Précisez votre situation.")),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answer = (
            self.data.get(self.add_prefix("situation"))
            if self.is_bound
            else self.initial.get("situation")
        )
        conditionally_required(
            self.fields["situation_details"],
            _("si vous avez choisi « Autre situation »"),
            now=answer == Situation.OTHER,
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("situation") == Situation.OTHER
            and "situation_details" not in self.errors
            and not (cleaned.get("situation_details") or "").strip()
        ):
            self.add_error("situation_details", _("Précisez votre situation."))
        return cleaned


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
    duration_months = forms.IntegerField(
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
    part_time_percent = forms.IntegerField(
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
    year = forms.IntegerField(
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


# -- targeted blocs ------------------------------------------------------------------------


class BlocCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes where the blocs already acquired are shown, disabled, with their date."""

    def __init__(self, *args, acquired=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acquired = acquired or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.code in self.acquired:
            option["attrs"]["disabled"] = True
            option["selected"] = False
            option["attrs"].pop("checked", None)
            option["label"] = _("%(label)s — acquis le %(date)s") % {
                "label": label,
                "date": formats.date_format(self.acquired[instance.code], "j F Y"),
            }
        return option


class BlocsForm(forms.Form):
    blocs = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Blocs de compétences visés"),
        queryset=None,
        widget=BlocCheckboxes,
        help_text=gettext_lazy(
            "Cochez les blocs que vous souhaitez faire valider. Les blocs que vous avez déjà "
            "validés restent acquis : ils ne peuvent pas être visés de nouveau."
        ),
        error_messages={
            "required": gettext_lazy("Choisissez au moins un bloc de compétences."),
            "invalid_choice": gettext_lazy(
                "Ce bloc n'appartient pas au référentiel de votre candidature."
            ),
            "invalid_pk_value": gettext_lazy("Bloc inconnu."),
        },
    )

    def __init__(self, *args, candidacy, acquired, **kwargs):
        """``acquired``: bloc code -> date it was validated, for this candidate."""
        super().__init__(*args, **kwargs)
        self.acquired = acquired
        field = self.fields["blocs"]
        field.queryset = candidacy.certification.blocs.order_by("sort_order", "code")
        field.label_from_instance = lambda bloc: f"{bloc.code} — {bloc.title}"
        field.widget.acquired = acquired

    def clean_blocs(self):
        blocs = self.cleaned_data["blocs"]
        already = [bloc for bloc in blocs if bloc.code in self.acquired]
        if already:
            raise forms.ValidationError(
                [
                    _(
                        "Vous avez déjà validé le bloc %(code)s le %(date)s : il reste "
                        "acquis et ne peut pas être visé de nouveau."
                    )
                    % {
                        "code": bloc.code,
                        "date": formats.date_format(self.acquired[bloc.code], "j F Y"),
                    }
                    for bloc in already
                ]
            )
        return blocs


# -- accommodations ------------------------------------------------------------------------

YES, NO = "oui", "non"


class AccommodationForm(PartialSaveMixin, forms.Form):
    needs_accommodation = forms.ChoiceField(
        label=gettext_lazy(
            "Souhaitez-vous des aménagements des épreuves en raison d'une situation de handicap ?"
        ),
        choices=[(YES, gettext_lazy("Oui")), (NO, gettext_lazy("Non"))],
        widget=forms.RadioSelect,
        error_messages=required(
            gettext_lazy("Indiquez si vous demandez des aménagements (oui ou non).")
        ),
    )
    accommodation_details = forms.CharField(
        label=gettext_lazy("Aménagements souhaités"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Par exemple temps majoré, accessibilité de la salle, interprète en langue des signes."
        ),
        error_messages=required(gettext_lazy("Décrivez les aménagements souhaités.")),
    )

    def __init__(self, *args, instance, **kwargs):
        answer = {True: YES, False: NO}.get(instance.needs_accommodation)
        kwargs.setdefault(
            "initial",
            {
                "needs_accommodation": answer,
                "accommodation_details": instance.accommodation_details,
            },
        )
        super().__init__(*args, **kwargs)
        current = (
            self.data.get(self.add_prefix("needs_accommodation"))
            if self.is_bound
            else self.initial.get("needs_accommodation")
        )
        # Required with « oui »: shown so once the answer is « oui », and said beforehand.
        conditionally_required(
            self.fields["accommodation_details"],
            _("si vous avez répondu oui"),
            now=current == YES,
        )

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("needs_accommodation")
        details = (cleaned.get("accommodation_details") or "").strip()
        if answer == YES and not details and "accommodation_details" not in self.errors:
            self.add_error("accommodation_details", _("Décrivez les aménagements souhaités."))
        if answer in (YES, NO):
            cleaned["needs_accommodation"] = answer == YES
        if "accommodation_details" not in self.errors:
            cleaned["accommodation_details"] = details
        return cleaned


# -- sworn statement -----------------------------------------------------------------------


class DeclarationForm(forms.Form):
    certify = forms.BooleanField(
        label=gettext_lazy(
            "Je certifie sur l'honneur l'exactitude des renseignements fournis dans ce "
            "livret 1, et sais que toute fausse déclaration m'expose aux sanctions prévues "
            "par la loi (articles 441-1 et suivants du code pénal)."
        ),
        error_messages=required(
            gettext_lazy("Cochez la case pour certifier sur l'honneur l'exactitude du livret.")
        ),
    )
    sworn_name = forms.CharField(
        label=gettext_lazy("Nom et prénom du signataire"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=SWORN_NAME_HELP,
        error_messages=required(gettext_lazy("Indiquez votre nom et votre prénom.")),
    )
    sworn_place = forms.CharField(
        label=gettext_lazy("Fait à"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        help_text=gettext_lazy("La commune où vous signez."),
        error_messages=required(gettext_lazy("Indiquez la commune où vous signez (« Fait à »).")),
    )

    def __init__(self, *args, instance, **kwargs):
        self.identity = instance.signing_identity
        self.expected_name = instance.display_name
        # A stored name that is not the candidate's (signed before names were checked) is
        # not offered again: the identity is.
        stored = "" if instance.sworn_name_mismatch else instance.sworn_name
        kwargs.setdefault(
            "initial",
            {
                "sworn_name": stored or instance.display_name,
                "sworn_place": instance.sworn_place or instance.city,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_sworn_name(self):
        name = clean_person_name(self.cleaned_data["sworn_name"])
        return check_sworn_name(name, self.identity, self.expected_name)

    def clean_sworn_place(self):
        return _squash(self.cleaned_data["sworn_place"])
