"""The Elasticsearch backend against recorded responses (the client's transport replaced,
see tests/search/es_support.py): what it sends, and how it reads what comes back."""

import pytest
from elasticsearch import ApiError

from search.backends.elasticsearch import ElasticsearchBackend, SearchIndexError
from search.base import FACETS, Clause, FacetValue, Filters, Grant, Kind, ParsedQuery, Scope
from search.models import Synonym
from tests.search.es_support import ALIAS, entry, recorded, recorded_backend, recording_client

EVERYTHING = Scope(grants=(Grant(kinds=frozenset(Kind.values), candidacies=None),))
QUERY = ParsedQuery(
    raw="plan trésorerie", groups=((Clause("plan"),), (Clause("trésorerie"),)), excluded=()
)
ACK = {"acknowledged": True}
REFRESHED = {"_shards": {"total": 1, "successful": 1, "failed": 0}}
BUILDING = f"{ALIAS}-building"
# No rebuild loading: the building alias is missing (the server's answer).
NOT_BUILDING = (404, {"error": f"alias [{BUILDING}] missing", "status": 404})
LOADING = "vae-search-test-20261202080000000000"
# A rebuild is loading LOADING: the building alias points at it.
BUILDING_NOW = (200, {LOADING: {"aliases": {BUILDING: {}}}})


def bulk_ok(*keys, op="index", status=201):
    return {
        "took": 3,
        "errors": False,
        "items": [
            {op: {"_index": "i", "_id": key, "status": status, "result": "created"}} for key in keys
        ],
    }


# -- search ---------------------------------------------------------------------------------


def test_a_recorded_search_response_becomes_results():
    backend, exchange = recorded_backend((200, recorded("search_hits")))
    results = backend.search(QUERY, scope=EVERYTHING, filters=Filters(), page=2, per_page=10)

    (request,) = exchange.requests
    assert request.line == f"POST /{ALIAS}/_search"
    assert (request.body["from"], request.body["size"]) == (10, 10)

    assert results.total == 2
    assert results.took_ms == 12.0
    assert (results.page, results.per_page, results.query) == (2, 10, QUERY)
    first, second = results.hits
    assert (first.key, first.kind, first.object_id, first.page, first.candidacy_id) == (
        "evidence_page:7:2",
        "evidence_page",
        7,
        2,
        3,
    )
    assert first.title == "Plan de trésorerie — tournage 2024"
    assert first.score == pytest.approx(3.8716)
    # Escaped by the server (encoder: html): only the <mark> tags are markup.
    assert first.snippet == (
        "Le <mark>plan</mark> de <mark>trésorerie</mark> prévoit le crédit d&#x27;impôt "
        "&lt;cinéma&gt;."
    )
    assert (second.kind, second.page, second.object_id) == ("narrative", None, 41)
    assert (
        second.snippet
        == "J&#x27;ai tenu la <mark>trésorerie</mark> du tournage … le <mark>plan</mark> mensuel"
    )

    assert results.facets["bloc"] == [FacetValue("B2", 2), FacetValue("B1", 1)]
    assert results.facets["candidacy"] == [FacetValue("3", 2)]
    assert results.facets["kind"] == [FacetValue("evidence_page", 1), FacetValue("narrative", 1)]
    # Texts that are not evidence have an empty type: not a value to offer.
    assert results.facets["evidence_type"] == [FacetValue("plan_tresorerie", 1)]
    assert set(results.facets) == set(FACETS)


def test_a_total_past_ten_thousand_is_read_as_a_number():
    response = recorded("search_hits")
    response["hits"]["total"] = {"value": 10000, "relation": "gte"}
    backend, _ = recorded_backend((200, response))
    assert backend.search(QUERY, scope=EVERYTHING, filters=Filters()).total == 10000


def test_a_hit_without_highlight_has_an_empty_snippet_not_raw_text():
    response = recorded("search_hits")
    del response["hits"]["hits"][0]["highlight"]
    backend, _ = recorded_backend((200, response))
    hit = backend.search(QUERY, scope=EVERYTHING, filters=Filters()).hits[0]
    assert hit.snippet == ""


def test_no_grant_or_no_words_sends_nothing_and_finds_nothing():
    backend, exchange = recorded_backend()
    nothing = backend.search(QUERY, scope=Scope(grants=()), filters=Filters())
    empty = ParsedQuery(raw="", groups=(), excluded=())
    no_words = backend.search(empty, scope=EVERYTHING, filters=Filters())
    for results in (nothing, no_words):
        assert (results.hits, results.total) == ([], 0)
        assert all(values == [] for values in results.facets.values())
    assert exchange.requests == []


def test_an_index_never_created_finds_nothing():
    backend, exchange = recorded_backend((404, recorded("index_not_found")))
    results = backend.search(QUERY, scope=EVERYTHING, filters=Filters())
    assert (results.hits, results.total) == ([], 0)
    assert exchange.lines == [f"POST /{ALIAS}/_search"]


def test_a_server_error_is_not_swallowed():
    error = {
        "error": {"type": "search_phase_execution_exception", "reason": "all shards failed"},
        "status": 500,
    }
    backend, _ = recorded_backend((500, error))
    with pytest.raises(ApiError, match="search_phase_execution_exception"):
        backend.search(QUERY, scope=EVERYTHING, filters=Filters())


def test_counts_per_kind():
    backend, exchange = recorded_backend((200, recorded("counts")))
    assert backend.counts() == {"evidence_page": 1200, "narrative": 38, "passage": 12}
    assert exchange.requests[0].body["size"] == 0
    assert exchange.requests[0].body["aggs"]["kinds"]["terms"]["field"] == "kind"


# -- writes -------------------------------------------------------------------------------


def test_index_writes_through_the_alias_in_one_bulk():
    backend, exchange = recorded_backend(
        (200, ""), NOT_BUILDING, (200, bulk_ok("evidence_page:7:1", "narrative:41"))
    )
    written = backend.index(
        [entry("evidence_page:7:1", page=1), entry("narrative:41", kind=Kind.NARRATIVE, page=None)]
    )
    assert written == 2
    assert exchange.lines == [f"HEAD /_alias/{ALIAS}", f"GET /_alias/{BUILDING}", "PUT /_bulk"]
    action, source, second_action, _ = exchange.requests[2].body
    assert action == {"index": {"_index": ALIAS, "_id": "evidence_page:7:1"}}
    assert source["text"] == "Le plan de trésorerie prévoit le crédit d'impôt cinéma."
    assert second_action == {"index": {"_index": ALIAS, "_id": "narrative:41"}}


def test_the_first_write_creates_an_index_behind_the_alias():
    backend, exchange = recorded_backend(
        (404, ""), (200, {**ACK, "index": "x"}), NOT_BUILDING, (200, bulk_ok("evidence_page:7:2"))
    )
    backend.index([entry()])
    head, create, building, bulk = exchange.requests
    assert head.line == f"HEAD /_alias/{ALIAS}"
    assert create.line == f"PUT /{ALIAS}-00000000000000000000"
    assert create.body["aliases"] == {ALIAS: {}}
    assert create.body["mappings"]["properties"]["text"]["analyzer"] == "french"
    assert building.line == f"GET /_alias/{BUILDING}"
    assert bulk.line == "PUT /_bulk"
    # Known afterwards: the next write does not ask again whether the alias exists.
    exchange.responses += [NOT_BUILDING, (200, bulk_ok("evidence_page:7:2"))]
    backend.index([entry()])
    assert exchange.lines[-2:] == [f"GET /_alias/{BUILDING}", "PUT /_bulk"]
    assert len(exchange.requests) == 6


def test_two_workers_creating_the_first_index_at_once_share_it():
    exists = {
        "error": {
            "type": "resource_already_exists_exception",
            "reason": f"index [{ALIAS}-00000000000000000000/abc] already exists",
        },
        "status": 400,
    }
    backend, exchange = recorded_backend(
        (404, ""), (400, exists), NOT_BUILDING, (200, bulk_ok("a"))
    )
    assert backend.index([entry("a")]) == 1
    assert exchange.lines[-1] == "PUT /_bulk"


def test_another_refusal_to_create_the_index_is_raised():
    wrong = {"error": {"type": "illegal_argument_exception", "reason": "bad"}, "status": 400}
    backend, exchange = recorded_backend((404, ""), (400, wrong))
    with pytest.raises(ApiError, match="illegal_argument_exception"):
        backend.index([entry("a")])
    assert len(exchange.requests) == 2


def test_a_refused_entry_is_reported_and_the_others_are_written():
    backend, exchange = recorded_backend(
        (200, ""), NOT_BUILDING, (200, recorded("bulk_one_refused"))
    )
    entries = [
        entry("evidence_page:7:1", page=1),
        entry("evidence_page:7:2"),
        entry("narrative:41"),
    ]
    with pytest.raises(SearchIndexError) as raised:
        backend.index(entries)
    (failure,) = raised.value.failures
    assert failure.key == "evidence_page:7:2"
    assert failure.status == 400
    assert failure.reason.startswith("document_parsing_exception: [1:118] failed to parse")
    assert "1 entrée(s) refusée(s) par Elasticsearch, dont evidence_page:7:2 (400)" in str(
        raised.value
    )
    assert len(exchange.requests[2].body) == 6  # all three were sent


def test_delete_by_key_ignores_the_keys_already_gone():
    gone = {
        "took": 1,
        "errors": True,
        "items": [
            {"delete": {"_index": "i", "_id": "narrative:41", "status": 200, "result": "deleted"}},
            {
                "delete": {
                    "_index": "i",
                    "_id": "narrative:42",
                    "status": 404,
                    "result": "not_found",
                }
            },
        ],
    }
    backend, exchange = recorded_backend((200, ""), NOT_BUILDING, (200, gone))
    assert backend.delete(["narrative:41", "narrative:42"]) == 1
    assert exchange.requests[2].body == [
        {"delete": {"_index": ALIAS, "_id": "narrative:41"}},
        {"delete": {"_index": ALIAS, "_id": "narrative:42"}},
    ]


def test_delete_an_evidence_every_page_by_query_after_a_refresh():
    backend, exchange = recorded_backend(
        NOT_BUILDING, (200, REFRESHED), (200, {"took": 5, "deleted": 3, "failures": []})
    )
    assert backend.delete_object(Kind.EVIDENCE_PAGE, 7) == 3
    # The refresh first: pages written since the last one are found and deleted too.
    assert exchange.lines == [
        f"GET /_alias/{BUILDING}",
        f"POST /{ALIAS}/_refresh",
        f"POST /{ALIAS}/_delete_by_query",
    ]
    request = exchange.requests[2]
    assert request.params["conflicts"] == "proceed"
    assert request.body == {
        "query": {
            "bool": {"filter": [{"term": {"kind": "evidence_page"}}, {"term": {"object_id": "7"}}]}
        }
    }


def test_delete_a_note_by_its_key():
    backend, exchange = recorded_backend(
        (200, ""), NOT_BUILDING, (200, bulk_ok("passage:12", op="delete"))
    )
    assert backend.delete_object(Kind.PASSAGE, 12) == 1
    assert exchange.lines[2:] == ["PUT /_bulk"]
    assert exchange.requests[2].body == [{"delete": {"_index": ALIAS, "_id": "passage:12"}}]


@pytest.mark.parametrize(
    ("candidacy", "query"),
    [(None, {"match_all": {}}), (5, {"term": {"candidacy_id": "5"}})],
    ids=["all", "one-candidacy"],
)
def test_clear(candidacy, query):
    backend, exchange = recorded_backend(
        NOT_BUILDING, (200, REFRESHED), (200, {"took": 5, "deleted": 9, "failures": []})
    )
    backend.clear(candidacy)
    assert exchange.lines[1] == f"POST /{ALIAS}/_refresh"
    assert exchange.requests[2].body == {"query": query}


def test_deleting_from_an_index_never_created_creates_nothing():
    missing = (404, recorded("index_not_found"))
    backend, exchange = recorded_backend(NOT_BUILDING, missing, NOT_BUILDING, missing)
    backend.clear()
    assert backend.delete_object(Kind.EVIDENCE_PAGE, 7) == 0
    assert exchange.lines == [f"GET /_alias/{BUILDING}", f"POST /{ALIAS}/_refresh"] * 2


# -- rebuild: a new index, then one atomic alias swap -------------------------------------


def test_rebuild_loads_a_new_index_then_swaps_the_alias_and_drops_the_old_one():
    backend, exchange = recorded_backend(
        (200, {**ACK, "index": "new"}),  # create
        (200, ACK),  # no refresh while loading
        (200, bulk_ok("evidence_page:7:1", "evidence_page:7:2")),
        (200, ACK),  # refresh interval back
        (200, REFRESHED),  # refresh
        (200, recorded("get_alias")),
        (200, ACK),  # update_aliases
        (200, ACK),  # delete the old index
        synonyms=[("AEM", "attestation employeur mensuelle")],
    )
    written = backend.rebuild([entry("evidence_page:7:1", page=1), entry()])
    assert written == 2
    new = exchange.requests[0].path.lstrip("/")
    assert new.startswith(f"{ALIAS}-") and new != "vae-search-test-20260101000000000000"
    assert exchange.lines == [
        f"PUT /{new}",
        f"PUT /{new}/_settings",
        "PUT /_bulk",
        f"PUT /{new}/_settings",
        f"POST /{new}/_refresh",
        f"GET /_alias/{ALIAS}",
        "POST /_aliases",
        "DELETE /vae-search-test-20260101000000000000",
    ]
    create = exchange.requests[0].body
    # Not searchable before it is full, but written to by the live writes meanwhile.
    assert create["aliases"] == {BUILDING: {}}
    assert create["settings"]["analysis"]["filter"]["vae_synonyms"]["synonyms"] == [
        "AEM, attestation employeur mensuelle"
    ]
    assert exchange.requests[1].body == {"refresh_interval": "-1"}
    assert exchange.requests[2].body[0] == {"create": {"_index": new, "_id": "evidence_page:7:1"}}
    assert exchange.requests[3].body == {"refresh_interval": None}
    # One request: searches see the old index, then the new one, never none.
    assert exchange.requests[6].body == {
        "actions": [
            {"remove": {"index": "vae-search-test-20260101000000000000", "alias": ALIAS}},
            {"add": {"index": new, "alias": ALIAS}},
            {"remove": {"index": new, "alias": BUILDING}},
        ]
    }


def test_the_first_rebuild_only_adds_the_alias():
    backend, exchange = recorded_backend(
        (200, {**ACK, "index": "new"}),
        (200, ACK),
        (200, ACK),  # nothing to load: no bulk request
        (200, REFRESHED),
        (404, {"error": f"alias [{ALIAS}] missing", "status": 404}),
        (200, ACK),
    )
    assert backend.rebuild([]) == 0
    new = exchange.requests[0].path.lstrip("/")
    assert exchange.lines[-2:] == [f"GET /_alias/{ALIAS}", "POST /_aliases"]
    assert exchange.requests[-1].body == {
        "actions": [
            {"add": {"index": new, "alias": ALIAS}},
            {"remove": {"index": new, "alias": BUILDING}},
        ]
    }
    assert not any(request.method == "DELETE" for request in exchange.requests)


def test_a_failed_load_drops_the_new_index_and_leaves_the_alias_alone():
    backend, exchange = recorded_backend(
        (200, {**ACK, "index": "new"}),
        (200, ACK),
        (200, recorded("bulk_one_refused")),
        (200, ACK),  # delete the new index
    )
    with pytest.raises(SearchIndexError):
        backend.rebuild([entry("evidence_page:7:1"), entry(), entry("narrative:41")])
    new = exchange.requests[0].path.lstrip("/")
    assert exchange.lines[-1] == f"DELETE /{new}"
    assert not any(request.path == "/_aliases" for request in exchange.requests)


# -- writes while a rebuild loads: they reach the new index too ---------------------------


def test_a_write_during_a_rebuild_goes_to_the_live_alias_and_the_loading_index():
    backend, exchange = recorded_backend(
        (200, ""), BUILDING_NOW, (200, bulk_ok("narrative:41")), (200, bulk_ok("narrative:41"))
    )
    assert backend.index([entry("narrative:41", kind=Kind.NARRATIVE, page=None)]) == 1
    live, loading = exchange.requests[2].body, exchange.requests[3].body
    assert live[0] == {"index": {"_index": ALIAS, "_id": "narrative:41"}}
    # By its name: after the swap the building alias is gone, and a write to it would
    # create a stray index.
    assert loading[0] == {"index": {"_index": LOADING, "_id": "narrative:41"}}
    assert live[1] == loading[1]


def test_a_withdrawal_during_a_rebuild_is_not_brought_back_by_the_swap():
    by_key = recorded_backend(
        (200, ""),
        BUILDING_NOW,
        (200, bulk_ok("passage:12", op="delete")),
        (200, bulk_ok("passage:12", op="delete")),
    )
    backend, exchange = by_key
    assert backend.delete_object(Kind.PASSAGE, 12) == 1
    assert [r.body for r in exchange.requests[2:]] == [
        [{"delete": {"_index": ALIAS, "_id": "passage:12"}}],
        [{"delete": {"_index": LOADING, "_id": "passage:12"}}],
    ]
    backend, exchange = recorded_backend(
        BUILDING_NOW, (200, REFRESHED), (200, {"took": 5, "deleted": 4, "failures": []})
    )
    assert backend.delete_object(Kind.EVIDENCE_PAGE, 7) == 4
    assert exchange.lines[1:] == [
        f"POST /{ALIAS},{LOADING}/_refresh",
        f"POST /{ALIAS},{LOADING}/_delete_by_query",
    ]


def test_the_rebuild_keeps_what_a_live_write_put_in_the_new_index_first():
    conflict = {
        "took": 3,
        "errors": True,
        "items": [
            {"create": {"_index": "n", "_id": "narrative:41", "status": 201}},
            {
                "create": {
                    "_index": "n",
                    "_id": "evidence_page:7:2",
                    "status": 409,
                    "error": {
                        "type": "version_conflict_engine_exception",
                        "reason": "[evidence_page:7:2]: version conflict, document already exists",
                    },
                }
            },
        ],
    }
    backend, exchange = recorded_backend(
        (200, {**ACK, "index": "new"}),
        (200, ACK),
        (200, conflict),
        (200, ACK),
        (200, REFRESHED),
        (200, recorded("get_alias")),
        (200, ACK),
        (200, ACK),
    )
    # The stream's older copy is refused, which is not an error: the newer one stays.
    assert backend.rebuild([entry("narrative:41"), entry("evidence_page:7:2")]) == 1
    assert exchange.lines[-2] == "POST /_aliases"


@pytest.mark.django_db
def test_a_new_index_gets_the_staffs_synonym_list():
    Synonym.objects.create(term="PAD", equivalents="prêt à diffuser\nPAD HD\ncopie finale")
    client, exchange = recording_client(
        (404, ""), (200, {**ACK, "index": "x"}), NOT_BUILDING, (200, bulk_ok("a"))
    )
    ElasticsearchBackend(client, alias=ALIAS).index([entry("a")])
    rules = exchange.requests[1].body["settings"]["analysis"]["filter"]["vae_synonyms"]["synonyms"]
    assert "PAD, PAD HD, copie finale" in rules  # « prêt à diffuser » has a stop word
    assert "AEM, attestation employeur mensuelle" in rules  # the seeded list
