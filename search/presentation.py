"""A search's results as a page shows them: rows with their link and labels, facets as
links that keep the query, the summary line, the pages.

The engine returns codes and ids (``search.base.Results``); the labels are read here, one
query per facet for the values of the page, never one per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from livret.enums import EvidenceKind
from referentiel import french as fr
from referentiel.models import Bloc, Competence
from search.base import FACETS, Kind, Results
from search.forms import FACET_PARAMS
from search.links import candidacy_names
from vae.enums import CandidacyState
from vae.pagination import PageOf, paginate


@dataclass(frozen=True)
class Row:
    title: str
    kind: str
    candidacy: str
    page: int | None
    snippet: str  # safe HTML from the engine: escaped text, the matches in <mark>
    url: str


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    links: list[FacetLink]
    # The label of the chosen value and the link that removes it (empty: none chosen).
    chosen: str
    remove_url: str
    # How many values the facet has, and the links that show them all or the first
    # ``FACET_SHOWN`` again (empty: nothing to show or hide).
    total: int = 0
    all_url: str = ""
    fewer_url: str = ""


# The values a facet shows, the most frequent first, unless all are asked for
# (``?tout=<facet>``). A common word's hits fall in each of 1,000 candidacies at 100,000
# pages: a list no one reads, whose names and links cost more than the search itself
# (the certifier's page took 175 ms for a 25 ms search, a 240 KB page).
FACET_SHOWN = 10
ALL_PARAM = "tout"


class _Hits(Sequence):
    """The hits of the shown page standing for the whole result list, so that the
    project's paginator counts pages and elides numbers (the engine already cut the
    page: any slice is the page's hits)."""

    def __init__(self, results: Results):
        self.results = results

    def __len__(self):
        return self.results.total

    def __getitem__(self, index):
        return self.results.hits if isinstance(index, slice) else self.results.hits[index]


def pages_of(results: Results) -> PageOf:
    return paginate(_Hits(results), results.page, per_page=results.per_page)


def last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def summary(results: Results, raw: str) -> str:
    """« 12 résultats en 8 ms pour « trésorerie » », or why there are none."""
    took = f"{fr.number(round(results.took_ms))}{fr.NBSP}ms"
    if not results.total:
        return fr.typography(f"Aucun résultat pour « {raw} » ({took})")
    return fr.typography(f"{fr.plural(results.total, 'résultat')} en {took} pour « {raw} »")


def _url(query_dict, **changes) -> str:
    params = query_dict.copy()
    params.pop("page", None)  # another filter, another list: back to its first page
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}"


def _labels(key: str, values: list[str], *, with_name: bool) -> dict[str, str]:
    if key == "candidacy":
        names = candidacy_names([int(v) for v in values if str(v).isdigit()], with_name=with_name)
        return {str(pk): name for pk, name in names.items()}
    if key in ("bloc", "competence"):
        model, name = (Bloc, "title") if key == "bloc" else (Competence, "statement")
        # The same code across référentiel versions: the latest one names it.
        rows = model.objects.filter(code__in=values).order_by("pk").values_list("code", name)
        return {code: f"{code} – {Truncator(text).chars(80)}" for code, text in rows}
    choices = {"kind": Kind, "evidence_type": EvidenceKind, "state": CandidacyState}[key]
    return {value: str(label) for value, label in choices.choices}


def facets(results: Results, filters, query_dict, *, with_name: bool, hidden=()) -> list[Facet]:
    """Each facet with a value to offer, its values as links keeping the query."""
    shown = []
    for key in FACETS:
        if key in hidden:
            continue
        param, label = FACET_PARAMS[key]
        counted = results.facets.get(key, [])
        chosen = getattr(filters, key)
        if not counted and chosen is None:
            continue
        whole = query_dict.get(ALL_PARAM) == param
        values = list(counted) if whole else counted[:FACET_SHOWN]
        # The chosen value stays in sight, however rare.
        values += [v for v in counted[len(values) :] if str(v.value) == str(chosen)]
        named = [str(v.value) for v in values]
        if key != "candidacy" and chosen is not None:
            named.append(str(chosen))
        # A candidacy is named only when the engine counted it for this reader: a chosen
        # one they may not read stays a number (the one they typed), never a name.
        labels = _labels(key, named, with_name=with_name)
        links = [
            FacetLink(
                label=labels.get(str(v.value), str(v.value)),
                count=v.count,
                url=_url(query_dict, **{param: str(v.value)}),
                selected=str(v.value) == str(chosen),
            )
            for v in values
        ]
        chosen_label = labels.get(str(chosen), f"n° {chosen}") if chosen is not None else ""
        remove = _url(query_dict, **{param: None}) if chosen is not None else ""
        longer = len(counted) > FACET_SHOWN
        shown.append(
            Facet(
                key,
                label,
                links,
                chosen_label,
                remove,
                total=len(counted),
                all_url=_url(query_dict, **{ALL_PARAM: param}) if longer and not whole else "",
                fewer_url=_url(query_dict, **{ALL_PARAM: None}) if longer and whole else "",
            )
        )
    return shown


def rows(results: Results, links, *, with_name: bool) -> list[Row]:
    names = candidacy_names({hit.candidacy_id for hit in results.hits}, with_name=with_name)
    return [
        Row(
            title=hit.title,
            kind=str(Kind(hit.kind).label) if hit.kind in Kind.values else hit.kind,
            candidacy=names.get(hit.candidacy_id, ""),
            page=hit.page,
            snippet=mark_safe(hit.snippet),
            url=links.url(hit),
        )
        for hit in results.hits
    ]
