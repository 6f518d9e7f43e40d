"""The Elasticsearch backend of search (ARCHITECTURE.md §6, issue 15 part 4).

For when the platform outgrows one machine. It speaks ``elasticsearch.dsl`` (the maintained
home of elasticsearch-dsl's API, in the ``elasticsearch`` client 8.x, which talks to
Elasticsearch 8 and 9 servers) and keeps the contract of ``search.base``:

- one ``Document`` per ``Entry``, its text analysed in French (elision, lowercase,
  asciifolding, French stop words, ``light_french`` stemmer); the staff's synonym list is a
  ``synonym_graph`` filter of the *search* analyzer only, so that editing the list never
  requires re-indexing the texts. The parsed query already carries every synonym in its
  OR-groups, which is what makes the results right; the filter (the synonyms it can apply
  safely, see ``synonym_rules``) serves queries written by hand against the index;
- the permission scope is a ``filter`` of the query itself, never applied afterwards;
- facets are ``terms`` aggregations under the query, the scope and every selected value,
  its own included: the database backends count them so (``tests/search/test_search.py``
  asserts it for every engine), and the pages must not depend on the engine. Counting a
  facet without its own value (a ``post_filter`` and one ``filter`` aggregation per
  facet) would let a page offer the other values of a selected facet; it is a change to
  make in both engines at once, not in one;
- writes go through an alias; ``rebuild()`` loads a new timestamped index and swaps the
  alias atomically, then drops the old index: searches never see an empty or half index.
  While it loads, the new index also answers to a second alias (``<alias>-building``) and
  every write goes to both: a page written or a piece withdrawn during the load is in the
  new index too, instead of being lost (or, for a withdrawal, left searchable) at the swap.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Q,
    Text,
    analyzer,
    token_filter,
)

from search.analysis import APOSTROPHES, ELISIONS, STOP_WORDS, fold
from search.base import (
    FACETS,
    Backend,
    Entry,
    FacetValue,
    Filters,
    Hit,
    Kind,
    ParsedQuery,
    Results,
    Scope,
    entry_key,
)
from search.models import Synonym
from search.snippets import ELLIPSIS, SNIPPET_CHARS

logger = logging.getLogger(__name__)

DEFAULT_ALIAS = "vae-search"
# Buckets per facet: every kind and state fits; the candidacies and compétences a page can
# usefully offer as links, most frequent first.
FACET_SIZE = 50
BULK_CHUNK = 500
FIRST_INDEX_SUFFIX = "00000000000000000000"  # sorts before every timestamped index
BUILDING_SUFFIX = "building"  # the alias of the index a rebuild is loading
# Elasticsearch refuses from + size beyond index.max_result_window (10,000 by default).
MAX_WINDOW = 10_000

# The same elisions and stop words as the database backends (search.analysis), so that both
# engines drop the same words; the stop list is folded, hence it runs after asciifolding.
french_elision = token_filter(
    "french_elision", "elision", articles_case=True, articles=sorted(ELISIONS)
)
french_stop = token_filter("french_stop", "stop", stopwords=sorted(STOP_WORDS))
french_stemmer = token_filter("french_stemmer", "stemmer", language="light_french")
SYNONYM_FILTER = "vae_synonyms"


def french_analyzer(name: str, synonym_rules: list[str] | None = None):
    """Elision first (articles_case: « L'URSSAF » too), then lowercase and accents folded;
    the stop list holds folded, unstemmed words: after folding, before the stemmer.

    Synonyms (the search analyzer only) come after folding, so that the rules match
    whatever accents were typed, and before the stemmer, so that they match words as
    written and their output is stemmed like the text (their rules hold no stop word:
    ``synonym_rules``). No rules, no filter: some versions refuse an empty synonym list."""
    steps: list[Any] = [french_elision, "lowercase", "asciifolding"]
    if synonym_rules:
        steps.append(
            token_filter(SYNONYM_FILTER, "synonym_graph", synonyms=synonym_rules, lenient=True)
        )
    steps += [french_stop, french_stemmer]
    return analyzer(name, tokenizer="standard", filter=steps)


french = french_analyzer("french")
# The search analyzer as the mapping names it; each new index gets the synonyms of the
# day (``index_body``).
french_search = french_analyzer("french_search")


def french_text(**kwargs: Any) -> Text:
    return Text(analyzer=french, search_analyzer=french_search, **kwargs)


class SearchEntry(Document):
    """One ``search.base.Entry`` in the index; the key is also the document's ``_id``."""

    key = Keyword()
    kind = Keyword()
    object_id = Keyword()
    page = Integer()
    candidacy_id = Keyword()
    author_id = Keyword()
    title = french_text(fields={"raw": Keyword(ignore_above=512)})
    # Offsets in the postings let the unified highlighter cut snippets from long pages
    # without re-analysing them; the original text stays in _source for the snippet.
    text = french_text(index_options="offsets")
    blocs = Keyword()
    competences = Keyword()
    evidence_type = Keyword()
    candidacy_state = Keyword()
    updated_at = Date(default_timezone="UTC")

    class Index:
        name = DEFAULT_ALIAS
        # One shard: a few hundred thousand pages fit, and scores stay comparable.
        settings = {"number_of_shards": 1}


# Each facet's field in the index (``search.base.FACETS`` order).
FACET_FIELDS = {
    "candidacy": "candidacy_id",
    "bloc": "blocs",
    "competence": "competences",
    "kind": "kind",
    "evidence_type": "evidence_type",
    "state": "candidacy_state",
}


WORD = re.compile(r"[^\W_]+")


def leaves_a_hole(term: str) -> bool:
    """Whether the stop filter would cut a word out of ``term`` (an elided article does
    not count: the elision filter strips it from its word, no position is lost)."""
    for word in WORD.finditer(term):
        elided = word.end() < len(term) and term[word.end()] in APOSTROPHES
        if not elided and fold(word.group()) in STOP_WORDS:
            return True
    return False


def synonym_rules(groups: Iterable[Iterable[str]]) -> list[str]:
    """Solr-style equivalence lines ("AEM, attestation employeur mensuelle") from the
    staff's groups of equivalent terms, commas out (they would split a term).

    A term with a stop word inside is left out: the stop filter after the synonyms would
    cut a hole in the synonym's path, and Elasticsearch then misses documents it should
    find (elastic/elasticsearch#28838; its synonym docs: rules must not hold words a later
    filter removes). Those synonyms still work: the parsed query carries every one of
    them in its OR-groups (``search.query``), matched as phrases with the same holes as
    the indexed text."""
    rules = []
    for group in groups:
        terms = [" ".join(term.replace(",", " ").split()) for term in group]
        terms = [term for term in terms if term and not leaves_a_hole(term)]
        if len(terms) > 1:
            rules.append(", ".join(terms))
    return rules


def index_body(rules: list[str]) -> dict[str, Any]:
    """Settings and mappings of a new index (the alias is added separately)."""
    index = SearchEntry._index.clone()
    index.analyzer(french_analyzer("french_search", rules))
    return index.to_dict()


def source_of(entry: Entry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "kind": entry.kind,
        "object_id": str(entry.object_id),
        "page": entry.page,
        "candidacy_id": str(entry.candidacy_id),
        "author_id": None if entry.author_id is None else str(entry.author_id),
        "title": entry.title,
        "text": entry.text,
        "blocs": list(entry.blocs),
        "competences": list(entry.competences),
        "evidence_type": entry.evidence_type,
        "candidacy_state": entry.candidacy_state,
        "updated_at": entry.updated_at.isoformat(),
    }


# --- Queries ----------------------------------------------------------------------------


# Title and text, the title weighing twice as in the database backends' ranking.
SEARCHED_FIELDS = ["title^2", "text"]


def clause_query(clause) -> Q:
    """A word group must be found whole in one field (every word, any order, stemmed);
    a phrase in order."""
    if clause.phrase:
        return Q("multi_match", query=clause.text, fields=SEARCHED_FIELDS, type="phrase")
    return Q("multi_match", query=clause.text, fields=SEARCHED_FIELDS, operator="and")


def text_query(query: ParsedQuery) -> Q:
    """AND of the OR-groups (synonyms included by the parser), minus the exclusions."""
    must = [
        Q("bool", should=[clause_query(c) for c in group], minimum_should_match=1)
        for group in query.groups
    ]
    must_not = [clause_query(c) for c in query.excluded]
    return Q("bool", must=must, must_not=must_not)


def candidacy_ids(candidacies) -> list[str]:
    """The grant's queryset evaluated once: Elasticsearch cannot join the database."""
    return [str(pk) for pk in candidacies.values_list("pk", flat=True).order_by("pk")]


def scope_query(scope: Scope) -> Q | None:
    """One ``should`` per grant (kinds AND candidacies AND author); None: nothing readable."""
    grants = []
    for grant in scope.grants:
        if not grant.kinds:
            continue
        conditions = [Q("terms", kind=sorted(grant.kinds))]
        if grant.candidacies is not None:
            ids = candidacy_ids(grant.candidacies)
            if not ids:
                continue
            conditions.append(Q("terms", candidacy_id=ids))
        if grant.author_id is not None:
            conditions.append(Q("term", author_id=str(grant.author_id)))
        grants.append(Q("bool", filter=conditions))
    if not grants:
        return None
    return Q("bool", should=grants, minimum_should_match=1)


def selected(filters: Filters) -> list[Q]:
    """The selected value of each facet, as a term filter on its field."""
    out = []
    for facet in FACETS:
        value = getattr(filters, facet)
        if value is not None and value != "":
            out.append(Q("term", **{FACET_FIELDS[facet]: str(value)}))
    return out


def search_body(
    query: ParsedQuery, scope_filter: Q, filters: Filters, *, page: int, per_page: int
) -> dict[str, Any]:
    """The whole request. The scope and the selected values are filters of the query
    itself, so the hits, the total and every facet count stay inside them: a facet counts
    under its own selected value too, as in the database backends (the pages never know
    which engine answered; see the module's docstring)."""
    aggs = {
        facet: {"terms": {"field": FACET_FIELDS[facet], "size": FACET_SIZE}} for facet in FACETS
    }
    body: dict[str, Any] = {
        "query": Q(
            "bool", must=[text_query(query)], filter=[scope_filter, *selected(filters)]
        ).to_dict(),
        "aggs": aggs,
        # Past the window: no hits, still the total and the facets.
        "from": min((page - 1) * per_page, MAX_WINDOW),
        "size": max(0, min(per_page, MAX_WINDOW - (page - 1) * per_page)),
        "track_total_hits": True,
        # Equal scores in a stable order, so that a hit never shows on two pages.
        "sort": [{"_score": "desc"}, {"key": "asc"}],
        # The text is read from the highlight; the hit itself needs only the small fields.
        "_source": ["key", "kind", "object_id", "page", "candidacy_id", "title"],
        "highlight": {
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {
                "text": {
                    "type": "unified",
                    # The database backends' snippet length (search.snippets).
                    "fragment_size": SNIPPET_CHARS,
                    "number_of_fragments": 1,
                    # A hit found by its title alone still shows the start of its text.
                    "no_match_size": SNIPPET_CHARS,
                }
            },
        },
    }
    return body


# --- Responses --------------------------------------------------------------------------


def parse_hit(raw: dict[str, Any]) -> Hit:
    source = raw["_source"]
    fragments = raw.get("highlight", {}).get("text", [])
    page = source.get("page")
    return Hit(
        key=source["key"],
        kind=source["kind"],
        object_id=int(source["object_id"]),
        page=None if page is None else int(page),
        candidacy_id=int(source["candidacy_id"]),
        title=source["title"],
        # Escaped by the server (encoder: html) with only <mark> added; without a fragment
        # (empty text) the snippet is empty, never unescaped text.
        snippet=f" {ELLIPSIS} ".join(fragments),
        score=float(raw.get("_score") or 0.0),
    )


def parse_facets(aggregations: dict[str, Any]) -> dict[str, list[FacetValue]]:
    facets = {}
    for facet in FACETS:
        buckets = aggregations.get(facet, {}).get("buckets", [])
        facets[facet] = [
            FacetValue(value=str(b["key"]), count=int(b["doc_count"]))
            for b in buckets
            if str(b["key"]) != ""  # no evidence type: not a value to offer
        ]
    return facets


def parse_total(total: Any) -> int:
    """``{"value": n, "relation": "eq"}`` since Elasticsearch 7; a bare number before."""
    if isinstance(total, dict):
        return int(total["value"])
    return int(total)


def parse_response(
    response: dict[str, Any], query: ParsedQuery, *, page: int, per_page: int
) -> Results:
    hits = response["hits"]
    return Results(
        query=query,
        hits=[parse_hit(raw) for raw in hits["hits"]],
        total=parse_total(hits["total"]),
        facets=parse_facets(response.get("aggregations", {})),
        page=page,
        per_page=per_page,
        took_ms=float(response.get("took", 0)),
    )


def empty_results(query: ParsedQuery, *, page: int, per_page: int) -> Results:
    return Results(
        query=query,
        hits=[],
        total=0,
        facets={facet: [] for facet in FACETS},
        page=page,
        per_page=per_page,
        took_ms=0.0,
    )


# --- The backend ------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkFailure:
    key: str
    status: int
    reason: str


class SearchIndexError(Exception):
    """Some entries were refused by Elasticsearch; the others were written."""

    def __init__(self, failures: list[BulkFailure]):
        self.failures = failures
        first = failures[0]
        super().__init__(
            f"{len(failures)} entrée(s) refusée(s) par Elasticsearch, "
            f"dont {first.key} ({first.status}) : {first.reason}"
        )


def failure_of(item: dict[str, Any]) -> BulkFailure:
    (result,) = item.values()  # {"index": {...}} or {"delete": {...}}
    error = result.get("error", {})
    reason = error.get("reason", "") if isinstance(error, dict) else str(error)
    kind = error.get("type", "") if isinstance(error, dict) else ""
    return BulkFailure(
        key=str(result.get("_id", "")),
        status=int(result.get("status", 0)),
        reason=f"{kind}: {reason}" if kind else reason,
    )


def deletions(keys: list[str], index: str) -> Iterator[dict[str, Any]]:
    return ({"_op_type": "delete", "_index": index, "_id": key} for key in keys)


def new_index_name(alias: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias}-{stamp}"


def synonym_groups() -> list[tuple[str, ...]]:
    """The staff's list (``search.models.Synonym``): each term with its equivalents."""
    return [(s.term, *s.equivalent_list) for s in Synonym.objects.order_by("pk")]


class ElasticsearchBackend(Backend):
    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch | None = None,
        *,
        alias: str | None = None,
        synonyms: Callable[[], Iterable[Iterable[str]]] = synonym_groups,
        refresh: bool | str | None = None,
    ):
        # ``refresh="wait_for"`` makes each write visible to the next search (the tests:
        # ELASTICSEARCH_REFRESH); production leaves the server's refresh interval alone.
        self.client = client or Elasticsearch(
            settings.ELASTICSEARCH_URL, request_timeout=settings.ELASTICSEARCH_TIMEOUT
        )
        self.alias = alias or settings.VAE_SEARCH_INDEX
        self.building_alias = f"{self.alias}-{BUILDING_SUFFIX}"
        self.synonyms = synonyms
        self.refresh = settings.ELASTICSEARCH_REFRESH if refresh is None else refresh
        self._alias_ready = False

    # -- index life ----------------------------------------------------------------------

    def create_index(self, name: str, *, alias: str) -> None:
        body = index_body(synonym_rules(self.synonyms()))
        body["aliases"] = {alias: {}}
        self.client.indices.create(index=name, **body)

    def ensure_alias(self) -> None:
        """The first write ever creates the first index behind the alias. Its name is
        fixed, not timestamped: two workers writing at once create it once (the second
        is told it exists), never two indices behind one alias."""
        if self._alias_ready:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            try:
                self.create_index(f"{self.alias}-{FIRST_INDEX_SUFFIX}", alias=self.alias)
            except BadRequestError as error:
                if error.error != "resource_already_exists_exception":
                    raise
        self._alias_ready = True

    def aliased_indices(self, alias: str | None = None) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias or self.alias).body)
        except NotFoundError:
            return []

    def write_targets(self) -> list[str]:
        """The live alias, and the index a rebuild is loading if one is. Named, not through
        its alias: a write arriving just after the swap must not create an index called
        like the alias that has just gone."""
        self.ensure_alias()
        return [self.alias, *self.aliased_indices(self.building_alias)]

    def rebuild(self, entries: Iterable[Entry]) -> int:
        """New index, bulk-loaded without refreshes, then one atomic alias swap; the old
        index goes only after the swap. A failed load drops the new index and leaves the
        alias where it was."""
        name = new_index_name(self.alias)
        # Not searchable before it is full; written to from now on (``write_targets``).
        self.create_index(name, alias=self.building_alias)
        try:
            self.client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
            # ``create``: an entry a live write has already put in the new index is newer
            # than the one this stream read, and stays (the conflict is not an error).
            written = self.bulk(self.index_actions(entries, name, op="create"), exists_ok=True)
            self.client.indices.put_settings(index=name, settings={"refresh_interval": None})
            self.client.indices.refresh(index=name)
        except Exception:
            self.client.indices.delete(index=name)
            raise
        old = self.aliased_indices()
        actions: list[dict[str, Any]] = [
            {"remove": {"index": index, "alias": self.alias}} for index in old
        ]
        actions.append({"add": {"index": name, "alias": self.alias}})
        actions.append({"remove": {"index": name, "alias": self.building_alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index)
        self._alias_ready = True
        return written

    # -- writes --------------------------------------------------------------------------

    def index_actions(
        self, entries: Iterable[Entry], index: str, *, op: str = "index"
    ) -> Iterator[dict[str, Any]]:
        for entry in entries:
            yield {
                "_op_type": op,
                "_index": index,
                "_id": entry.key,
                "_source": source_of(entry),
            }

    def bulk(
        self,
        actions: Iterable[dict[str, Any]],
        *,
        missing_ok: bool = False,
        exists_ok: bool = False,
    ) -> int:
        """Streams the actions in chunks; counts the written ones and raises once at the end
        with every refused item, so that one bad entry never stops the others."""
        written = 0
        failures = []
        for ok, item in helpers.streaming_bulk(
            self.client,
            actions,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            raise_on_exception=True,
            refresh=self.refresh,
        ):
            if ok:
                written += 1
                continue
            failure = failure_of(item)
            if missing_ok and failure.status == 404:
                continue  # already gone: deleting it again is not an error
            if exists_ok and failure.status == 409:
                continue  # already written by a newer write (see ``rebuild``)
            failures.append(failure)
        if failures:
            for failure in failures:
                logger.error(
                    "Search entry %s refused (%s): %s", failure.key, failure.status, failure.reason
                )
            raise SearchIndexError(failures)
        return written

    def index(self, entries: Iterable[Entry]) -> int:
        """Counts each entry once, however many indices it went to."""
        entries = list(entries)
        live, *building = self.write_targets()
        written = self.bulk(self.index_actions(entries, live))
        for index in building:
            self.bulk(self.index_actions(entries, index))
        return written

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        live, *building = self.write_targets()
        deleted = self.bulk(deletions(keys, live), missing_ok=True)
        for index in building:
            self.bulk(deletions(keys, index), missing_ok=True)
        return deleted

    def delete_where(self, query: Q) -> int:
        """Delete by query searches: the last writes, not yet refreshed, would escape it
        (a page written a second ago would stay after its evidence is withdrawn)."""
        targets = ",".join([self.alias, *self.aliased_indices(self.building_alias)])
        try:
            self.client.indices.refresh(index=targets)
            response = self.client.delete_by_query(
                index=targets,
                query=query.to_dict(),
                conflicts="proceed",
                refresh=bool(self.refresh),
            )
        except NotFoundError:  # never indexed: nothing to delete, and no index to create
            return 0
        return int(response["deleted"])

    def delete_object(self, kind: str, object_id: int) -> int:
        if kind != Kind.EVIDENCE_PAGE:
            # One entry per object, under its key: deleted by id, at once, no search.
            return self.delete([entry_key(kind, object_id)])
        return self.delete_where(
            Q("bool", filter=[Q("term", kind=kind), Q("term", object_id=str(object_id))])
        )

    def clear(self, candidacy_id: int | None = None) -> None:
        if candidacy_id is None:
            self.delete_where(Q("match_all"))
        else:
            self.delete_where(Q("term", candidacy_id=str(candidacy_id)))

    # -- reads ---------------------------------------------------------------------------

    def search(
        self,
        query: ParsedQuery,
        *,
        scope: Scope,
        filters: Filters,
        page: int = 1,
        per_page: int = 20,
    ) -> Results:
        page = max(page, 1)
        scope_filter = scope_query(scope)
        # Nothing readable or nothing asked: no request at all.
        if scope_filter is None or query.is_empty:
            return empty_results(query, page=page, per_page=per_page)
        body = search_body(query, scope_filter, filters, page=page, per_page=per_page)
        try:
            response = self.client.search(index=self.alias, **body)
        except NotFoundError:  # never indexed yet
            return empty_results(query, page=page, per_page=per_page)
        return parse_response(response.body, query, page=page, per_page=per_page)

    def counts(self) -> dict[str, int]:
        try:
            response = self.client.search(
                index=self.alias,
                size=0,
                track_total_hits=True,
                aggs={"kinds": {"terms": {"field": "kind", "size": len(Kind.values)}}},
            )
        except NotFoundError:
            return {}
        buckets = response.body["aggregations"]["kinds"]["buckets"]
        return {b["key"]: int(b["doc_count"]) for b in buckets}
