"""What a search page reads from its query string: the words typed, the facets chosen.

Nothing in the query string is trusted: a value that is not one the facet can take is
ignored and the page says so, the words stay in the box whatever happens."""

import re

from django import forms

from livret.enums import EvidenceKind
from referentiel.ids import parse_id
from search.base import Filters, Kind
from vae.enums import CandidacyState

MAX_QUERY = 200

# Filters field -> (query-string parameter, what the facet is called on the page)
FACET_PARAMS = {
    "candidacy": ("candidature", "Candidature"),
    "bloc": ("bloc", "Bloc de compétences"),
    "competence": ("competence", "Compétence"),
    "kind": ("type", "Type de texte"),
    "evidence_type": ("piece", "Type de pièce"),
    "state": ("etat", "État de la candidature"),
}

_CODE = re.compile(r"^[\w.\-]{1,30}$")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        max_length=MAX_QUERY,
        required=False,
        help_text=(
            "Des mots (« bulletin de paie »), une expression exacte entre guillemets "
            "(« \"plan de trésorerie\" »), OR entre deux mots pour l'un ou l'autre, un "
            "tiret devant un mot à exclure (-devis)."
        ),
        error_messages={
            "max_length": "La recherche dépasse %(limit_value)d caractères : raccourcissez-la."
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _valid(field: str, value: str):
    if field == "candidacy":
        return parse_id(value)
    if field in ("bloc", "competence"):
        return value if _CODE.match(value) else None
    choices = {"kind": Kind, "evidence_type": EvidenceKind, "state": CandidacyState}[field]
    return value if value in choices.values else None


def read_filters(query_dict) -> tuple[Filters, list[str]]:
    """The facets chosen in the query string, and a French message for each value that
    could not be read (that facet is then not applied)."""
    values, problems = {}, []
    for field, (param, label) in FACET_PARAMS.items():
        raw = (query_dict.get(param) or "").strip()
        if not raw:
            continue
        value = _valid(field, raw)
        if value is None:
            problems.append(f"Le filtre « {label} » n'a pas pu être lu : il est ignoré.")
        else:
            values[field] = value
    return Filters(**values), problems
