"""The embedded backend: the project's own database, no server to run.

The entries' metadata and original text are rows of ``IndexedEntry`` (blocs and
compétences in ``IndexedTag``); the words are in the vendor's full-text structure
(``search.backends.sqlite``: an FTS5 table fed with our analyser's stems, ``bm25``;
``search.backends.postgresql``: a generated ``tsvector`` column, ``ts_rank_cd``).

A search reads the matching set — full-text match AND the user's scope AND the filters,
all in SQL, parameters bound — for the facet counts (one GROUP BY of the row facets and
tags, each entry's tags in its row, then each facet summed from those groups) and the
ids of the displayed page, ranked: in two queries where matching again is cheap (SQLite:
counts without ranking, then ORDER BY … LIMIT), in one with the set materialised where
it is not (PostgreSQL). A scope that reaches a few candidacies (``NARROW_SCOPE``) is
first read as their ids, grant by grant, which the vendor's match starts from, so that
an evaluator's search no longer costs a match over the whole corpus; each grant's list
then stands for its SQL in the queries that follow (read once rather than once a query),
the scope's SQL still decides. On SQLite, a scope that reaches more is ranked on another
connection, in a thread, while the request's connection counts (``vae.aside``).
Snippets are then cut in Python from the displayed hits' original text
(``search.snippets``), the same for every backend.
"""

import time
from collections import Counter
from collections.abc import Iterable
from itertools import islice

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connections, transaction
from django.db.models import Count

from search.backends import columns
from search.backends.columns import GROUPED, ROW_FACET_COLUMNS, TAG_LINES, TAGS, tag_line
from search.backends.fulltext import ENTRY, FullText
from search.backends.postgresql import PostgreSQLFullText
from search.backends.sqlite import SQLiteFullText
from search.base import (
    FACETS,
    Backend,
    Entry,
    FacetValue,
    Filters,
    Hit,
    ParsedQuery,
    Results,
    Scope,
)
from search.models import IndexedEntry, IndexedTag
from search.snippets import snippet
from vae.aside import may_read_aside, read_aside

TAG = IndexedTag._meta.db_table
BATCH = 500
# A scope reaching at most this many candidacies is matched within them (the vendor's
# ``candidacy_ids``): an evaluator's dossiers, a jury session's, a candidate's own. Beyond,
# narrowing costs more than it saves (an OR of many tokens in FTS5).
NARROW_SCOPE = 20
# The facets of an entry's tags: its blocs and compétences.
TAG_FACETS = ("bloc", "competence")


def _batches(iterable: Iterable, size: int = BATCH):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _candidacies_sql(grant) -> tuple[str, list]:
    sql, params = grant.candidacies.query.sql_with_params()
    return sql, list(params)


def scope_sql(scope: Scope, compiled: dict | None = None) -> tuple[str, list]:
    """The grants as one SQL condition on the entry ``e``; the candidacy querysets are
    compiled as subqueries, their parameters bound (``compiled``: those already compiled,
    by grant index)."""
    if not scope.grants:
        return "1 = 0", []
    if scope.reads_everything:
        # Staff: no condition at all rather than one every row meets (the planner still
        # evaluates it per matched row).
        return "1 = 1", []
    parts, params = [], []
    for index, grant in enumerate(scope.grants):
        kinds = sorted(grant.kinds)
        if not kinds:
            continue
        conditions = [f"e.kind IN ({_in(kinds)})"]
        params.extend(kinds)
        if grant.candidacies is not None:
            sql, sub_params = (compiled or {}).get(index) or _candidacies_sql(grant)
            conditions.append(f"e.candidacy_id IN ({sql})")
            params.extend(sub_params)
        if grant.author_id is not None:
            conditions.append("e.author_id = %s")
            params.append(grant.author_id)
        parts.append("(" + " AND ".join(conditions) + ")")
    if not parts:
        return "1 = 0", []
    return "(" + " OR ".join(parts) + ")", params


def reachable_sql(scope: Scope, compiled: dict) -> tuple[str, list] | None:
    """``SELECT`` (grant index, candidacy id) of the candidacies each grant of ``scope``
    reaches, at most ``NARROW_SCOPE + 1`` of them a grant; None when a grant reaches every
    candidacy. Fills ``compiled`` (grant index → its subquery) for ``scope_sql``."""
    parts, params = [], []
    for index, grant in enumerate(scope.grants):
        if not grant.kinds:
            continue
        if grant.candidacies is None:
            return None
        compiled[index] = sql, sub_params = _candidacies_sql(grant)
        parts.append(
            f"SELECT * FROM (SELECT {index} AS g, pk FROM ({sql}) AS g{index}"
            f" LIMIT {NARROW_SCOPE + 1}) AS l{index}"
        )
        params.extend(sub_params)
    if not parts:
        return None
    return " UNION ALL ".join(parts), params


def _listed(ids) -> tuple[str, list]:
    """A list of ids as ``scope_sql``'s subquery: ``IN (NULL)`` is true of no row."""
    ids = sorted(ids)
    return (_in(ids), ids) if ids else ("NULL", [])


def chosen(filters: Filters) -> tuple[dict[str, object], list[tuple[str, object]]]:
    """The filters given a value: each row facet's (facet → value), then each bloc's and
    compétence's (facet, value)."""
    values = {
        facet: getattr(filters, facet)
        for facet in (*ROW_FACET_COLUMNS, *TAG_FACETS)
        if getattr(filters, facet) not in (None, "")
    }
    tags = [(facet, values.pop(facet)) for facet in TAG_FACETS if facet in values]
    return values, tags


def filters_sql(filters: Filters) -> tuple[str, list]:
    conditions, params = [], []
    rows, tags = chosen(filters)
    for facet, value in rows.items():
        conditions.append(f"e.{ROW_FACET_COLUMNS[facet]} = %s")
        params.append(value)
    for facet, value in tags:
        conditions.append(
            f"EXISTS (SELECT 1 FROM {TAG} t WHERE t.entry_id = e.id"
            " AND t.facet = %s AND t.value = %s)"
        )
        params.extend([facet, value])
    return " AND ".join(conditions) or "1 = 1", params


# The facet counts, without ranking (counting needs no score). The hits' combinations of
# row facets and tags (candidacy, kind, evidence type, state, blocs and compétences) are
# counted once (``c``), then each facet is summed from them in SQL; the tags by distinct
# tag list, split in Python. A common word's hits at 100,000 pages fall into some 10,000
# combinations: walking each of them in Python cost as much as grouping the hits.
# Each row facet's sum is one GROUP BY of ``c`` (its column: ``ROW_FACET_COLUMNS``).
ROW_FACETS = tuple(ROW_FACET_COLUMNS)
COMBINED = ", ".join(GROUPED)


def combinations(rows: str) -> str:
    return (
        f"c AS MATERIALIZED (SELECT {COMBINED}, COUNT(*) AS hits FROM {rows} GROUP BY {COMBINED})"
    )


FACET_SUMS = (
    " UNION ALL ".join(
        f"SELECT '{facet}' AS facet, CAST({column} AS TEXT) AS value,"
        f" CAST(SUM(hits) AS BIGINT) AS hits FROM c GROUP BY {column}"
        for facet, column in ROW_FACET_COLUMNS.items()
    )
    + f" UNION ALL SELECT '{TAGS}', tag_list, CAST(SUM(hits) AS BIGINT) FROM c GROUP BY tag_list"
)


def counts_sql(rows: str) -> str:
    """(facet, value, hits) of the hits of ``rows``, ``TAGS`` rows a tag list each."""
    return f"WITH {combinations(f'({rows}) r')} {FACET_SUMS}"


# The same counts and the ranked page from the matching set ``m`` materialised once (read
# twice), for a vendor that matches again at a higher cost (``FullText.counts_apart``).
COUNTS_AND_PAGE_SQL = f""", {combinations("m")}
    SELECT facet, value, hits, CAST(NULL AS DOUBLE PRECISION) FROM ({FACET_SUMS}) sums
    UNION ALL SELECT 'hit', CAST(id AS VARCHAR(20)), 0, score FROM (
        SELECT id, score FROM m ORDER BY score DESC, id LIMIT %s OFFSET %s
    ) displayed
"""


def _read(alias: str, sql: str, params: list) -> list[tuple]:
    """The rows of ``sql``, read on the calling thread's own connection to ``alias``."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def entry_tags(entry: Entry):
    """(facet, value) of each bloc and compétence of ``entry``: its ``IndexedTag`` rows,
    and the lines of its ``tag_list``."""
    for facet, values in zip(TAG_FACETS, (entry.blocs, entry.competences), strict=True):
        for value in sorted(values):
            yield facet, value


def tags_text(entry: Entry) -> str:
    """``IndexedEntry.tag_list`` of ``entry``: « facet:value » a line (codes are one line)."""
    return TAG_LINES.join(tag_line(facet, value) for facet, value in entry_tags(entry))


# What a displayed hit needs of its entry (not its dates).
HIT_FIELDS = ("key", "kind", "object_id", "page", "candidacy_id", "title", "text")


class DatabaseBackend(Backend):
    name = "database"

    def __init__(self, using: str = "default"):
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    @property
    def fulltext(self) -> FullText:
        vendor = self.connection.vendor
        if vendor == "sqlite":
            return SQLiteFullText()
        if vendor == "postgresql":
            return PostgreSQLFullText()
        # A configuration the platform does not run on (MySQL, Oracle…): said at the first
        # use, not a feature left to write.
        raise ImproperlyConfigured(
            f"search: the database backend supports SQLite and PostgreSQL, not {vendor}; "
            "set VAE_SEARCH_BACKEND=elasticsearch for another database"
        )

    # -- writing ---------------------------------------------------------------------

    def index(self, entries: Iterable[Entry]) -> int:
        written = 0
        for batch in _batches(entries):
            by_key = {entry.key: entry for entry in batch}  # the last one wins
            try:
                written += self._replace(by_key)
            except IntegrityError:
                # Two tasks indexed the same object at once: the other one committed its
                # rows between our delete and our insert. Once more, against its rows.
                written += self._replace(by_key)
        return written

    def _replace(self, by_key: dict[str, Entry]) -> int:
        """Delete then insert the entries of ``by_key``, in one transaction."""
        fulltext = self.fulltext
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            self._erase(
                cursor,
                fulltext,
                list(
                    IndexedEntry.objects.using(self.using)
                    .filter(key__in=by_key)
                    .values_list("id", flat=True)
                ),
            )
            rows = IndexedEntry.objects.using(self.using).bulk_create(
                IndexedEntry(
                    key=entry.key,
                    kind=entry.kind,
                    object_id=entry.object_id,
                    page=entry.page,
                    candidacy_id=entry.candidacy_id,
                    author_id=entry.author_id,
                    title=entry.title,
                    text=entry.text,
                    evidence_type=entry.evidence_type,
                    candidacy_state=entry.candidacy_state,
                    updated_at=entry.updated_at,
                    tag_list=tags_text(entry),
                )
                for entry in by_key.values()
            )
            pairs = [(row.id, by_key[row.key]) for row in rows]
            IndexedTag.objects.using(self.using).bulk_create(
                IndexedTag(entry_id=pk, facet=facet, value=value)
                for pk, entry in pairs
                for facet, value in entry_tags(entry)
            )
            fulltext.write(cursor, pairs)
        return len(pairs)

    def _erase(self, cursor, fulltext: FullText, ids: list[int]) -> int:
        for batch in _batches(ids):
            fulltext.erase(cursor, batch)
            cursor.execute(f"DELETE FROM {TAG} WHERE entry_id IN ({_in(batch)})", batch)
            cursor.execute(f"DELETE FROM {ENTRY} WHERE id IN ({_in(batch)})", batch)
        return len(ids)

    def _delete_where(self, **conditions) -> int:
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            ids = list(
                IndexedEntry.objects.using(self.using)
                .filter(**conditions)
                .values_list("id", flat=True)
            )
            return self._erase(cursor, self.fulltext, ids)

    def delete(self, keys: Iterable[str]) -> int:
        return sum(self._delete_where(key__in=batch) for batch in _batches(keys))

    def delete_object(self, kind: str, object_id: int) -> int:
        return self._delete_where(kind=kind, object_id=object_id)

    def clear(self, candidacy_id: int | None = None) -> None:
        if candidacy_id is not None:
            self._delete_where(candidacy_id=candidacy_id)
            return
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            self.fulltext.erase_all(cursor)
            cursor.execute(f"DELETE FROM {TAG}")
            cursor.execute(f"DELETE FROM {ENTRY}")

    # -- reading ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        rows = (
            IndexedEntry.objects.using(self.using)
            .values("kind")
            .annotate(count=Count("id"))
            .order_by("kind")
        )
        return {row["kind"]: row["count"] for row in rows}

    def _narrowed(
        self, scope: Scope, compiled: dict, filters: Filters | None = None
    ) -> list[int] | None:
        """The candidacies the scope (and the candidacy filter) reaches when they are few
        (``NARROW_SCOPE``), else None; [] when it reaches none."""
        chosen = None
        if filters is not None and filters.candidacy not in (None, ""):
            try:
                chosen = int(filters.candidacy)
            except (TypeError, ValueError):
                return []  # no candidacy has that id: the filter's SQL finds nothing
        reachable = reachable_sql(scope, compiled)
        if reachable is None:
            return None if chosen is None else [chosen]
        by_grant = {index: set() for index in compiled}
        with self.connection.cursor() as cursor:
            cursor.execute(*reachable)
            for index, pk in cursor.fetchall():
                by_grant[int(index)].add(int(pk))
        # A grant's few candidacies, read whole, stand for its subquery in the search's
        # queries, which read it once each otherwise: a scan of every candidacy where the
        # policy's condition is an OR of EXISTS (three queries of an evaluator's search, a
        # scan each, were half its time at 1,000 candidacies). Read in the same request,
        # the list is what the policy's SQL says now.
        for index, ids in by_grant.items():
            if len(ids) <= NARROW_SCOPE:
                compiled[index] = _listed(ids)
        ids = sorted(set().union(*by_grant.values()))
        if chosen is not None:
            # Never more than the scope: the filter's candidacy if the scope has it.
            return [chosen] if chosen in ids or len(ids) > NARROW_SCOPE else []
        return ids if len(ids) <= NARROW_SCOPE else None

    def matching_set(
        self,
        query: ParsedQuery,
        scope: Scope,
        filters: Filters,
        *,
        ranked: bool = True,
        row_facets: bool = False,
        candidacy_ids: list[int] | None = None,
        compiled: dict | None = None,
        walk: bool = False,
    ) -> tuple[str, list]:
        """``SELECT x.id, x.score[, e.…] FROM … WHERE …``: the readable, filtered matches,
        with their ``row_facets`` if asked. Staff with no filter has no condition on the
        entry: unless its row facets are read, no join at all. ``walk``: every entry of
        the vendor's ``grouped_entries``, in their order, kept if it matches (unranked:
        for the counts, ``FullText.walks_groups``)."""
        fulltext = self.fulltext
        match_sql, match_params = fulltext.matched(
            query, ranked=ranked and not walk, candidacy_ids=candidacy_ids
        )
        where_scope, scope_params = scope_sql(scope, compiled)
        where_filters, filter_params = filters_sql(filters)
        params = [*match_params, *scope_params, *filter_params]
        if not row_facets and where_scope == where_filters == "1 = 1":
            return f"SELECT x.id, x.score FROM ({match_sql}) x", match_params
        columns = ", e.candidacy_id, e.kind, e.evidence_type, e.candidacy_state, e.tag_list"
        if walk:
            sql = (
                f"SELECT e.id, 0.0 AS score{columns if row_facets else ''}"
                f" FROM {fulltext.grouped_entries}"
                f" WHERE e.id IN (SELECT x.id FROM ({match_sql}) x)"
                f" AND {where_scope} AND {where_filters}"
            )
            return sql, params
        sql = (
            f"SELECT x.id, x.score{columns if row_facets else ''}"
            f" FROM ({match_sql}) x JOIN {fulltext.entries} ON e.id = x.id"
            f" WHERE {where_scope} AND {where_filters}"
        )
        return sql, params

    def _page_sql(self, query, scope, filters, *, page, per_page, **options):
        ranking, params = self.matching_set(query, scope, filters, **options)
        return (
            f"SELECT id, score FROM ({ranking}) ranked ORDER BY score DESC, id LIMIT %s OFFSET %s",
            [*params, per_page, (page - 1) * per_page],
        )

    def _apart(self, query, scope, filters, *, page, per_page, candidacy_ids, compiled):
        """Two queries (SQLite): the counts without ranking, and the displayed page ranked
        (ORDER BY … LIMIT keeps only the best rows, nothing is stored). FTS5 matches again
        cheaply; one CTE feeding both cost more there, every hit's score and row facets
        written to a temporary table, then read again. A broad scope's page is read aside
        (``vae.aside``) while the counts are read. Staff's counts come from the hits' ids
        and this process's copy of the entries' columns (``search.backends.columns``);
        another broad scope's may walk the vendor's groups index
        (``FullText.walks_groups``). Otherwise the page is read after the counts, if it
        has hits, and a few hits within a few candidacies are ranked by the vendor's
        ``rank`` instead."""
        options = {"candidacy_ids": candidacy_ids, "compiled": compiled}
        aside = None
        if candidacy_ids is None and may_read_aside(self.using):
            aside = read_aside(
                _read,
                self.using,
                *self._page_sql(query, scope, filters, page=page, per_page=per_page, **options),
            )
        counts = None
        if candidacy_ids is None and scope.reads_everything:
            counts = self._counted_in_memory(query, filters)
        if counts is None:
            counts = self._counted(query, scope, filters, **options)
        if aside is not None:
            return counts, [(int(pk), score) for pk, score in aside.result()]
        total = sum(hits for facet, _value, hits in counts if facet == "kind")
        if total <= (page - 1) * per_page:
            return counts, []
        ranked = None
        if candidacy_ids is not None:
            # A few hits of a few candidacies may be ranked from their own words, without
            # the vendor's ranking function reading the whole corpus.
            ids, ids_params = self.matching_set(query, scope, filters, ranked=False, **options)
            with self.connection.cursor() as cursor:
                ranked = self.fulltext.ranked_apart(cursor, query, total, ids, ids_params)
        if ranked is not None:
            return counts, ranked[(page - 1) * per_page : page * per_page]
        with self.connection.cursor() as cursor:
            cursor.execute(
                *self._page_sql(query, scope, filters, page=page, per_page=per_page, **options)
            )
            displayed = [(int(pk), score) for pk, score in cursor.fetchall()]
        return counts, displayed

    def _counted(self, query, scope, filters, *, candidacy_ids, compiled) -> list[tuple]:
        """The counts read in SQL: the matching set's row facets grouped."""
        walk = False
        if candidacy_ids is None:
            with self.connection.cursor() as cursor:
                walk = self.fulltext.walks_groups(cursor, query)
        rows, rows_params = self.matching_set(
            query,
            scope,
            filters,
            ranked=False,
            row_facets=True,
            walk=walk,
            candidacy_ids=candidacy_ids,
            compiled=compiled,
        )
        with self.connection.cursor() as cursor:
            cursor.execute(counts_sql(rows), rows_params)
            return cursor.fetchall()

    def _counted_in_memory(self, query, filters: Filters) -> list[tuple] | None:
        """The counts of a search reaching every entry, from its hits' ids and the entries'
        columns held in memory (``search.backends.columns``); None where the vendor does
        not list ids, or the database has no generation yet."""
        fulltext = self.fulltext
        match_sql, params = fulltext.matched(query, ranked=False)
        listing = fulltext.listed(match_sql)
        if listing is None:
            return None
        rows, tags = chosen(filters)
        equal = {ROW_FACET_COLUMNS[facet]: str(value) for facet, value in rows.items()}
        tags = [(facet, str(value)) for facet, value in tags]
        # Twice at most: an entry deleted between the statement and a whole reading of the
        # columns that it prompted is no longer known; listed again, it is gone.
        for _attempt in range(2):
            with self.connection.cursor() as cursor:
                cursor.execute(listing, params)
                generation, listed = cursor.fetchone()
            if generation is None:
                return None
            snapshot = columns.snapshot(
                self.using, generation, fulltext.grouped_entries, fulltext.entries
            )
            if snapshot is None:
                return None
            counted = snapshot.counts(columns.hit_ids(listed), snapshot.kept(equal, tags))
            if counted is not None:
                return counted
        return None

    def _together(self, query, scope, filters, *, page, per_page, candidacy_ids, compiled):
        """One query (PostgreSQL): the matching set ``m`` materialised once, read for the
        counts and the ranked page. Matching again costs more there (the index finds
        candidates, the rows' words are then read to check them) than storing the hits."""
        with_m, params = self.matching_set(
            query,
            scope,
            filters,
            row_facets=True,
            candidacy_ids=candidacy_ids,
            compiled=compiled,
        )
        counts, displayed = [], []
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS ({with_m})" + COUNTS_AND_PAGE_SQL,
                [*params, per_page, (page - 1) * per_page],
            )
            for part, value, hits, score in cursor.fetchall():
                if part == "hit":
                    displayed.append((int(value), score))
                else:
                    counts.append((part, value, hits))
        displayed.sort(key=lambda pair: (-pair[1], pair[0]))
        return counts, displayed

    def search(
        self,
        query: ParsedQuery,
        *,
        scope: Scope,
        filters: Filters,
        page: int = 1,
        per_page: int = 20,
    ) -> Results:
        started = time.perf_counter()
        page = max(int(page), 1)
        facets: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
        hits: list[Hit] = []
        total = 0
        compiled: dict = {}
        candidacy_ids = None
        if not query.is_empty and not scope.is_empty:
            candidacy_ids = self._narrowed(scope, compiled, filters)
        if not query.is_empty and not scope.is_empty and candidacy_ids != []:
            counted = {facet: Counter() for facet in (*ROW_FACETS, *TAG_FACETS)}
            strategy = self._apart if self.fulltext.counts_apart else self._together
            counts, displayed = strategy(
                query,
                scope,
                filters,
                page=page,
                per_page=per_page,
                candidacy_ids=candidacy_ids,
                compiled=compiled,
            )
            for facet, value, hits in counts:
                if facet != TAGS:
                    counted[facet][str(value)] += hits
                    continue
                for tag in value.split(TAG_LINES) if value else ():
                    tag_facet, _colon, key = tag.partition(":")
                    counted[tag_facet][key] += hits
            # An evidence type is a facet of evidence pages only: the others have none.
            counted["evidence_type"].pop("", None)
            for facet, values in counted.items():
                facets[facet] = [FacetValue(value, count) for value, count in values.items()]
            total = sum(counted["kind"].values())
            rows = {
                row["id"]: row
                for row in (
                    IndexedEntry.objects.using(self.using)
                    .filter(pk__in=[pk for pk, _ in displayed])
                    .values("id", *HIT_FIELDS)
                    if displayed
                    else ()  # nothing to show: not even the ORM's work of an empty query
                )
            }
            hits = [
                Hit(
                    key=rows[pk]["key"],
                    kind=rows[pk]["kind"],
                    object_id=rows[pk]["object_id"],
                    page=rows[pk]["page"],
                    candidacy_id=rows[pk]["candidacy_id"],
                    title=rows[pk]["title"],
                    snippet=snippet(rows[pk]["text"], query),
                    score=float(score),
                )
                for pk, score in displayed
                if pk in rows
            ]
        for values in facets.values():
            values.sort(key=lambda value: (-value.count, value.value))
        return Results(
            query=query,
            hits=hits,
            total=total,
            facets=facets,
            page=page,
            per_page=per_page,
            took_ms=(time.perf_counter() - started) * 1000,
        )
