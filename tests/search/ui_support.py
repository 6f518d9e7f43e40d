"""Helpers of the search pages' tests (not a test module): results built by hand, as the
engine returns them (``search.base.Results``), and an engine that records its calls."""

from dataclasses import dataclass, field

from search.base import Clause, FacetValue, Hit, Kind, ParsedQuery, Results


def page_hit(candidacy_id, evidence_pk, page, *, title="Plan de trésorerie", snippet=None):
    return Hit(
        key=f"evidence_page:{evidence_pk}:{page}",
        kind=Kind.EVIDENCE_PAGE,
        object_id=evidence_pk,
        page=page,
        candidacy_id=candidacy_id,
        title=title,
        snippet=snippet or "Le <mark>plan de trésorerie</mark> du film &lt;court&gt;",
        score=1.0,
    )


def results(raw, hits, *, total=None, facets=None, page=1, per_page=20, fell_back=False):
    groups = tuple((Clause(word),) for word in raw.split())
    query = ParsedQuery(raw, groups, (), fell_back=fell_back)
    return Results(
        query=query,
        hits=list(hits),
        total=len(hits) if total is None else total,
        facets=facets or {},
        page=page,
        per_page=per_page,
        took_ms=8.4,
    )


def facet(*pairs):
    return [FacetValue(value, count) for value, count in pairs]


@dataclass
class FakeEngine:
    """Stands for ``search.search``: returns ``answer`` and records every call."""

    answer: Results | None = None
    calls: list = field(default_factory=list)

    def __call__(self, raw, *, user, filters=None, page=1):
        self.calls.append({"raw": raw, "user": user, "filters": filters, "page": page})
        answer = self.answer or results(raw, [])
        return answer
