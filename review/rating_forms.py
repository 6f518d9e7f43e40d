"""Forms of the evaluator's grid and of the consolidation: one small form per compétence.

A grid is the whole page: every compétence's form is posted together, each with its own
prefix so that ids stay unique. A form left as it was (``empty_permitted``) is neither
validated nor saved, so an evaluator can save a half-filled grid; one that was touched
needs both the rating and its justification.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from referentiel.enums import Rating


class _CompetenceForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices, widget=forms.RadioSelect)
    justification = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    rating_label = ""
    justification_label = ""
    messages = {}

    def __init__(self, data=None, *, competence, initial=None):
        # empty_permitted skips validation of untouched forms; Django forbids it together
        # with the HTML required attribute, which the page does not use (novalidate).
        super().__init__(
            data,
            prefix=f"c{competence.pk}",
            initial=initial,
            empty_permitted=True,
            use_required_attribute=False,
        )
        self.competence = competence
        code = competence.code
        self.fields["rating"].label = self.rating_label % {"code": code}
        self.fields["justification"].label = self.justification_label % {"code": code}
        self.fields["rating"].error_messages["required"] = self.messages["rating"]
        self.fields["rating"].error_messages["invalid_choice"] = self.messages["rating"]
        self.fields["justification"].error_messages["required"] = self.messages["justification"]


class RatingForm(_CompetenceForm):
    """An evaluator's rating of one compétence and why."""

    rating_label = _("Votre appréciation de la compétence %(code)s")
    justification_label = _("Justification de votre appréciation (%(code)s)")
    messages = {
        "rating": _("Choisissez acquis, partiellement acquis ou non acquis."),
        "justification": _("Justifiez votre appréciation."),
    }


class ConsolidationForm(_CompetenceForm):
    """The panel's rating of one compétence, recorded by the certifier's representative."""

    rating_label = _("Appréciation consolidée de la compétence %(code)s")
    justification_label = _("Justification de l'appréciation consolidée (%(code)s)")
    messages = {
        "rating": _("Choisissez l'appréciation consolidée."),
        "justification": _("Justifiez l'appréciation consolidée."),
    }
