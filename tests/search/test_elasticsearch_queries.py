"""The Elasticsearch requests as JSON: text query, scope filter, facets, highlight, pages."""

import pytest

from search.backends.elasticsearch import (
    FACET_SIZE,
    scope_query,
    search_body,
    text_query,
)
from search.base import FACETS, Clause, Filters, Grant, Kind, ParsedQuery, Scope
from tests.factories import CandidacyFactory
from vae.models import Candidacy

ALL_KINDS = frozenset(Kind.values)
EVERYTHING = Scope(grants=(Grant(kinds=ALL_KINDS, candidacies=None),))
FIELDS = ["title^2", "text"]


def words(text):
    return {"multi_match": {"query": text, "fields": FIELDS, "operator": "and"}}


def phrase(text):
    return {"multi_match": {"query": text, "fields": FIELDS, "type": "phrase"}}


WORD = words("tresorerie")


def group(*clauses):
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def parsed(*groups, excluded=()):
    return ParsedQuery(raw="…", groups=tuple(groups), excluded=tuple(excluded))


def test_one_word_all_of_it_in_the_title_or_the_text():
    assert text_query(parsed((Clause("tresorerie"),))).to_dict() == {
        "bool": {"must": [group(WORD)]}
    }


def test_a_phrase_is_a_phrase_query_on_title_and_text():
    query = parsed((Clause("plan de trésorerie", phrase=True),))
    assert text_query(query).to_dict() == {"bool": {"must": [group(phrase("plan de trésorerie"))]}}


def test_an_exclusion_is_a_must_not():
    query = parsed((Clause("budget"),), excluded=(Clause("devis"), Clause("bon de commande", True)))
    assert text_query(query).to_dict() == {
        "bool": {
            "must": [group(words("budget"))],
            "must_not": [
                words("devis"),
                phrase("bon de commande"),
            ],
        }
    }


def test_groups_are_anded_and_a_group_of_synonyms_is_ored():
    query = parsed(
        (Clause("DPAE"), Clause("déclaration préalable à l'embauche", phrase=True)),
        (Clause("intermittents"),),
    )
    assert text_query(query).to_dict() == {
        "bool": {
            "must": [
                group(
                    words("DPAE"),
                    phrase("déclaration préalable à l'embauche"),
                ),
                group(words("intermittents")),
            ]
        }
    }


# -- the scope ----------------------------------------------------------------------------


def test_staff_read_every_kind_of_every_candidacy():
    assert scope_query(EVERYTHING).to_dict() == {
        "bool": {
            "should": [{"bool": {"filter": [{"terms": {"kind": sorted(ALL_KINDS)}}]}}],
            "minimum_should_match": 1,
        }
    }


def test_no_grant_no_query():
    assert scope_query(Scope(grants=())) is None


@pytest.mark.usefixtures("referentiel")
def test_a_candidate_reads_their_own_dossier_only():
    mine, _other = CandidacyFactory(), CandidacyFactory()
    grant = Grant(
        kinds=frozenset({Kind.EVIDENCE_PAGE, Kind.NARRATIVE}),
        candidacies=Candidacy.objects.filter(pk=mine.pk).values("pk"),
    )
    assert scope_query(Scope(grants=(grant,))).to_dict() == {
        "bool": {
            "should": [
                {
                    "bool": {
                        "filter": [
                            {"terms": {"kind": ["evidence_page", "narrative"]}},
                            {"terms": {"candidacy_id": [str(mine.pk)]}},
                        ]
                    }
                }
            ],
            "minimum_should_match": 1,
        }
    }


@pytest.mark.usefixtures("referentiel")
def test_an_evaluator_reads_the_assigned_dossiers_and_their_own_notes():
    first, second, _not_assigned = CandidacyFactory(), CandidacyFactory(), CandidacyFactory()
    assigned = Candidacy.objects.filter(pk__in=[second.pk, first.pk]).values("pk")
    scope = Scope(
        grants=(
            Grant(kinds=frozenset({Kind.EVIDENCE_PAGE, Kind.NARRATIVE}), candidacies=assigned),
            Grant(kinds=frozenset({Kind.PASSAGE, Kind.RATING}), candidacies=assigned, author_id=42),
        )
    )
    ids = sorted([str(first.pk), str(second.pk)], key=int)
    assert scope_query(scope).to_dict()["bool"]["should"] == [
        {
            "bool": {
                "filter": [
                    {"terms": {"kind": ["evidence_page", "narrative"]}},
                    {"terms": {"candidacy_id": ids}},
                ]
            }
        },
        {
            "bool": {
                "filter": [
                    {"terms": {"kind": ["passage", "rating"]}},
                    {"terms": {"candidacy_id": ids}},
                    {"term": {"author_id": "42"}},
                ]
            }
        },
    ]


@pytest.mark.usefixtures("referentiel")
def test_a_grant_over_no_candidacy_is_dropped_and_alone_gives_nothing():
    CandidacyFactory()
    nobody = Candidacy.objects.none().values("pk")
    jury_without_session = Scope(grants=(Grant(kinds=ALL_KINDS, candidacies=nobody),))
    assert scope_query(jury_without_session) is None
    no_kind = Scope(grants=(Grant(kinds=frozenset(), candidacies=None),))
    assert scope_query(no_kind) is None


# -- the whole body -----------------------------------------------------------------------


def test_the_body_scope_in_the_query_highlight_escaped_and_pages():
    query = parsed((Clause("tresorerie"),))
    scope = scope_query(EVERYTHING)
    body = search_body(query, scope, Filters(), page=3, per_page=20)
    assert body["query"] == {
        "bool": {"must": [text_query(query).to_dict()], "filter": [scope.to_dict()]}
    }
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["sort"] == [{"_score": "desc"}, {"key": "asc"}]
    assert "text" not in body["_source"]
    assert body["highlight"]["encoder"] == "html"
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["post_tags"] == ["</mark>"]
    assert body["highlight"]["fields"]["text"]["number_of_fragments"] == 1
    assert body["aggs"]["kind"] == {"terms": {"field": "kind", "size": FACET_SIZE}}
    assert body["aggs"]["candidacy"] == {"terms": {"field": "candidacy_id", "size": FACET_SIZE}}
    assert set(body["aggs"]) == set(FACETS)


def test_selected_values_filter_the_query_so_the_hits_and_every_facet():
    query = parsed((Clause("tresorerie"),))
    filters = Filters(kind="narrative", bloc="B2")
    scope = scope_query(EVERYTHING)
    body = search_body(query, scope, filters, page=1, per_page=20)
    assert body["query"]["bool"]["filter"] == [
        scope.to_dict(),
        {"term": {"blocs": "B2"}},
        {"term": {"kind": "narrative"}},
    ]
    # As the database backends: no post_filter, the facets count inside the selection.
    assert "post_filter" not in body
    assert body["aggs"]["kind"] == {"terms": {"field": "kind", "size": FACET_SIZE}}


def test_a_selected_candidacy_is_a_keyword_term():
    body = search_body(
        parsed((Clause("x"),)), scope_query(EVERYTHING), Filters(candidacy=12), page=1, per_page=5
    )
    assert body["query"]["bool"]["filter"][1:] == [{"term": {"candidacy_id": "12"}}]


def test_past_the_result_window_no_hits_are_asked():
    body = search_body(
        parsed((Clause("x"),)), scope_query(EVERYTHING), Filters(), page=501, per_page=20
    )
    assert (body["from"], body["size"]) == (10_000, 0)
    body = search_body(
        parsed((Clause("x"),)), scope_query(EVERYTHING), Filters(), page=500, per_page=20
    )
    assert (body["from"], body["size"]) == (9_980, 20)
