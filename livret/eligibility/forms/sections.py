"""The forms of livret 1's sections, each with its French validation messages.

Forms only validate and normalise; the views hand ``cleaned_data`` to
``livret.eligibility.services``.
"""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.eligibility.forms.fields import (
    MAX_AGE,
    MIN_AGE,
    DateInput,
    PartialSaveMixin,
    conditionally_required,
    is_france,
    normalise_phone,
    required,
    today,
)
from livret.eligibility.models import (
    DETAILS_MAX_CHARS,
    IDENTITY_FIELDS,
    SITUATION_FIELDS,
    EligibilityRequest,
)
from livret.enums import Civility, Situation
from livret.forms import SWORN_NAME_HELP, check_sworn_name
from referentiel import french as fr
from vae.forms import FreeTextField, clean_person_name, squash

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
        field_classes = {"situation_details": FreeTextField}
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
                "date": fr.date(self.acquired[instance.code]),
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
                        "date": fr.date(self.acquired[bloc.code]),
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
    accommodation_details = FreeTextField(
        label=gettext_lazy("Aménagements souhaités"),
        required=False,
        max_length=DETAILS_MAX_CHARS,
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
        return squash(self.cleaned_data["sworn_place"])
