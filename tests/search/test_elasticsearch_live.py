"""The Elasticsearch backend against a real server, when ``ELASTICSEARCH_URL`` is set.

No server can run on the development machines: without the variable the whole module is
skipped with one line. Each run works in its own alias (``vae-search-test-<random>``) and
deletes its indices afterwards.
"""

import os
import uuid

import pytest

if not os.environ.get("ELASTICSEARCH_URL"):
    pytest.skip(
        "ELASTICSEARCH_URL n'est pas défini : tests Elasticsearch en direct ignorés",
        allow_module_level=True,
    )

from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend
from search.base import Clause, Filters, Grant, Kind, ParsedQuery, Scope
from search.query import parse
from tests.factories import CandidacyFactory
from tests.search.es_support import drop_indices, entry
from vae.models import Candidacy

EVERYTHING = Scope(grants=(Grant(kinds=frozenset(Kind.values), candidacies=None),))
PAGES = {
    "evidence_page:1:1": "Bulletin de paie des intermittents du spectacle, janvier 2024.",
    "evidence_page:1:2": "Plan de trésorerie du tournage : l'URSSAF et la DPAE.",
    "evidence_page:2:1": "Devis de location de caméra et budget de postproduction.",
    "narrative:9": "J'ai négocié le crédit d'impôt cinéma avec le CNC.",
}


@pytest.fixture(scope="module")
def client():
    es = Elasticsearch(os.environ["ELASTICSEARCH_URL"], request_timeout=30)
    yield es
    es.close()


@pytest.fixture
def backend(client):
    alias = f"vae-search-test-{uuid.uuid4().hex[:12]}"
    es = ElasticsearchBackend(client, alias=alias, synonyms=lambda: [], refresh="wait_for")
    yield es
    drop_indices(client, alias)


def load(backend, candidacy_id=1, **overrides):
    entries = []
    for key, text in PAGES.items():
        kind, object_id, *page = key.split(":")
        entries.append(
            entry(
                key,
                kind=kind,
                object_id=int(object_id),
                page=int(page[0]) if page else None,
                candidacy_id=candidacy_id,
                text=text,
                title=f"Pièce {object_id}",
                evidence_type="bulletin_paie" if kind == Kind.EVIDENCE_PAGE else "",
                **overrides,
            )
        )
    return backend.index(entries)


def keys(results):
    return sorted(hit.key for hit in results.hits)


def found(backend, raw, scope=EVERYTHING, filters=None):
    return backend.search(parse(raw), scope=scope, filters=filters or Filters())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bulletins", ["evidence_page:1:1"]),
        ("tresorerie", ["evidence_page:1:2"]),
        ("URSSAF", ["evidence_page:1:2"]),
        ("l'urssaf", ["evidence_page:1:2"]),
        ('"plan de trésorerie"', ["evidence_page:1:2"]),
        ('"trésorerie de plan"', []),
        ("budget -devis", []),
        ("budget OR intermittents", ["evidence_page:1:1", "evidence_page:2:1"]),
        ("credit impot", ["narrative:9"]),
    ],
    ids=[
        "plural",
        "accents",
        "acronym",
        "elision",
        "phrase",
        "phrase-order",
        "exclusion",
        "or",
        "folded-elided",
    ],
)
def test_french_matching(backend, raw, expected):
    load(backend)
    assert keys(found(backend, raw)) == expected


@pytest.mark.django_db
def test_snippets_are_escaped_and_marked(backend):
    backend.index([entry(text="Trésorerie <script>alert(1)</script> du film")])
    (hit,) = found(backend, "tresorerie").hits
    assert hit.snippet.startswith("<mark>Trésorerie</mark> &lt;script&gt;")


@pytest.mark.usefixtures("referentiel")
def test_scope_per_grant_including_facets(backend):
    mine, other = CandidacyFactory(), CandidacyFactory()
    load(backend, candidacy_id=mine.pk)
    backend.index(
        [
            entry("evidence_page:50:1", object_id=50, candidacy_id=other.pk, text="Trésorerie"),
            entry("passage:3", kind=Kind.PASSAGE, page=None, candidacy_id=mine.pk,
                  author_id=77, text="Passage sur la trésorerie", evidence_type=""),
            entry("passage:4", kind=Kind.PASSAGE, page=None, candidacy_id=mine.pk,
                  author_id=78, text="Autre avis sur la trésorerie", evidence_type=""),
        ]
    )  # fmt: skip
    assigned = Candidacy.objects.filter(pk=mine.pk).values("pk")
    evaluator = Scope(
        grants=(
            Grant(kinds=frozenset({Kind.EVIDENCE_PAGE, Kind.NARRATIVE}), candidacies=assigned),
            Grant(kinds=frozenset({Kind.PASSAGE}), candidacies=assigned, author_id=77),
        )
    )
    results = found(backend, "tresorerie", evaluator)
    assert keys(results) == ["evidence_page:1:2", "passage:3"]
    assert [(v.value, v.count) for v in results.facets["candidacy"]] == [(str(mine.pk), 2)]
    assert {v.value for v in results.facets["kind"]} == {"evidence_page", "passage"}

    nobody = Scope(
        grants=(
            Grant(kinds=frozenset(Kind.values), candidacies=Candidacy.objects.none().values("pk")),
        )
    )
    assert found(backend, "tresorerie", nobody).total == 0
    assert found(backend, "tresorerie").total == 4


@pytest.mark.django_db
def test_a_selected_facet_value_bounds_the_hits_and_the_counts(backend):
    load(backend)
    everything = found(backend, "trésorerie OR devis OR crédit")
    assert {(v.value, v.count) for v in everything.facets["kind"]} == {
        ("evidence_page", 2),
        ("narrative", 1),
    }
    results = found(backend, "trésorerie OR devis OR crédit", filters=Filters(kind=Kind.NARRATIVE))
    assert keys(results) == ["narrative:9"]
    assert results.total == 1
    assert [(v.value, v.count) for v in results.facets["kind"]] == [("narrative", 1)]
    assert results.facets["evidence_type"] == []  # narratives only: no evidence type


@pytest.mark.django_db
def test_deletions(backend):
    load(backend)
    assert backend.delete_object(Kind.EVIDENCE_PAGE, 1) == 2
    assert backend.delete(["narrative:9", "narrative:404"]) == 1
    assert backend.counts() == {"evidence_page": 1}
    backend.clear(candidacy_id=1)
    assert backend.counts() == {}


@pytest.mark.django_db
def test_rebuild_swaps_the_alias(backend, client):
    load(backend)
    (before,) = backend.aliased_indices()
    assert backend.rebuild([entry(text="Seulement la trésorerie")]) == 1
    (after,) = backend.aliased_indices()
    assert after != before
    assert not client.indices.exists(index=before)
    assert keys(found(backend, "tresorerie")) == ["evidence_page:7:2"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    ["AEM", "attestation employeur mensuelle"],
    ids=["acronym-finds-words", "words-find-acronym"],
)
def test_synonyms_of_the_search_analyzer_alone(client, raw):
    """A query written without the parser's expansion still finds the synonym."""
    alias = f"vae-search-test-{uuid.uuid4().hex[:12]}"
    backend = ElasticsearchBackend(
        client,
        alias=alias,
        synonyms=lambda: [("AEM", "attestation employeur mensuelle")],
        refresh="wait_for",
    )
    try:
        backend.rebuild(
            [
                entry("a", text="Voici l'attestation employeur mensuelle de mars."),
                entry("b", text="L'AEM de mars est jointe."),
            ]
        )
        query = ParsedQuery(raw=raw, groups=((Clause(raw, phrase=" " in raw),),), excluded=())
        assert keys(backend.search(query, scope=EVERYTHING, filters=Filters())) == ["a", "b"]
    finally:
        drop_indices(client, alias)
