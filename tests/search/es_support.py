"""Helpers of the Elasticsearch backend's tests (not a test module).

``recording_client()`` gives a real ``Elasticsearch`` client whose transport ends in
``RecordedNode`` instead of HTTP: elastic_transport's own extension point (``node_class``),
so the client's serialisation, its product check and its error mapping all run, and each
request is recorded (method, path, query string, JSON body) while the next recorded
response is played back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend
from search.base import Entry, Kind

RECORDED = Path(__file__).parent / "recorded"
ALIAS = "vae-search-test"


def recorded(name: str) -> dict[str, Any]:
    """A response body of tests/search/recorded/, in the server's own format."""
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: dict[str, str]
    body: Any  # the JSON body; a list of JSON lines for _bulk

    @property
    def line(self) -> str:
        return f"{self.method} {self.path}"


class Exchange:
    """The script of one test: the responses to play, the requests received."""

    def __init__(self, responses: list[tuple[int, Any]]):
        self.responses = list(responses)
        self.requests: list[Request] = []

    def answer(self, method: str, target: str, body: bytes | None) -> tuple[int, Any]:
        url = urlsplit(target)
        ndjson = url.path.endswith("/_bulk")
        self.requests.append(
            Request(method, url.path, dict(parse_qsl(url.query)), decode(body, ndjson=ndjson))
        )
        assert self.responses, f"unexpected request {method} {target}"
        return self.responses.pop(0)

    @property
    def lines(self) -> list[str]:
        return [request.line for request in self.requests]


def decode(body: bytes | None, *, ndjson: bool) -> Any:
    if not body:
        return None
    text = body.decode("utf-8")
    if ndjson:  # one JSON document per line
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


class Answer(NamedTuple):
    """What a node returns to the transport (its ``meta`` and raw ``body``)."""

    meta: ApiResponseMeta
    body: bytes


class RecordedNode(BaseNode):
    exchange: Exchange  # set on a subclass per client

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        status, payload = self.exchange.answer(method, target, body)
        headers = HttpHeaders(
            {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
        )
        meta = ApiResponseMeta(
            status=status, http_version="1.1", headers=headers, duration=0.0, node=self.config
        )
        raw = b"" if payload is None else json.dumps(payload).encode("utf-8")
        return Answer(meta, raw)


def recording_client(*responses: tuple[int, Any]) -> tuple[Elasticsearch, Exchange]:
    exchange = Exchange(list(responses))
    node_class = type("ScriptedNode", (RecordedNode,), {"exchange": exchange})
    # No retries: a recorded 5xx must surface as it is, not be replayed.
    client = Elasticsearch(
        "http://es.test:9200", node_class=node_class, max_retries=0, retry_on_status=()
    )
    return client, exchange


def recorded_backend(
    *responses: tuple[int, Any], synonyms=()
) -> tuple[ElasticsearchBackend, Exchange]:
    client, exchange = recording_client(*responses)
    backend = ElasticsearchBackend(client, alias=ALIAS, synonyms=lambda: list(synonyms))
    return backend, exchange


def entry(
    key: str = "evidence_page:7:2",
    *,
    kind: str = Kind.EVIDENCE_PAGE,
    object_id: int = 7,
    page: int | None = 2,
    candidacy_id: int = 3,
    author_id: int | None = None,
    title: str = "Plan de trésorerie — tournage 2024",
    text: str = "Le plan de trésorerie prévoit le crédit d'impôt cinéma.",
    blocs: tuple[str, ...] = ("B2",),
    competences: tuple[str, ...] = ("C2.1",),
    evidence_type: str = "plan_tresorerie",
    candidacy_state: str = "evaluation",
) -> Entry:
    return Entry(
        key=key,
        kind=kind,
        object_id=object_id,
        page=page,
        candidacy_id=candidacy_id,
        author_id=author_id,
        title=title,
        text=text,
        blocs=blocs,
        competences=competences,
        evidence_type=evidence_type,
        candidacy_state=candidacy_state,
        updated_at=datetime(2026, 3, 4, 10, 30, tzinfo=UTC),
    )


def drop_indices(client: Elasticsearch, alias: str) -> None:
    """Deletes the indices of one test alias by name: servers refuse wildcard deletions
    (action.destructive_requires_name is true by default since Elasticsearch 8)."""
    for name in client.indices.get(index=f"{alias}-*", allow_no_indices=True).body:
        client.indices.delete(index=name)
