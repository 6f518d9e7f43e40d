"""The public search interface with the Elasticsearch backend configured: the backend is
chosen by the settings, and each role's scope (``search.scope.scope_for``) reaches the
server as a filter naming only the dossiers that user may read (recorded responses)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string

from search import api, indexing
from search.backends.elasticsearch import ElasticsearchBackend
from search.base import Filters
from tests.factories import CandidacyFactory, UserFactory, make_panel
from tests.search.es_support import recorded, recorded_backend
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.usefixtures("referentiel")


@pytest.fixture
def server(monkeypatch):
    """The configured backend replaced by one answering with the recorded hits."""
    backend, exchange = recorded_backend((200, recorded("search_hits")))
    monkeypatch.setattr(api, "backend", lambda: backend)
    return exchange


def candidacy_conditions(body) -> list[list[str]]:
    """Each grant's candidacy ids as the server receives them (None: every candidacy)."""
    found = []
    for grant in body["query"]["bool"]["filter"][0]["bool"]["should"]:
        ids = [
            c["terms"]["candidacy_id"]
            for c in grant["bool"]["filter"]
            if "candidacy_id" in c.get("terms", {})
        ]
        found.append(ids[0] if ids else None)
    return found


def test_the_settings_choose_and_configure_it(settings):
    settings.VAE_SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "https://vae:secret@es.example:9243"
    settings.VAE_SEARCH_INDEX = "vae-search-preprod"
    assert import_string(indexing.BACKENDS[settings.VAE_SEARCH_BACKEND]) is ElasticsearchBackend
    backend = ElasticsearchBackend()  # no request at construction
    assert backend.name == "elasticsearch"
    assert backend.alias == "vae-search-preprod"
    (node,) = backend.client.transport.node_pool.all()
    assert (node.host, node.port, node.scheme) == ("es.example", 9243, "https")
    assert node.headers["authorization"].startswith("Basic ")


def test_a_candidate_searches_their_own_dossier_only(server):
    mine, _other = CandidacyFactory(), CandidacyFactory()
    results = api.search("plan trésorerie", user=mine.candidate)
    assert results.total == 2
    (request,) = server.requests
    assert candidacy_conditions(request.body) == [[str(mine.pk)]]
    (grant,) = request.body["query"]["bool"]["filter"][0]["bool"]["should"]
    assert grant["bool"]["filter"][0] == {"terms": {"kind": ["evidence_page", "narrative"]}}


def test_an_evaluator_of_another_dossier_never_asks_for_this_one(server):
    theirs = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    this_one = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    evaluator = make_panel(theirs)[0].evaluator
    api.search("trésorerie", user=evaluator, filters=Filters(candidacy=this_one.pk))
    (request,) = server.requests
    conditions = candidacy_conditions(request.body)
    assert [str(theirs.pk)] in conditions
    assert all(ids is not None and str(this_one.pk) not in ids for ids in conditions)


def test_an_evaluator_who_has_not_declared_gets_nothing_and_no_request(server):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    evaluator = make_panel(candidacy, declared=False)[0].evaluator
    results = api.search("trésorerie", user=evaluator)
    assert (results.total, results.hits) == (0, [])
    assert all(values == [] for values in results.facets.values())
    assert server.requests == []


def test_anonymous_gets_nothing_and_no_request(server):
    results = api.search("trésorerie", user=AnonymousUser())
    assert results.total == 0
    assert server.requests == []


def test_a_certifier_searches_every_dossier(server):
    CandidacyFactory()
    api.search("trésorerie", user=UserFactory(role=Role.CERTIFIER))
    (request,) = server.requests
    assert candidacy_conditions(request.body) == [None]
