"""The candidate's forms on their own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vae.forms import FreeTextField

WITHDRAW_COMMENT_MAX_CHARS = 2_000


class WithdrawForm(forms.Form):
    comment = FreeTextField(
        label=_("Motif"),
        required=False,
        max_length=WITHDRAW_COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Le certificateur le lira ; il nous aide à améliorer l'accompagnement."),
    )
