"""SQLite: an FTS5 table (``vae_search_fts``, created by the migrations) whose rowid is the
entry's id and whose columns hold our analyser's stems joined by spaces, so that FTS5's
own tokenizer only splits on spaces and the French analysis is ours, the same at index
and query time. Ranked by ``bm25`` (a title match weighs twice a text match).

A third column, ``scope``, holds one token per entry naming its candidacy
(``candidacy_12``). A search whose permission scope reaches a few candidacies (an
evaluator's dossiers, a jury session's, a candidate's own) adds ``AND ("candidacy_12" OR
…)`` to its match, so that FTS5 intersects posting lists and its cost no longer grows with
the whole corpus; the scope itself is still the SQL condition of the query (the token
only narrows what FTS5 hands to it). The token cannot come from a user's text: the
analyser's words never hold an underscore, and the table's tokenizer keeps it
(``tokenchars '_'``). The column weighs nothing in ``bm25``.

Ranking a phrase's few hits (``ranks``, ``rank``): ``bm25()`` counts, on its first row,
the rows of the whole table that hold each phrase of the query (FTS5's ``xQueryPhrase``:
every row holding the phrase's words is read, with their positions), whatever the scope:
6 to 8 ms for « "plan de trésorerie" » or « "bulletin de paie" » and their synonyms at
100,000 pages, half of an evaluator's search. A phrase search within a few candidacies
instead reads its hits' stems (a few hundred rows) and scores them here with ``bm25()``'s
own formula and constants, the corpus statistics read in O(1): the row count and token
total from FTS5's averages record (what ``bm25()`` reads), each word's row count from
``vae_search_term_docs``, kept in the transaction that writes the words (FTS5's
``fts5vocab`` would count them by reading each word's whole list: as slow as ``bm25()``).
A one-word clause then scores exactly as ``bm25()`` scores it. A phrase's row count is not
kept (it would take every phrase): its rarest word's count stands for it, an upper bound
(every row holding the phrase holds that word) and a close one for the phrases people
quote, words that go together (« plan de trésorerie »: 40,223 rows at 100,000 pages,
« trésorerie » 69,097, « plan » 72,085). The phrase then weighs a little less than under
``bm25()``: the hits, totals and facets are the same, their order may differ where a
phrase competes with another clause of different rarity (one phrase alone ranks as
``bm25()`` ranks it: its weight multiplies every score alike). A search of words only
keeps ``bm25()``: counting a word's rows is fast enough (2 to 3 ms for the commonest).

Counting the hits of a word most entries hold (``walks_groups``): the counts group the
hits by row facets and tag list (``search.backends.database``), which SQLite does by
sorting them, half the counting of « production » at 100,000 pages (89,000 hits). The
index ``vae_search_entry_groups`` holds the entries in that order: walked whole, each
entry kept if the match has it (an ``IN`` list), the groups come out in order, nothing
sorted (125 → 78 ms). The walk reads the whole index whatever the hits (25 ms at
100,000 entries): a word of 5,000 hits counts twice as slowly that way, one of 31,000
breaks even. So the walk is taken where the words' row counts (``vae_search_term_docs``)
bound the hits above half the entries; never for a phrase, which its words' counts bound
loosely (« "plan de trésorerie" »: 40,223 hits, « trésorerie » 69,097 rows), and which
the walk slowed (82 → 109 ms).
"""

import math
from collections import Counter

from search.analysis import analysed, terms
from search.backends.columns import LATEST_GENERATION, new_generation
from search.backends.fulltext import ENTRY, FullText
from search.base import Clause, ParsedQuery

TABLE = "vae_search_fts"
# bm25 weights of the columns (title, body, scope); bm25 is lower for a better match.
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0
RANK = f"-bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0)"
FACETS_INDEX = "vae_search_entry_facets"
GROUPS_INDEX = "vae_search_entry_groups"
# The share of the entries above which the counts walk the groups index (module docstring).
WALK_SHARE = 0.5
TERM_DOCS = "vae_search_term_docs"
# FTS5's averages record (``%_data`` row 1): the row count, then each column's token total.
AVERAGES = f"SELECT block FROM {TABLE}_data WHERE id = 1"
# At most this many hits are ranked in Python (``SQLiteFullText.ranks``).
RANK_FEW = 1000
# bm25()'s constants (SQLite's fts5_aux.c).
K1, B = 1.2, 0.75


def scope_token(candidacy_id: int) -> str:
    return f"candidacy_{int(candidacy_id)}"


def _phrase(clause: Clause) -> str:
    """A clause as an FTS5 string: one stem, or several as a phrase."""
    return '"' + " ".join(terms(clause.text)).replace('"', '""') + '"'


def _any(clauses) -> str:
    return "(" + " OR ".join(_phrase(clause) for clause in clauses if terms(clause.text)) + ")"


def expression(query: ParsedQuery) -> str:
    """The FTS5 query of ``query``: AND of OR-groups, NOT the exclusions."""
    positive = " AND ".join(_any(group) for group in query.groups)
    excluded = [clause for clause in query.excluded if terms(clause.text)]
    if excluded:
        return f"({positive}) NOT {_any(excluded)}"
    return positive


def within(match: str, candidacy_ids) -> str:
    """``match`` narrowed to the entries of these candidacies (their scope tokens)."""
    tokens = " OR ".join(f'"{scope_token(pk)}"' for pk in candidacy_ids)
    return f"({match}) AND ({tokens})"


def varints(data: bytes) -> list[int]:
    """SQLite's varints (big-endian groups of 7 bits, the high bit continuing; a ninth
    byte gives 8 bits), as FTS5 writes its averages record."""
    values, value, length = [], 0, 0
    for byte in data:
        length += 1
        if length == 9:
            values.append((value << 8) | byte)
            value, length = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            values.append((value << 7) | byte)
            value, length = 0, 0
    return values


def occurrences(padded: str, phrase: list[str]) -> int:
    """How many times ``phrase`` occurs in a row's column (its stems between two spaces,
    ``padded``), overlapping and side by side, as FTS5 counts them."""
    found = padded.count(" " + " ".join(phrase) + " ")
    size = len(phrase)
    if found and (
        # ``str.count`` misses the second of two side by side (they share a space) or
        # overlapping (« paie de paie de paie »): counted word by word then.
        " " + " ".join(phrase + phrase) + " " in padded
        or any(phrase[-k:] == phrase[:k] for k in range(1, size))
    ):
        words = padded.split()
        return sum(words[i : i + size] == phrase for i in range(len(words) - size + 1))
    return found


def _length(stems: str) -> int:
    return stems.count(" ") + 1 if stems else 0


def idf(rows: int, docs: int) -> float:
    """bm25()'s: never 0 nor negative, the least weight of a word in most rows."""
    value = math.log((rows - docs + 0.5) / (docs + 0.5))
    return value if value > 0 else 1e-6


def bm25(phrases, weights, title: str, body: str, average: float) -> float:
    """bm25() of one row, higher for a better match: ``phrases`` every positive clause's
    stems, in the query's order; ``weights`` their idf; the row's stems as stored."""
    # bm25() counts the row's tokens in every column; the scope column holds one.
    norm = K1 * (1 - B + B * (_length(title) + _length(body) + 1) / average)
    title, body = f" {title} ", f" {body} "
    score = 0.0
    for phrase, weight in zip(phrases, weights, strict=True):
        frequency = TITLE_WEIGHT * occurrences(title, phrase) + BODY_WEIGHT * occurrences(
            body, phrase
        )
        score += weight * (frequency * (K1 + 1.0)) / (frequency + norm)
    return score


def _documents(rows: list[tuple[int, str, str]]) -> Counter:
    """How many of these rows (id, title, body stems) hold each word."""
    counted: Counter = Counter()
    for _pk, title, body in rows:
        counted.update(set(title.split()) | set(body.split()))
    return counted


def _documents_of(cursor, words) -> dict[str, int]:
    """How many rows hold each of ``words`` (those no row holds are missing)."""
    words = sorted(words)
    cursor.execute(
        f"SELECT term, docs FROM {TERM_DOCS} WHERE term IN ({', '.join(['%s'] * len(words))})",
        words,
    )
    return dict(cursor.fetchall())


def _averages(cursor) -> list[int]:
    """FTS5's averages record: the row count, then each column's token total."""
    cursor.execute(AVERAGES)
    found = cursor.fetchone()
    # No record, or an empty one, before the first row is written: no row.
    return (varints(found[0]) if found else []) or [0]


class SQLiteFullText(FullText):
    # Read through the narrow index of the columns a search reads of each hit (the
    # migration's ``vae_search_entry_facets``): the planner would otherwise look each hit
    # up in the table, whose rows carry the whole text.
    entries = f"{ENTRY} e INDEXED BY {FACETS_INDEX}"
    grouped_entries = f"{ENTRY} e INDEXED BY {GROUPS_INDEX}"
    counts_apart = True

    def write(self, cursor, rows):
        stems = [(pk, analysed(entry.title), analysed(entry.text)) for pk, entry in rows]
        cursor.executemany(
            f"INSERT INTO {TABLE}(rowid, title, body, scope) VALUES (%s, %s, %s, %s)",
            [
                (pk, title, body, scope_token(entry.candidacy_id))
                for (pk, title, body), (_pk, entry) in zip(stems, rows, strict=True)
            ],
        )
        cursor.executemany(
            f"INSERT INTO {TERM_DOCS}(term, docs) VALUES (%s, %s)"
            " ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs",
            sorted(_documents(stems).items()),
        )
        # Which entries are new to a process's copy of their columns.
        new_generation(cursor)

    def erase(self, cursor, ids):
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"SELECT rowid, title, body FROM {TABLE} WHERE rowid IN ({marks})", ids)
        gone = sorted(_documents(cursor.fetchall()).items())
        cursor.executemany(
            f"UPDATE {TERM_DOCS} SET docs = docs - %s WHERE term = %s",
            [(count, term) for term, count in gone],
        )
        cursor.executemany(
            f"DELETE FROM {TERM_DOCS} WHERE term = %s AND docs <= 0", [(term,) for term, _ in gone]
        )
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", ids)

    def erase_all(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"DELETE FROM {TERM_DOCS}")

    def listed(self, match_sql):
        return f"SELECT ({LATEST_GENERATION}), (SELECT group_concat(x.id) FROM ({match_sql}) x)"

    def ranks(self, query, hits):
        # Where bm25() is slow, a phrase's rows counted over the corpus, and the hits few
        # enough to be read and scored in Python for less (about 5 µs a hit).
        return hits <= RANK_FEW and any(
            len(terms(clause.text)) > 1 for group in query.groups for clause in group
        )

    def walks_groups(self, cursor, query):
        words = [terms(clause.text) for group in query.groups for clause in group]
        if not words or any(len(clause) != 1 for clause in words):
            return False  # a phrase (module docstring), or a clause of stop words only
        documents = _documents_of(cursor, {clause[0] for clause in words})
        # At most each group's rows, an OR of its words; the AND of the groups at most
        # the fewest. The exclusions only take hits away.
        bound = min(
            sum(documents.get(terms(clause.text)[0], 0) for clause in group)
            for group in query.groups
        )
        return bound > _averages(cursor)[0] * WALK_SHARE

    def ranked_apart(self, cursor, query, hits, ids_sql, params):
        return self.rank(cursor, query, ids_sql, params) if self.ranks(query, hits) else None

    def rank(self, cursor, query, ids_sql, params):
        """The entries of ``ids_sql`` (``SELECT id …``), scored as ``bm25()`` would score
        them, the phrases' row counts taken from their rarest word (module docstring);
        as (id, score), best first."""
        phrases = [terms(clause.text) for group in query.groups for clause in group]
        phrases = [phrase for phrase in phrases if phrase]
        documents = _documents_of(cursor, {word for phrase in phrases for word in phrase})
        row_count, *tokens = _averages(cursor)
        if not row_count:
            return []
        average = sum(tokens) / row_count
        rarest = [min(documents.get(word, 0) for word in phrase) for phrase in phrases]
        # A phrase one of whose words no row holds adds nothing to any score (a synonym
        # the corpus never uses): not looked for.
        phrases = [phrase for phrase, docs in zip(phrases, rarest, strict=True) if docs]
        weights = [idf(row_count, docs) for docs in rarest if docs]
        cursor.execute(
            f"SELECT rowid, title, body FROM {TABLE} WHERE rowid IN (SELECT id FROM ({ids_sql}) i)",
            params,
        )
        scored = [
            (pk, bm25(phrases, weights, title, body, average))
            for pk, title, body in cursor.fetchall()
        ]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored

    def matched(self, query, *, ranked=True, candidacy_ids=None):
        match = expression(query)
        if candidacy_ids is not None:
            match = within(match, candidacy_ids)
        score = f"{RANK} AS score" if ranked else "0.0 AS score"
        return (
            f"SELECT rowid AS id, {score} FROM {TABLE} WHERE {TABLE} MATCH %s",
            [match],
        )
