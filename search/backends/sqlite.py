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
"""

from search.analysis import analysed, terms
from search.backends.fulltext import ENTRY, FullText
from search.base import Clause, ParsedQuery

TABLE = "vae_search_fts"
# bm25 weights of the columns (title, body, scope); bm25 is lower for a better match.
RANK = f"-bm25({TABLE}, 2.0, 1.0, 0.0)"
FACETS_INDEX = "vae_search_entry_facets"


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


class SQLiteFullText(FullText):
    # Read through the narrow index of the columns a search reads of each hit (the
    # migration's ``vae_search_entry_facets``): the planner would otherwise look each hit
    # up in the table, whose rows carry the whole text.
    entries = f"{ENTRY} e INDEXED BY {FACETS_INDEX}"
    counts_apart = True

    def write(self, cursor, rows):
        cursor.executemany(
            f"INSERT INTO {TABLE}(rowid, title, body, scope) VALUES (%s, %s, %s, %s)",
            [
                (pk, analysed(entry.title), analysed(entry.text), scope_token(entry.candidacy_id))
                for pk, entry in rows
            ],
        )

    def erase(self, cursor, ids):
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)

    def erase_all(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    def matched(self, query, *, ranked=True, candidacy_ids=None):
        match = expression(query)
        if candidacy_ids is not None:
            match = within(match, candidacy_ids)
        score = f"{RANK} AS score" if ranked else "0.0 AS score"
        return (
            f"SELECT rowid AS id, {score} FROM {TABLE} WHERE {TABLE} MATCH %s",
            [match],
        )
