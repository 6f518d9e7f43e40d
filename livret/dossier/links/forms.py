"""Forms of the candidate's links to compétences and of the no-evidence reasons.

They validate what the candidate typed and say in French what is wrong, field by field;
``livret.dossier.links.services`` checks again under the dossier's lock and writes.
"""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.dossier.links.services import MIN_JUSTIFICATION_CHARS, MIN_NO_EVIDENCE_REASON_CHARS
from livret.dossier.models import Evidence, Narrative
from referentiel import ids

EVIDENCE_PREFIX = "piece-"
NARRATIVE_PREFIX = "recit-"
RETURN_TO = ("links", "overview")


def short(text, words=14) -> str:
    """Compétence statements run to 400 characters: a select option shows the start."""
    return Truncator(" ".join(text.split())).words(words, truncate="…")


def competence_choices(blocs) -> list:
    """Targeted compétences grouped by activité (HTML has no nested <optgroup>, so the
    group label names the bloc too)."""
    choices = [("", gettext_lazy("— Choisissez une compétence —"))]
    for bloc in blocs:
        for activity in bloc.activities.all():
            choices.append(
                (
                    f"{bloc.code} · {activity.code} {short(activity.title, 10)}",
                    [
                        (str(competence.pk), f"{competence.code} — {short(competence.statement)}")
                        for competence in activity.competences.all()
                    ],
                )
            )
    return choices


def _page_field(label):
    return ids.IntegerField(
        label=label,
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
        error_messages={
            "invalid": gettext_lazy("Indiquez un numéro de page (un nombre entier)."),
            "min_value": gettext_lazy("Les pages se numérotent à partir de 1."),
        },
    )


class LinkForm(forms.Form):
    """One link: a compétence, what proves it (a current piece, or a récit) and why.

    ``competence`` and ``source`` are plain fields rendered as grouped selects, so that a
    value outside the lists gets a precise message (another dossier's piece, a withdrawn
    one, a compétence not targeted) rather than Django's generic "invalid choice".
    """

    competence = forms.CharField(
        label=gettext_lazy("Compétence"),
        widget=forms.Select,
        error_messages={"required": gettext_lazy("Choisissez la compétence concernée.")},
    )
    source = forms.CharField(
        label=gettext_lazy("Ce qui la prouve"),
        widget=forms.Select,
        help_text=gettext_lazy(
            "Une de vos pièces justificatives actuelles, ou l'un de vos récits (par exemple "
            "le récit d'une autre activité qui décrit aussi cette compétence)."
        ),
        error_messages={
            "required": gettext_lazy("Choisissez une pièce justificative ou un récit.")
        },
    )
    page_from = _page_field(gettext_lazy("De la page"))
    page_to = _page_field(gettext_lazy("À la page"))
    justification = forms.CharField(
        label=gettext_lazy("En quoi cela prouve la compétence"),
        min_length=MIN_JUSTIFICATION_CHARS,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Une ou deux phrases pour l'évaluateur : ce que l'on voit dans la pièce ou le "
            "récit, et ce que vous y avez fait vous-même."
        ),
        error_messages={
            "required": gettext_lazy(
                "Expliquez en une phrase en quoi cette pièce ou ce récit prouve la compétence."
            ),
            "min_length": gettext_lazy(
                "Soyez un peu plus précis(e) : au moins %(limit_value)d caractères "
                "(vous en avez écrit %(show_value)d)."
            ),
            "max_length": gettext_lazy(
                "Soyez plus bref(ève) : au plus %(limit_value)d caractères "
                "(vous en avez écrit %(show_value)d)."
            ),
        },
    )
    # Where to go back after saving; a closed list, never a URL (no open redirect).
    return_to = forms.ChoiceField(
        choices=[(value, value) for value in RETURN_TO],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, dossier, blocs, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.competences = {
            competence.pk: competence
            for bloc in blocs
            for activity in bloc.activities.all()
            for competence in activity.competences.all()
        }
        self.evidence = {
            evidence.pk: evidence
            for evidence in Evidence.objects.filter(dossier=dossier).order_by("uploaded_at", "pk")
        }
        self.current_evidence = set(
            Evidence.objects.filter(dossier=dossier).current().values_list("pk", flat=True)
        )
        self.narratives = {
            narrative.pk: narrative
            for narrative in Narrative.objects.filter(dossier=dossier).select_related("activity")
        }
        self.fields["competence"].widget.choices = competence_choices(blocs)
        self.fields["source"].widget.choices = self._source_choices()
        self.fields["page_from"].help_text = _(
            "Facultatif, pour une pièce de plusieurs pages : le passage qui compte. "
            "Une seule page : indiquez-la en « De la page »."
        )

    def _source_choices(self) -> list:
        pieces = [
            (
                f"{EVIDENCE_PREFIX}{evidence.pk}",
                _("%(title)s (%(pages)s p.)")
                % {"title": evidence.title, "pages": evidence.page_count},
            )
            for evidence in self.evidence.values()
            if evidence.pk in self.current_evidence
        ]
        narratives = [
            (
                f"{NARRATIVE_PREFIX}{narrative.pk}",
                _("Récit de l'activité %(code)s — %(title)s")
                % {"code": narrative.activity.code, "title": short(narrative.activity.title, 10)},
            )
            for narrative in self.narratives.values()
            if narrative.text.strip()
        ]
        choices = [("", _("— Choisissez une pièce ou un récit —"))]
        if pieces:
            choices.append((_("Pièces justificatives"), pieces))
        if narratives:
            choices.append((_("Récits"), narratives))
        return choices

    @property
    def has_sources(self) -> bool:
        return len(self.fields["source"].widget.choices) > 1

    def clean_competence(self):
        value = self.cleaned_data["competence"]
        competence = self.competences.get(ids.parse_id(value))
        if competence is None:
            raise forms.ValidationError(
                _("Cette compétence ne fait pas partie des blocs que vous visez.")
            )
        return competence

    def clean_source(self):
        value = self.cleaned_data["source"]
        for prefix, objects in (
            (EVIDENCE_PREFIX, self.evidence),
            (NARRATIVE_PREFIX, self.narratives),
        ):
            pk = ids.parse_prefixed_id(value, prefix)
            if pk is not None:
                found = objects.get(pk)
                break
        else:
            raise forms.ValidationError(_("Choisissez une pièce ou un récit dans la liste."))
        if found is None:
            raise forms.ValidationError(
                _("Cette pièce ne fait pas partie de votre dossier.")
                if prefix == EVIDENCE_PREFIX
                else _("Ce récit ne fait pas partie de votre dossier.")
            )
        if isinstance(found, Evidence) and found.pk not in self.current_evidence:
            raise forms.ValidationError(
                _(
                    "La pièce « %(title)s » a été retirée ou remplacée : choisissez sa "
                    "version actuelle."
                )
                % {"title": found.title}
            )
        if isinstance(found, Narrative) and not found.text.strip():
            raise forms.ValidationError(
                _("Ce récit est encore vide : rédigez-le avant de le lier à une compétence.")
            )
        return found

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        page_from, page_to = cleaned.get("page_from"), cleaned.get("page_to")
        if (page_from is None and page_to is None) or self.has_error("page_from"):
            return cleaned
        if isinstance(source, Narrative):
            self.add_error(
                "page_from", _("Les pages ne s'indiquent que pour une pièce justificative.")
            )
        elif isinstance(source, Evidence):
            if page_from is None:
                self.add_error("page_from", _("Indiquez la première page du passage."))
            elif page_to is not None and page_to < page_from:
                self.add_error(
                    "page_to", _("La dernière page du passage ne peut pas précéder la première.")
                )
            else:
                field = "page_to" if page_to is not None else "page_from"
                last = cleaned[field]
                if last > source.page_count:
                    self.add_error(
                        field,
                        _("Cette pièce n'a que %(count)s page(s) : la page %(page)s n'existe pas.")
                        % {"count": source.page_count, "page": last},
                    )
        return cleaned

    def link_values(self) -> dict:
        """The arguments of ``services.add_link`` / ``update_link``."""
        source = self.cleaned_data["source"]
        return {
            "competence": self.cleaned_data["competence"],
            "evidence": source if isinstance(source, Evidence) else None,
            "narrative": source if isinstance(source, Narrative) else None,
            "page_from": self.cleaned_data.get("page_from"),
            "page_to": self.cleaned_data.get("page_to"),
            "justification": self.cleaned_data["justification"],
        }


def link_initial(link) -> dict:
    source = (
        f"{EVIDENCE_PREFIX}{link.evidence_id}"
        if link.evidence_id
        else f"{NARRATIVE_PREFIX}{link.narrative_id}"
    )
    return {
        "competence": str(link.competence_id),
        "source": source,
        "page_from": link.page_from,
        "page_to": link.page_to,
        "justification": link.justification,
    }


def preselection(query) -> dict:
    """The initial values a link to « ajouter un lien » may carry (?competence=, ?evidence=,
    ?narrative=, ?retour=): only digits pass, anything else is ignored."""
    initial = {}
    competence = ids.parse_id(query.get("competence"))
    if competence is not None:
        initial["competence"] = str(competence)
    for key, prefix in (("evidence", EVIDENCE_PREFIX), ("narrative", NARRATIVE_PREFIX)):
        value = ids.parse_id(query.get(key))
        if value is not None:
            initial["source"] = f"{prefix}{value}"
    if query.get("retour") in RETURN_TO:
        initial["return_to"] = query["retour"]
    return initial


class NoEvidenceForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Pourquoi vous n'avez aucune pièce pour cette compétence"),
        min_length=MIN_NO_EVIDENCE_REASON_CHARS,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Par exemple : documents confidentiels appartenant à la production, société "
            "dissoute, employeur refusant de les communiquer. Le jury pourra vous interroger "
            "sur cette compétence lors de l'entretien."
        ),
        error_messages={
            "required": gettext_lazy(
                "Expliquez pourquoi vous n'avez aucune pièce, ou revenez au dossier sans "
                "enregistrer."
            ),
            "min_length": gettext_lazy(
                "Soyez un peu plus précis(e) : au moins %(limit_value)d caractères "
                "(vous en avez écrit %(show_value)d)."
            ),
            "max_length": gettext_lazy(
                "Soyez plus bref(ève) : au plus %(limit_value)d caractères "
                "(vous en avez écrit %(show_value)d)."
            ),
        },
    )
