"""The follow-up survey's form: the situation for everyone, the job's questions for the
employed only (required then, discarded otherwise, so that the form works without the
script that hides them), and the consent to the statistics."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.enums import ContractType, PayBand, Sector, Situation, WorkingTime
from cohorts.models import JOB_TITLE_MAX_CHARS
from livret.eligibility.forms.fields import conditionally_required
from vae.forms import FreeTextField

YES, NO = "oui", "non"
EMPLOYED_ONLY = "si vous êtes en emploi"
# The questions asked of the employed, in the order of the page.
JOB_FIELDS = (
    "job_title",
    "in_targeted_job",
    "sector",
    "contract_type",
    "working_time",
    "pay_band",
)
# What each job field holds when the holder is not employed (the database's check).
NOT_ASKED = {
    "job_title": "",
    "in_targeted_job": None,
    "sector": "",
    "contract_type": "",
    "working_time": "",
    "pay_band": "",
}
ANSWER_FIELDS = ("situation", *JOB_FIELDS, "consent")


def _yes_no(value):
    return {YES: True, NO: False}.get(value)


def _choice(label, choices, missing):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class SurveyForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Quelle est votre situation aujourd'hui ?"),
        choices=Situation.choices,
        widget=forms.RadioSelect(attrs={"data-survey-situation": ""}),
        error_messages={
            "required": _("Indiquez votre situation."),
            "invalid_choice": _("Indiquez votre situation."),
        },
    )
    job_title = FreeTextField(
        label=_("Intitulé de votre poste"),
        max_length=JOB_TITLE_MAX_CHARS,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        required=False,
        help_text=_("Par exemple : administratrice de production, chargé de production."),
        error_messages={"required": _("Indiquez l'intitulé de votre poste.")},
    )
    in_targeted_job = forms.TypedChoiceField(
        label=_("Est-ce le métier d'administrateur ou d'administratrice de production ?"),
        choices=[(YES, _("Oui")), (NO, _("Non"))],
        coerce=_yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Répondez « oui » si vous exercez tout ou partie des activités du métier "
            "décrites ci-dessus."
        ),
        error_messages={
            "required": _("Dites si c'est le métier visé par la certification."),
            "invalid_choice": _("Dites si c'est le métier visé par la certification."),
        },
    )
    sector = _choice(
        _("Secteur de votre employeur"),
        Sector.choices,
        _("Indiquez le secteur de votre employeur."),
    )
    contract_type = _choice(
        _("Type de contrat"), ContractType.choices, _("Indiquez votre type de contrat.")
    )
    working_time = _choice(
        _("Temps de travail"), WorkingTime.choices, _("Indiquez votre temps de travail.")
    )
    pay_band = _choice(
        _("Rémunération brute annuelle"),
        PayBand.choices,
        _("Indiquez votre tranche de rémunération, ou « Ne souhaite pas répondre »."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mes réponses servent aux statistiques de la certification "
            "(taux d'insertion publiés sans nom)."
        ),
        required=False,
        help_text=_(
            "Sans votre accord, vos réponses sont conservées mais ne sont comptées dans "
            "aucune statistique."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        employed = self.data.get(self.add_prefix("situation")) == Situation.EMPLOYED
        for name in JOB_FIELDS:
            conditionally_required(self.fields[name], EMPLOYED_ONLY, now=employed)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("situation") != Situation.EMPLOYED:
            # Asked of the employed only: what a holder typed before changing their
            # situation (or sent without the script hiding it) is not kept.
            for name, blank in NOT_ASKED.items():
                self.errors.pop(name, None)
                cleaned[name] = blank
        return cleaned

    @classmethod
    def initial_of(cls, survey) -> dict:
        """The saved answers, as the form shows them."""
        if survey.answered_at is None:
            return {}
        initial = {name: getattr(survey, name) for name in ANSWER_FIELDS}
        initial["in_targeted_job"] = {True: YES, False: NO}.get(survey.in_targeted_job)
        return initial

    @classmethod
    def data_of(cls, answers: dict) -> dict:
        """Keyword answers (``services.answer``) as the data a browser would post."""
        data = {name: value for name, value in answers.items() if value is not None}
        if "in_targeted_job" in data and isinstance(data["in_targeted_job"], bool):
            data["in_targeted_job"] = YES if data["in_targeted_job"] else NO
        if not data.get("consent"):
            data.pop("consent", None)
        return data
