"""The Elasticsearch index as JSON: the French analyzers and the mapping the issue asks for."""

import pytest

from search.analysis import ELISIONS, STOP_WORDS
from search.backends.elasticsearch import (
    SearchEntry,
    index_body,
    leaves_a_hole,
    source_of,
    synonym_rules,
)
from tests.search.es_support import entry

FRENCH_CHAIN = ["french_elision", "lowercase", "asciifolding", "french_stop", "french_stemmer"]


def test_the_index_analyzer_is_french_without_synonyms():
    analysis = SearchEntry._index.to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["french"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": FRENCH_CHAIN,
    }
    filters = analysis["filter"]
    assert filters["french_elision"] == {
        "type": "elision",
        "articles_case": True,
        "articles": sorted(ELISIONS),
    }
    assert {"l", "d", "qu", "j", "jusqu"} <= set(filters["french_elision"]["articles"])
    # The database backends' folded stop list, so that both engines drop the same words.
    assert filters["french_stop"] == {"type": "stop", "stopwords": sorted(STOP_WORDS)}
    assert {"de", "la", "ete"} <= set(filters["french_stop"]["stopwords"])
    assert filters["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert "vae_synonyms" not in filters


def test_the_search_analyzer_adds_the_synonyms_after_folding_and_before_stemming():
    rules = synonym_rules([("AEM", "attestation employeur mensuelle"), ("CNC",)])
    analysis = index_body(rules)["settings"]["analysis"]
    assert analysis["analyzer"]["french_search"]["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "vae_synonyms",
        "french_stop",
        "french_stemmer",
    ]
    assert analysis["filter"]["vae_synonyms"] == {
        "type": "synonym_graph",
        "synonyms": ["AEM, attestation employeur mensuelle"],
        "lenient": True,
    }
    # The index analyzer stays without synonyms: editing the list never needs a reindex.
    assert analysis["analyzer"]["french"]["filter"] == FRENCH_CHAIN


def test_no_synonyms_no_synonym_filter():
    analysis = index_body([])["settings"]["analysis"]
    assert analysis["analyzer"]["french_search"]["filter"] == FRENCH_CHAIN
    assert "vae_synonyms" not in analysis["filter"]


@pytest.mark.parametrize(
    ("groups", "rules"),
    [
        ([("DSN", "déclaration sociale nominative")], ["DSN, déclaration sociale nominative"]),
        ([("AEM",)], []),  # one term alone is no synonym
        (
            [("devis,budget", "  note   frais ")],
            ["devis budget, note frais"],
        ),  # a comma would split the term in two
        ([("x", "", " ")], []),
        # A stop word would leave a hole in the synonym's path: the term stays out…
        ([("TVA", "taxe sur la valeur ajoutée")], []),
        ([("DPAE", "déclaration préalable à l'embauche")], []),
        (
            [("CDDU", "contrat à durée déterminée d'usage", "CDD d'usage")],
            ["CDDU, CDD d'usage"],
        ),
        # …but an elided article is no hole: the elision filter keeps its word.
        (
            [("crédit d'impôt", "C2I"), ("l'URSSAF", "urssaf")],
            ["crédit d'impôt, C2I", "l'URSSAF, urssaf"],
        ),
    ],
    ids=[
        "words",
        "alone",
        "comma-and-spaces",
        "blank",
        "stop-words",
        "stop-word-a",
        "some-kept",
        "elisions",
    ],
)
def test_synonym_rules(groups, rules):
    assert synonym_rules(groups) == rules


@pytest.mark.parametrize(
    ("term", "hole"),
    [
        ("plan de trésorerie", True),
        ("crédit d’impôt", False),  # curly apostrophe
        ("qu'il", True),  # « il » itself is a stop word
        ("Été", True),  # folded: « ete »
        ("annexe 8", False),
    ],
    ids=["de", "curly-elision", "elided-then-stop", "accented-stop", "digits"],
)
def test_leaves_a_hole(term, hole):
    assert leaves_a_hole(term) is hole


def test_the_mapping_field_by_field():
    properties = SearchEntry._index.to_dict()["mappings"]["properties"]
    for field in (
        "key",
        "kind",
        "object_id",
        "candidacy_id",
        "author_id",
        "blocs",
        "competences",
        "evidence_type",
        "candidacy_state",
    ):
        assert properties[field] == {"type": "keyword"}, field
    assert properties["page"] == {"type": "integer"}
    assert properties["updated_at"] == {"type": "date"}
    assert properties["text"] == {
        "type": "text",
        "analyzer": "french",
        "search_analyzer": "french_search",
        "index_options": "offsets",
    }
    assert properties["title"] == {
        "type": "text",
        "analyzer": "french",
        "search_analyzer": "french_search",
        "fields": {"raw": {"type": "keyword", "ignore_above": 512}},
    }
    assert set(properties) == {
        "key",
        "kind",
        "object_id",
        "page",
        "candidacy_id",
        "author_id",
        "title",
        "text",
        "blocs",
        "competences",
        "evidence_type",
        "candidacy_state",
        "updated_at",
    }


def test_an_entry_as_a_document_keeps_the_original_text():
    source = source_of(entry(text="Le plan de trésorerie <b>", author_id=12))
    assert source == {
        "key": "evidence_page:7:2",
        "kind": "evidence_page",
        "object_id": "7",
        "page": 2,
        "candidacy_id": "3",
        "author_id": "12",
        "title": "Plan de trésorerie — tournage 2024",
        "text": "Le plan de trésorerie <b>",
        "blocs": ["B2"],
        "competences": ["C2.1"],
        "evidence_type": "plan_tresorerie",
        "candidacy_state": "evaluation",
        "updated_at": "2026-03-04T10:30:00+00:00",
    }
    assert source_of(entry(author_id=None, page=None))["author_id"] is None
