"""The certifier's decisions on a candidacy (Wagtail admin): what each one says and does.

One ``Action`` per decision, in one mapping: its wording, its comment, what it does. What
the confirmation step restates is derived from data rather than written twice: the target
state from the state machine, who is e-mailed from ``vae.notifications.notices``, the
validity of a recevabilité from the model's computation. Whether a comment is mandatory
is decided by the transition table (``vae.enums.TRANSITIONS``), which also words the error: the
form asks for it with the same words, so the message appears next to the field.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referentiel import french as fr
from vae.enums import FINAL_STATES, TRANSITIONS, CandidacyState, Role, Transition
from vae.models.candidacy import eligibility_end
from vae.notifications import Notice, notices


def _validity(candidacy) -> list[str]:
    end = eligibility_end(timezone.localdate())
    return [_("La recevabilité sera valable jusqu'au %(date)s.") % {"date": fr.date(end)}]


@dataclass(frozen=True)
class Action:
    transition: Transition
    label: str  # the link that opens the decision, and its confirmation button
    comment_label: str
    # What happens besides the change of state and the e-mails, in the certifier's words.
    effect: str = ""
    button_class: str = "button"
    # Facts computed at the time of the decision (a date), restated before confirming.
    facts: Callable = field(default=lambda candidacy: [])

    @property
    def comment_required(self) -> bool:
        return bool(TRANSITIONS[self.transition].comment_required)

    @property
    def slug(self) -> str:
        return self.transition.value

    @property
    def confirm_class(self) -> str:
        """« Confirmer » is the page's main button; red when the action is a refusal or an end."""
        return "button no" if "no" in self.button_class.split() else "button"


# The actions the certifier's back office offers, in the order they are shown.
ACTIONS = {
    action.transition.value: action
    for action in (
        Action(
            Transition.ACCEPT_ELIGIBILITY,
            gettext_lazy("Déclarer recevable"),
            gettext_lazy("Commentaire pour le candidat (facultatif)"),
            gettext_lazy(
                "Le candidat pourra rédiger son dossier de validation (livret 2). La "
                "recevabilité court à partir d'aujourd'hui."
            ),
            facts=_validity,
        ),
        Action(
            Transition.RETURN_ELIGIBILITY,
            gettext_lazy("Renvoyer au candidat pour correction"),
            gettext_lazy("Ce que le candidat doit corriger ou compléter"),
            gettext_lazy(
                "Le livret 1 redevient modifiable par le candidat, qui devra le renvoyer."
            ),
            "button button-secondary",
        ),
        Action(
            Transition.REJECT_ELIGIBILITY,
            gettext_lazy("Déclarer non recevable"),
            gettext_lazy("Motif de non-recevabilité"),
            gettext_lazy(
                "Le motif est communiqué au candidat, qui pourra déposer une nouvelle demande."
            ),
            "button no",
        ),
        Action(
            Transition.START_REVIEW,
            gettext_lazy("Lancer l'évaluation"),
            gettext_lazy("Commentaire (facultatif)"),
            gettext_lazy(
                "Les évaluateurs du jury d'évaluation lisent le dossier et remplissent leur "
                "grille ; le jury d'évaluation ne se modifie plus qu'en cas de remplacement."
            ),
        ),
        Action(
            Transition.COMPLETE_REVIEW,
            gettext_lazy("Clore l'évaluation"),
            gettext_lazy("Commentaire (facultatif)"),
            gettext_lazy(
                "Les appréciations consolidées sont arrêtées : le dossier peut passer devant "
                "le jury de délibération."
            ),
        ),
        Action(
            Transition.RETURN_DOSSIER,
            gettext_lazy("Renvoyer le dossier"),
            gettext_lazy("Ce que le candidat doit corriger ou compléter dans son dossier"),
            gettext_lazy("Le dossier de validation redevient modifiable par le candidat."),
            "button button-secondary",
        ),
        Action(
            Transition.WITHDRAW,
            gettext_lazy("Clore la candidature (abandon)"),
            gettext_lazy("Commentaire (facultatif)"),
            gettext_lazy(
                "Le candidat devra déposer une nouvelle candidature pour reprendre sa démarche."
            ),
            "button no",
        ),
    )
}


@dataclass(frozen=True)
class Restatement:
    """What a decision will do, said before the certifier confirms it."""

    action: Action
    source: CandidacyState
    target: CandidacyState | None
    facts: list[str]
    notices: list[Notice]

    @property
    def final(self) -> bool:
        return self.target in FINAL_STATES


def restate(action: Action, candidacy) -> Restatement:
    transition = getattr(candidacy, action.slug)._django_fsm.get_transition(candidacy.state)
    target = CandidacyState(transition.target) if transition else None
    facts = [str(action.effect)] if action.effect else []
    facts += action.facts(candidacy)
    return Restatement(
        action=action,
        source=CandidacyState(candidacy.state),
        target=target,
        facts=facts,
        notices=notices(action.transition, actor_role=Role.CERTIFIER),
    )


class DecisionForm(forms.Form):
    """The comment of one decision, then (second step) its confirmation.

    Posted without ``confirm``, the form is checked and the confirmation page restates
    the decision; posted again with ``confirm``, the decision is taken.
    """

    # When the page was displayed, the candidacy had this last state change: a different
    # value at POST time means someone else decided in between.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action.slug}_%s")
        super().__init__(*args, **kwargs)
        self.decision = action
        comment = self.fields["comment"]
        comment.label = action.comment_label
        if action.comment_required:
            # Worded by the state machine, which refuses an empty comment in any case.
            comment.required = True
            comment.error_messages = {
                **comment.error_messages,
                "required": str(TRANSITIONS[action.transition].comment_required),
            }

    @property
    def confirmed(self) -> bool:
        return self.is_valid() and self.cleaned_data["confirm"]
