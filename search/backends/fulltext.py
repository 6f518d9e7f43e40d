"""What differs by database vendor in the embedded backend: how words are stored and
matched. ``search.backends.sqlite`` and ``search.backends.postgresql`` implement it."""

from search.base import Entry, ParsedQuery
from search.models import IndexedEntry

ENTRY = IndexedEntry._meta.db_table


class FullText:
    def write(self, cursor, rows: list[tuple[int, Entry]]) -> None:
        """Store the words of the entries just inserted, as (entry id, entry)."""

    def erase(self, cursor, ids: list[int]) -> None:
        """Forget the words of these entry ids."""

    def erase_all(self, cursor) -> None:
        """Forget every word."""

    def matched(self, query: ParsedQuery) -> tuple[str, list]:
        """``SELECT id, score FROM …``: the entries matching ``query``, a higher score
        ranking first; parameters bound, never formatted into the SQL."""
        raise NotImplementedError
