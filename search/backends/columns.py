"""The columns a search counts its hits by, for every entry, held in this process's
memory: where a search reaches every candidacy (staff), its facets are counted from its
hits' ids alone, as Lucene counts facets from per-document ordinals (doc values), rather
than by reading each hit's row in the database.

Why (SQLite, 100,000 pages): counting « production » (89,000 hits) read each hit's facet
columns from an index, 78 ms, more than FTS5's whole ranked match (60 ms), so the staff
search took twice the raw match. FTS5 hands over the ids of those hits in 7 ms (one
``group_concat``, parsed by numpy); with each entry's group known here (its combination
of row facets and tag list, ``GROUPED``), counting them is a lookup and a ``bincount``:
2 ms.

What is held: the entries' ids, sorted, each with its group's ordinal, and the groups'
values (10,000 groups at 100,000 pages): about 12 bytes an entry.

How it stays true: each transaction that writes entries' words appends a generation
(``search.models.IndexGeneration``, a random token) in that transaction
(``SQLiteFullText.write``), and a search reads the latest generation in the statement
that lists its hits. An entry never changes (re-indexing deletes it and inserts it again,
under a new id) and, on SQLite (``AUTOINCREMENT``, one writer at a time), a new entry's
id is above every id committed before it. So a snapshot read at generation S stays true
of every id it holds; what came after S is the entries above its highest id, read alone.
Deleted entries stay in the snapshot (no match returns them) until it has doubled since
it was last read whole. It is read whole again when generation S is no longer in the
table as the snapshot saw it: a transaction rolled back, a flush, a database restored,
or the row pruned (``KEPT_GENERATIONS``).
"""

import secrets
import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connections, transaction

from search.models import IndexGeneration

# Each row facet a search counts, and the entry's column it is read from.
ROW_FACET_COLUMNS = {
    "candidacy": "candidacy_id",
    "kind": "kind",
    "evidence_type": "evidence_type",
    "state": "candidacy_state",
}
# The facet of the blocs and compétences: counted by tag list (``TAG_LINES`` between
# the « facet:value » tags), then split.
TAGS = "tags"
TAG_COLUMN = "tag_list"
TAG_LINES = "\n"
# The columns whose combination is a group, in this order.
GROUPED = (*ROW_FACET_COLUMNS.values(), TAG_COLUMN)
GENERATIONS = IndexGeneration._meta.db_table
# The latest generation, as one value: « id:token ».
LATEST_GENERATION = f"SELECT id || ':' || token FROM {GENERATIONS} ORDER BY id DESC LIMIT 1"
# Generations older than the last this many are pruned: a snapshot that old is read whole.
KEPT_GENERATIONS = 1000
# A snapshot is read whole again once it holds this many times its entries at its last
# whole reading (the deleted ones pile up), and at least ``SLACK`` more.
GROWTH, SLACK = 2, 10_000


def tag_line(facet: str, value: str) -> str:
    """A bloc or compétence as a line of ``IndexedEntry.tag_list``."""
    return f"{facet}:{value}"


def new_generation(cursor) -> None:
    """Append a generation in the caller's transaction, which writes entries' words, and
    prune the old ones."""
    cursor.execute(f"INSERT INTO {GENERATIONS}(token) VALUES (%s)", [secrets.token_hex(8)])
    cursor.execute(
        f"DELETE FROM {GENERATIONS} WHERE id <= (SELECT MAX(id) FROM {GENERATIONS}) - %s",
        [KEPT_GENERATIONS],
    )


def hit_ids(listed: str | None) -> np.ndarray:
    """Ids from ``group_concat``'s comma-separated text (None: no hit)."""
    if not listed:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(listed, dtype=np.int64, sep=",")


@dataclass(frozen=True, eq=False)  # arrays: compared by generation, not by value
class Snapshot:
    """The grouped columns of every entry at one generation (« id:token »)."""

    generation: str
    ids: np.ndarray  # sorted
    group_of: np.ndarray  # each id's group ordinal
    groups: tuple[tuple, ...]  # each group's values, in ``GROUPED`` order
    whole: int  # entries at the last whole reading
    # Per column: its distinct values and each group's code into them.
    codes: tuple[tuple[list, np.ndarray], ...] = field(repr=False)
    # Each tag (facet, value), and which tag list holds which tag, as pairs of codes.
    tags: tuple[tuple[str, str], ...] = field(repr=False)
    pairs: tuple[np.ndarray, np.ndarray] = field(repr=False)

    @classmethod
    def of(cls, generation, rows, *, base=None) -> "Snapshot":
        """From rows of a group's values (``GROUPED``) and its entries' ids as
        comma-separated text; ``base``: the snapshot they come after (ids above its
        highest)."""
        ordinals = {group: index for index, group in enumerate(base.groups)} if base else {}
        listed = [hit_ids(row[-1]) for row in rows]
        ids = np.concatenate([np.empty(0, dtype=np.int64), *listed])
        group_of = np.concatenate(
            [
                np.empty(0, dtype=np.int32),
                *(
                    np.full(
                        len(row_ids),
                        ordinals.setdefault(tuple(row[:-1]), len(ordinals)),
                        dtype=np.int32,
                    )
                    for row, row_ids in zip(rows, listed, strict=True)
                ),
            ]
        )
        # Sorted by id, for the lookups' binary search; the new ids all come after the
        # base's.
        order = np.argsort(ids)
        ids, group_of = ids[order], group_of[order]
        if base is not None:
            ids = np.concatenate([base.ids, ids])
            group_of = np.concatenate([base.group_of, group_of])
        groups = tuple(ordinals)
        codes = []
        for column in range(len(GROUPED)):
            values: dict = {}
            coded = np.fromiter(
                (values.setdefault(group[column], len(values)) for group in groups),
                dtype=np.int32,
                count=len(groups),
            )
            codes.append((list(values), coded))
        tags: dict = {}
        pairs = [
            (code, tags.setdefault(tuple(line.split(":", 1)), len(tags)))
            for code, tag_list in enumerate(codes[GROUPED.index(TAG_COLUMN)][0])
            for line in tag_list.split(TAG_LINES)
            if line
        ]
        return cls(
            generation=generation,
            ids=ids,
            group_of=group_of,
            groups=groups,
            whole=base.whole if base else len(ids),
            codes=tuple(codes),
            tags=tuple(tags),
            pairs=(
                np.array([pair[0] for pair in pairs], dtype=np.int32),
                np.array([pair[1] for pair in pairs], dtype=np.int32),
            ),
        )

    @property
    def highest(self) -> int:
        return int(self.ids[-1]) if len(self.ids) else 0

    def kept(self, equal: dict[str, str], tags: list[tuple[str, str]]) -> np.ndarray:
        """Which groups have each column of ``equal`` at its value (as text, as the
        counts give it) and each (facet, value) of ``tags`` among their blocs and
        compétences."""
        keep = np.ones(len(self.groups), dtype=bool)
        for column, wanted in equal.items():
            values, coded = self.codes[GROUPED.index(column)]
            keep &= np.isin(
                coded, [code for code, value in enumerate(values) if str(value) == wanted]
            )
        lists, coded = self.codes[GROUPED.index(TAG_COLUMN)]
        for tag in tags:
            holds = np.zeros(len(lists), dtype=bool)
            if tag in self.tags:
                holds[self.pairs[0][self.pairs[1] == self.tags.index(tag)]] = True
            keep &= holds[coded]
        return keep

    def counts(self, hits: np.ndarray, keep: np.ndarray) -> list[tuple[str, str, int]] | None:
        """(facet, value, hits) of these hit ids in the kept groups, every facet's value
        that has hits; None if an id is unknown."""
        found = np.searchsorted(self.ids, hits)
        if len(hits) and (
            found.max() >= len(self.ids) or not np.array_equal(self.ids[found], hits)
        ):
            return None
        per_group = np.bincount(self.group_of[found], minlength=len(self.groups))
        per_group[~keep] = 0
        rows = []
        for facet, column in ROW_FACET_COLUMNS.items():
            values, coded = self.codes[GROUPED.index(column)]
            sums = np.bincount(coded, weights=per_group, minlength=len(values))
            rows.extend(
                (facet, str(values[code]), int(sums[code])) for code in np.flatnonzero(sums)
            )
        # The tag lists' sums, then each tag's: the sum over the lists that hold it.
        lists, coded = self.codes[GROUPED.index(TAG_COLUMN)]
        by_list = np.bincount(coded, weights=per_group, minlength=len(lists))
        by_tag = np.bincount(
            self.pairs[1], weights=by_list[self.pairs[0]], minlength=len(self.tags)
        )
        rows.extend((*self.tags[code], int(by_tag[code])) for code in np.flatnonzero(by_tag))
        return rows


_snapshots: dict[tuple[str, str], Snapshot] = {}
_reading = threading.Lock()


def snapshot(alias: str, generation: str, source: str, after: str) -> Snapshot | None:
    """The snapshot of ``alias`` at ``generation`` or later (as a search's statement read
    it), read now if this process's is older. ``source``: the entries aliased ``e`` as
    read whole (an index holding ``GROUPED``); ``after``: the same for the entries above
    an id. None where the database has no generation."""
    key = (alias, str(connections[alias].settings_dict["NAME"]))
    found = _snapshots.get(key)
    if found is not None and found.generation == generation:
        return found
    with _reading:
        found = _snapshots.get(key)
        if found is None or found.generation != generation:
            found = _read(alias, found, source, after)
            if found is None:
                _snapshots.pop(key, None)
            else:
                _snapshots[key] = found
    return found


def _read(alias: str, old: Snapshot | None, source: str, after: str) -> Snapshot | None:
    grouped = ", ".join(f"e.{column}" for column in GROUPED)
    # Each group once, with its entries' ids: ten times fewer rows than the entries.
    select = f"SELECT {grouped}, group_concat(e.id) FROM {{}} {{}} GROUP BY {grouped}"
    # One read transaction: the generation and the entries as of the same moment.
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(LATEST_GENERATION)
        latest = cursor.fetchone()
        if latest is None:
            return None
        generation = latest[0]
        if old is not None and old.generation == generation:
            return old
        if old is not None and len(old.ids) < max(GROWTH * old.whole, old.whole + SLACK):
            seen, token = old.generation.split(":", 1)
            cursor.execute(f"SELECT token FROM {GENERATIONS} WHERE id = %s", [int(seen)])
            if cursor.fetchone() == (token,):
                cursor.execute(select.format(after, "WHERE e.id > %s"), [old.highest])
                return Snapshot.of(generation, cursor.fetchall(), base=old)
        # The groups index walked in its order: grouped without sorting.
        cursor.execute(select.format(source, ""))
        return Snapshot.of(generation, cursor.fetchall())
