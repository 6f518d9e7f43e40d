"""PostgreSQL: the ``tsv`` column of the entries is generated from their title (weight A)
and text (weight B) with the ``french_unaccent`` configuration (accents folded, then the
French Snowball stemmer: the same steps as ``search.analysis``), GIN-indexed; nothing to
write besides the row. The query is built from the ``ParsedQuery`` (not
``websearch_to_tsquery`` of the raw text) so that the synonyms the parser added are
searched too: each clause a ``phraseto_tsquery``, OR within a group, AND between groups,
AND NOT the exclusions. Ranked by ``ts_rank_cd``.

Snippets: the Python ``search.snippets`` for the displayed hits, not ``ts_headline``: the
same highlighting on every backend, cut from the same original text.
"""

from search.backends.fulltext import ENTRY, FullText
from search.base import ParsedQuery

CONFIG = "french_unaccent"


def _any(clauses, params: list) -> str:
    parts = []
    for clause in clauses:
        parts.append(f"phraseto_tsquery('{CONFIG}', %s)")
        params.append(clause.text)
    return "(" + " || ".join(parts) + ")"


def tsquery(query: ParsedQuery) -> tuple[str, list]:
    params: list = []
    expression = " && ".join(_any(group, params) for group in query.groups)
    if query.excluded:
        expression = f"({expression}) && !!{_any(query.excluded, params)}"
    return expression, params


class PostgreSQLFullText(FullText):
    def matched(self, query, *, ranked=True, candidacy_ids=None):
        expression, params = tsquery(query)
        score = "ts_rank_cd(w.tsv, q.q)" if ranked else "0.0"
        rows = ENTRY
        if candidacy_ids is not None:
            # A few candidacies: their rows first (the candidacy_id index), their words
            # checked then; OFFSET 0 keeps the planner from folding it back into a scan of
            # every hit the GIN index gives for the query.
            rows = (
                f"(SELECT id, tsv FROM {ENTRY} WHERE candidacy_id IN"
                f" ({', '.join(['%s'] * len(candidacy_ids))}) OFFSET 0)"
            )
            params = [*candidacy_ids, *params]
        return (
            f"SELECT w.id, {score} AS score"
            f" FROM {rows} w, (SELECT {expression} AS q) q WHERE w.tsv @@ q.q",
            params,
        )
