"""What differs by database vendor in the embedded backend: how words are stored and
matched. ``search.backends.sqlite`` and ``search.backends.postgresql`` implement it."""

from abc import ABC, abstractmethod

from search.base import Entry, ParsedQuery
from search.models import IndexedEntry

ENTRY = IndexedEntry._meta.db_table


class FullText(ABC):
    """Writing is a no-op by default (PostgreSQL's words are a generated column); matching
    is what each vendor must say."""

    # The entries table as the searches join it, aliased ``e``.
    entries = f"{ENTRY} e"
    # The same, read in the order of the counts' groups (``walks_groups``).
    grouped_entries = f"{ENTRY} e"
    # Whether a search counts and ranks in two queries, matching twice (cheap where the
    # match is read from the index alone), or stores the matches once for both.
    counts_apart = False

    def write(self, cursor, rows: list[tuple[int, Entry]]) -> None:
        """Store the words of the entries just inserted, as (entry id, entry)."""
        return None  # nothing to do where the words are a generated column

    def erase(self, cursor, ids: list[int]) -> None:
        """Forget the words of these entry ids."""
        return None  # nothing to do where the words are a generated column

    def erase_all(self, cursor) -> None:
        """Forget every word."""
        return None  # nothing to do where the words are a generated column

    def walks_groups(self, cursor, query: ParsedQuery) -> bool:
        """Whether the counts of a search reaching every candidacy read its hits by
        walking ``grouped_entries`` (the entries in the order the counts group them),
        each entry kept if the match has it, rather than reading the matches and sorting
        them: where ``query`` may match most of the entries."""
        return False

    def listed(self, match_sql: str) -> str | None:
        """One row: the latest generation (``columns.LATEST_GENERATION``) and the ids of
        ``match_sql``'s entries as text, comma-separated, read in one statement; None
        where the vendor counts its hits in SQL (``search.backends.columns``)."""
        return None

    def ranked_apart(self, cursor, query: ParsedQuery, hits: int, ids_sql: str, params: list):
        """The ``hits`` entries of ``ids_sql`` (``SELECT id …``, ``params`` bound), a search
        within a few candidacies, as (id, score) best first where the vendor's ranking
        function costs more than ranking them here; None where the SQL ranks (here)."""
        return None

    @abstractmethod
    def matched(
        self,
        query: ParsedQuery,
        *,
        ranked: bool = True,
        candidacy_ids: list[int] | None = None,
    ) -> tuple[str, list]:
        """``SELECT id, score FROM …``: the entries matching ``query``, a higher score
        ranking first (``ranked``; otherwise every score is 0: counting needs none);
        parameters bound, never formatted into the SQL. ``candidacy_ids``: the scope
        reaches only these candidacies, a vendor may use it to narrow its match early
        (the caller's SQL still applies the scope itself)."""
