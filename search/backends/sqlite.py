"""SQLite: an FTS5 table (``vae_search_fts``, created by the migration) whose rowid is the
entry's id and whose columns hold our analyser's stems joined by spaces, so that FTS5's
own tokenizer only splits on spaces and the French analysis is ours, the same at index
and query time. Ranked by ``bm25`` (a title match weighs twice a text match)."""

from search.analysis import analysed, terms
from search.backends.fulltext import FullText
from search.base import Clause, ParsedQuery

TABLE = "vae_search_fts"
# bm25 weights of the columns (title, body); bm25 is lower for a better match.
RANK = f"-bm25({TABLE}, 2.0, 1.0)"


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


class SQLiteFullText(FullText):
    def write(self, cursor, rows):
        cursor.executemany(
            f"INSERT INTO {TABLE}(rowid, title, body) VALUES (%s, %s, %s)",
            [(pk, analysed(entry.title), analysed(entry.text)) for pk, entry in rows],
        )

    def erase(self, cursor, ids):
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)

    def erase_all(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    def matched(self, query):
        return (
            f"SELECT rowid AS id, {RANK} AS score FROM {TABLE} WHERE {TABLE} MATCH %s",
            [expression(query)],
        )
