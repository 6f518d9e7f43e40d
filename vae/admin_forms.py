"""The certifier's decision forms on a candidacy (Wagtail admin).

One small form per action. Whether a comment is mandatory is decided by the state
machine (``vae.models.candidacy.COMMENT_REQUIRED``), which also words the error: the form
asks for it with the same words, so the message appears next to the field.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from vae.enums import Transition
from vae.models.candidacy import COMMENT_REQUIRED


@dataclass(frozen=True)
class Action:
    transition: Transition
    label: str  # the button
    comment_label: str
    help_text: str = ""
    button_class: str = "button"
    # A final, irreversible step: the certifier ticks a confirmation box first.
    needs_confirmation: bool = False

    @property
    def comment_required(self) -> bool:
        return self.transition in COMMENT_REQUIRED


# The actions the certifier's back office offers, in the order they are shown.
ACTIONS = {
    action.transition.value: action
    for action in (
        Action(
            Transition.ACCEPT_ELIGIBILITY,
            _("Déclarer recevable"),
            _("Commentaire pour le candidat (facultatif)"),
            _("La recevabilité court à partir d'aujourd'hui."),
        ),
        Action(
            Transition.RETURN_ELIGIBILITY,
            _("Renvoyer au candidat pour correction"),
            _("Ce que le candidat doit corriger ou compléter"),
            _("Le livret 1 redevient modifiable par le candidat, qui devra le renvoyer."),
            "button button-secondary",
        ),
        Action(
            Transition.REJECT_ELIGIBILITY,
            _("Déclarer non recevable"),
            _("Motif de non-recevabilité"),
            _("Décision définitive : le motif est communiqué au candidat."),
            "button no",
        ),
        Action(
            Transition.RETURN_DOSSIER,
            _("Renvoyer le dossier"),
            _("Ce que le candidat doit corriger ou compléter dans son dossier"),
            _("Le dossier de validation redevient modifiable par le candidat."),
            "button button-secondary",
        ),
        Action(
            Transition.WITHDRAW,
            _("Clore la candidature (abandon)"),
            _("Commentaire (facultatif)"),
            _(
                "La candidature sera close définitivement, sans retour possible. Le candidat "
                "devra en déposer une nouvelle pour reprendre sa démarche."
            ),
            "button no",
            needs_confirmation=True,
        ),
    )
}


class DecisionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    # When the page was displayed, the candidacy had this last state change: a different
    # value at POST time means someone else decided in between.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action.transition.value}_%s")
        super().__init__(*args, **kwargs)
        self.decision = action
        self.fields["action"].initial = action.transition.value
        comment = self.fields["comment"]
        comment.label = action.comment_label
        if action.comment_required:
            # Worded by the state machine, which refuses an empty comment in any case.
            comment.required = True
            comment.error_messages = {
                **comment.error_messages,
                "required": str(COMMENT_REQUIRED[action.transition]),
            }
        if action.needs_confirmation:
            self.fields["confirm"].label = _(
                "Je confirme vouloir clore définitivement cette candidature."
            )
        else:
            del self.fields["confirm"]

    def clean_confirm(self):
        confirmed = self.cleaned_data.get("confirm")
        if not confirmed:
            raise forms.ValidationError(
                _("Cochez la case pour confirmer la clôture de la candidature.")
            )
        return confirmed


def version_token(candidacy) -> str:
    """What the page shows the candidacy as: its state and the moment it last changed."""
    return f"{candidacy.state}@{candidacy.state_changed_at.isoformat()}"
