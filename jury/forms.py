from django import forms
from django.utils.translation import gettext_lazy as _

from jury.enums import Attendance
from jury.models import (
    DELIBERATION_TEXT_MAX_CHARS,
    INTERVIEW_TEXT_MAX_CHARS,
    NOTE_MAX_CHARS,
    RECTIFICATION_REASON_MAX_CHARS,
)
from referentiel.enums import Rating
from review import forms as review_forms
from vae.forms import FreeTextField


class DeclarationForm(review_forms.DeclarationForm):
    """A jury member's declaration, made before anything of the dossier is shown: the
    evaluator's form, with what the law adds for a jury (not having accompanied the
    candidate) and a bounded text."""

    details = FreeTextField(
        label=_("Précisez le lien (collègue, employeur, accompagnateur, proche…)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si vous connaissez le candidat ; lu par le certificateur."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["knows_candidate"].choices = [
            (
                "non",
                _(
                    "Je ne connais pas le candidat et je ne l'ai pas accompagné dans sa "
                    "démarche de VAE"
                ),
            ),
            (
                "oui",
                _(
                    "Je connais le candidat ou je l'ai accompagné (conflit d'intérêts) : je ne "
                    "peux pas siéger pour lui"
                ),
            ),
        ]


def _is_yes(value) -> bool:
    return value == "oui"


def yes_no_field(*, label, yes, no, required_message, **kwargs) -> forms.TypedChoiceField:
    """A required yes/no question as two radio buttons, cleaned to a bool."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("oui", yes), ("non", no)],
        coerce=_is_yes,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


class AbsenceForm(forms.Form):
    """The candidate did not come: excused (with its justification) or not."""

    excused = yes_no_field(
        label=_("L'absence est-elle excusée ?"),
        yes=_("Oui, le candidat a justifié son absence"),
        no=_("Non"),
        required_message=_("Indiquez si l'absence est excusée."),
    )
    justification = FreeTextField(
        label=_("Justification ou observation"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si l'absence est excusée ; figure dans l'historique du dossier."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("excused") and not cleaned.get("justification", "").strip():
            self.add_error("justification", _("Indiquez la justification de l'absence excusée."))
        return cleaned


class InterviewForm(forms.Form):
    """The interview took place: the candidacy moves on to the deliberation."""

    comment = FreeTextField(
        label=_("Observation (facultatif)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """Whether the candidate came, and when the interview actually began and ended."""

    attendance = forms.ChoiceField(
        label=_("Présence du candidat"),
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    started_at = forms.TimeField(
        label=_("Début effectif (hh:mm)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ended_at = forms.TimeField(
        label=_("Fin effective (hh:mm)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_at"), cleaned.get("ended_at")
        if start and end and end <= start:
            self.add_error("ended_at", _("L'heure de fin doit suivre l'heure de début."))
        return cleaned


def _interview_text(label, key) -> FreeTextField:
    # ``key``: the name static/js/autosave.js sends the text under (the form is prefixed).
    return FreeTextField(
        label=label,
        required=False,
        max_length=INTERVIEW_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "data-autosave-field": key}),
    )


class BlocNoteForm(forms.Form):
    """A bloc's questions, answers and observations, saved together."""

    questions = _interview_text(_("Questions posées"), "questions")
    answers = _interview_text(_("Réponses du candidat"), "answers")
    observations = _interview_text(_("Observations du jury"), "observations")
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RevisionForm(forms.Form):
    """A compétence's rating revised after the interview, with its mandatory reason."""

    rating = forms.ChoiceField(
        label=_("Appréciation révisée"),
        choices=[("", _("— choisir —")), *Rating.choices],
        error_messages={"required": _("Choisissez l'appréciation révisée.")},
    )
    reason = FreeTextField(
        label=_("Motif de la révision"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif de la révision.")},
    )


class BlocVoteForm(forms.Form):
    """A member's vote on one bloc (one form per bloc, prefixed by the bloc)."""

    validated = yes_no_field(
        label=_("Votre vote"),
        yes=_("Bloc validé"),
        no=_("Bloc non validé"),
        required_message=_("Indiquez votre vote sur ce bloc."),
    )
    motivation = FreeTextField(
        label=_("Motivation"),
        required=False,
        max_length=DELIBERATION_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si votre vote va contre le résultat calculé."),
    )


class DecisionTextsForm(forms.Form):
    """What the jury writes to the candidate, required for a partial validation or a
    refusal."""

    observations = FreeTextField(
        label=_("Observations pour le candidat"),
        required=False,
        max_length=DELIBERATION_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommendations = FreeTextField(
        label=_("Préconisations pour le candidat"),
        required=False,
        max_length=DELIBERATION_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qu'il peut faire pour acquérir les compétences qui lui manquent."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RectificationForm(forms.Form):
    """A certifier's rectification of a signed decision: every bloc's outcome (prefilled
    with the decision's), the texts for the candidate, and the reason they are told."""

    observations = DecisionTextsForm.base_fields["observations"]
    recommendations = DecisionTextsForm.base_fields["recommendations"]
    reason = FreeTextField(
        label=_("Motif de la rectification"),
        max_length=RECTIFICATION_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Communiqué au candidat et imprimé sur la nouvelle version du procès-verbal."),
        error_messages={"required": _("Indiquez le motif de la rectification.")},
    )

    def __init__(self, *args, blocs, **kwargs):
        super().__init__(*args, **kwargs)
        self.bloc_fields = {}
        for bloc in blocs:
            name = f"bloc_{bloc.code}"
            self.fields[name] = yes_no_field(
                label=f"{bloc.code} — {bloc.title}",
                yes=_("Bloc validé"),
                no=_("Bloc non validé"),
                required_message=_("Indiquez le résultat de ce bloc."),
            )
            self.bloc_fields[bloc.code] = name
        # The blocs first, as the decision reads.
        self.order_fields([*self.bloc_fields.values(), "observations", "recommendations"])

    def outcomes(self) -> dict[str, bool]:
        return {code: self.cleaned_data[name] for code, name in self.bloc_fields.items()}


class SignatureForm(forms.Form):
    """A member signs the decision by typing their password again."""

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Signer engage votre responsabilité sur la décision telle qu'elle est affichée."
        ),
        error_messages={"required": _("Saisissez votre mot de passe pour signer.")},
    )


def stale_form_again(form, stale):
    """``form`` shown again after a stale save (``jury.interview.StaleSave``): what was
    typed, now based on the version saved meanwhile (so that saving again, once compared,
    is accepted), with the refusal's message."""
    data = form.data.copy()
    data[form.add_prefix("base_version")] = str(stale.theirs.version)
    again = type(form)(data, prefix=form.prefix)
    again.is_valid()
    again.add_error(None, stale.message)
    return again
