"""Forms of the evaluator's dossier page: a passage tied to criteria, a verdict on a
candidate's link.

The forms check what the evaluator typed and say in French what is wrong; the rules of
the review (who may write, when, on which dossier) stay in ``review.services``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from referentiel import ids
from review.enums import LinkVerdict, PassageKind
from review.selectors.evidence_page import page_text
from review.selectors.text import SelectableText

EXCERPT_KINDS = (PassageKind.NARRATIVE, PassageKind.PAGE_TEXT)
PAGE_KINDS = (PassageKind.PAGE_TEXT, PassageKind.PAGE)


class CriterionLinkForm(forms.Form):
    """A passage (an excerpt of a récit, an excerpt of a page's text, a whole page) and the
    criteria it proves.

    ``start`` and ``end`` are offsets in the text as the browser shows it (filled in by
    static/js/passage-select.js from a selection, or typed); ``service_kwargs`` turns them
    into offsets of the stored text.
    """

    # Which page the form was sent from, to show it again with its errors.
    origin = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Ce que vous reliez"),
        choices=PassageKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Indiquez ce que vous reliez : un extrait de récit, un extrait du texte "
                "d'une page ou une page entière."
            ),
            "invalid_choice": _("Type de passage inconnu."),
        },
    )
    narrative = forms.TypedChoiceField(
        label=_("Récit"),
        coerce=int,
        required=False,
        help_text=_("Pour un extrait de récit."),
        error_messages={"invalid_choice": _("Ce récit n'appartient pas à ce dossier.")},
    )
    evidence = forms.TypedChoiceField(
        label=_("Pièce justificative"),
        coerce=int,
        required=False,
        help_text=_("Pour un extrait de page ou une page entière."),
        error_messages={"invalid_choice": _("Cette pièce n'appartient pas à ce dossier.")},
    )
    page = ids.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        help_text=_("Son numéro dans la pièce."),
        error_messages={
            "invalid": _("Indiquez un numéro de page."),
            "min_value": _("Les pages sont numérotées à partir de 1."),
        },
    )
    start = ids.IntegerField(
        label=_("Premier caractère"),
        required=False,
        min_value=0,
        help_text=_("Pour un extrait."),
        error_messages={
            "invalid": _("Indiquez une position en nombre de caractères."),
            "min_value": _("Le début du passage ne peut pas être négatif."),
        },
    )
    end = ids.IntegerField(
        label=_("Caractère suivant le dernier"),
        required=False,
        min_value=0,
        help_text=_("Pour un extrait."),
        error_messages={
            "invalid": _("Indiquez une position en nombre de caractères."),
            "min_value": _("La fin du passage ne peut pas être négative."),
        },
    )
    criteria = forms.TypedMultipleChoiceField(
        label=_("Critères que ce passage prouve"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins un critère que ce passage prouve."),
            "invalid_choice": _("Ce critère ne relève pas des blocs visés par la candidature."),
            "invalid_list": _("Cochez au moins un critère que ce passage prouve."),
        },
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que ce passage montre, ou ce qui manque."),
    )

    def __init__(self, *args, narratives, evidence, criteria, origin="dossier", **kwargs):
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
        self.origin = origin
        if origin == "page":
            # An evidence page offers its own text and the page itself, not the récits.
            self.fields["kind"].choices = [
                (k.value, k.label) for k in PassageKind if k in PAGE_KINDS
            ]
        # Choices from rows the page already loaded: no query to render or validate them.
        self.narratives = {n.pk: n for n in narratives}
        self.evidence_items = {e.pk: e for e in evidence}
        self.criteria = criteria
        self.fields["narrative"].choices = [("", _("Choisissez un récit"))] + [
            (n.pk, f"{n.activity.code} – {n.activity.title}") for n in narratives
        ]
        self.fields["evidence"].choices = [("", _("Choisissez une pièce"))] + [
            (e.pk, e.title) for e in evidence
        ]
        self.fields["criteria"].choices = [(pk, c.text) for pk, c in criteria.items()]
        self.text = None

    def open_blocs(self) -> set[int]:
        """Blocs whose criteria list shows unfolded: those holding a ticked criterion,
        all of them after an error on the criteria."""
        if "criteria" in self.errors:
            return {c.competence.activity.bloc_id for c in self.criteria.values()}
        return {
            self.criteria[pk].competence.activity.bloc_id
            for pk in self.checked_criteria()
            if pk in self.criteria
        }

    def checked_criteria(self) -> set[int]:
        """The criteria to show ticked again: what was sent, valid or not."""
        if not self.is_bound:
            return set(self.initial.get("criteria", ()))
        values = self.data.getlist(self.add_prefix("criteria"))
        return {pk for pk in map(ids.parse_id, values) if pk is not None}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == PassageKind.NARRATIVE:
            narrative = self.narratives.get(cleaned.get("narrative"))
            if narrative is None:
                if "narrative" not in self.errors:
                    self.add_error("narrative", _("Choisissez le récit dont vient le passage."))
                return cleaned
            cleaned["narrative_obj"] = narrative
            self.text = SelectableText(narrative.text)
        elif kind in PAGE_KINDS:
            evidence = self.evidence_items.get(cleaned.get("evidence"))
            if evidence is None:
                if "evidence" not in self.errors:
                    self.add_error("evidence", _("Choisissez la pièce dont vient le passage."))
                return cleaned
            cleaned["evidence_obj"] = evidence
            page = cleaned.get("page")
            if page is None:
                if "page" not in self.errors:
                    self.add_error("page", _("Indiquez le numéro de la page."))
                return cleaned
            if page > evidence.page_count:
                self.add_error(
                    "page",
                    _("« %(title)s » a %(n)d page(s) : choisissez une page entre 1 et %(n)d.")
                    % {"title": evidence.title, "n": evidence.page_count},
                )
                return cleaned
            if kind == PassageKind.PAGE_TEXT:
                self.text = page_text(evidence, page)
        if kind in EXCERPT_KINDS and self.text is not None:
            self._clean_range(cleaned)
        return cleaned

    def _clean_range(self, cleaned):
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self.errors or "end" in self.errors:
            return
        if not self.text.text:
            self.add_error(
                "start",
                _(
                    "Cette page n'a pas de texte lisible (document numérisé ?) : reliez la "
                    "page entière."
                ),
            )
            return
        if start is None or end is None:
            self.add_error(
                "start",
                _(
                    "Sélectionnez le passage dans le texte, ou indiquez la position de son "
                    "premier caractère et du caractère qui suit le dernier."
                ),
            )
            return
        if end <= start:
            self.add_error("end", _("La fin du passage doit venir après son début."))
            return
        if end > len(self.text):
            self.add_error(
                "end",
                _("Le passage dépasse la fin du texte, qui compte %(n)d caractères.")
                % {"n": len(self.text)},
            )
            return
        if not self.text.text[start:end].strip():
            self.add_error("start", _("Le passage choisi ne contient que des espaces."))

    def service_kwargs(self) -> dict:
        """The arguments of ``review.services.add_criterion_link`` (offsets of the stored
        text)."""
        data = self.cleaned_data
        kind = data["kind"]
        kwargs = {
            "kind": kind,
            "criteria": [self.criteria[pk] for pk in data["criteria"]],
            "comment": data["comment"],
        }
        if kind == PassageKind.NARRATIVE:
            kwargs["narrative"] = data["narrative_obj"]
        else:
            kwargs["evidence"] = data["evidence_obj"]
            kwargs["page"] = data["page"]
        if kind in EXCERPT_KINDS:
            kwargs["start"] = self.text.raw_offset(data["start"])
            kwargs["end"] = self.text.raw_offset(data["end"])
        return kwargs


class LinkVerdictForm(forms.Form):
    """Accept or reject one of the candidate's links; a rejection says why."""

    verdict = forms.ChoiceField(
        label=_("Votre avis sur ce lien"),
        choices=LinkVerdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Indiquez si vous acceptez ou rejetez ce lien."),
            "invalid_choice": _("Choisissez d'accepter ou de rejeter ce lien."),
        },
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour un rejet."),
    )

    def __init__(self, *args, link, **kwargs):
        kwargs.setdefault("prefix", f"avis-{link.pk}")
        super().__init__(*args, **kwargs)
        self.link = link

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verdict") == LinkVerdict.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Indiquez pourquoi vous rejetez ce lien."))
        return cleaned
