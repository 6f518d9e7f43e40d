"""Snippets cut from the ORIGINAL text around the matched words, highlighted with <mark>.

One function for every backend (the database backends call it for the displayed page's
hits only), so that a hit reads the same whatever engine found it, and the highlighted
words are exactly those the French analyser matched (« bulletins » highlighted for a
search of « bulletin »). Safe HTML: every piece of the text is escaped.
"""

from django.utils.html import escape

from search.analysis import terms, tokens
from search.base import ParsedQuery

SNIPPET_CHARS = 240
ELLIPSIS = "…"


def query_terms(query: ParsedQuery) -> frozenset[str]:
    """The stems a hit may have matched (the excluded ones never are)."""
    return frozenset(
        term for group in query.groups for clause in group for term in terms(clause.text)
    )


def _window(found, wanted: frozenset[str], length: int) -> tuple[int, int]:
    """The character span of ``length`` holding the most distinct matched words."""
    matched = [token for token in found if token.term in wanted]
    if not matched:
        return 0, length
    best, best_span = -1, (0, length)
    for index, first in enumerate(matched):
        seen = set()
        for token in matched[index:]:
            if token.end - first.start > length:
                break
            seen.add(token.term)
        if len(seen) > best:
            best, best_span = len(seen), (first.start, first.start + length)
    start, end = best_span
    # Some context before the first match: a third of the room.
    shift = min(start, length // 3)
    return start - shift, end - shift


def snippet(text: str, query: ParsedQuery, *, length: int = SNIPPET_CHARS) -> str:
    text = text or ""
    found = tokens(text)
    wanted = query_terms(query)
    start, end = _window(found, wanted, length)
    start, end = max(start, 0), min(end, len(text))
    # Never cut a word in two.
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    parts = [ELLIPSIS if start > 0 else ""]
    cursor = start
    for token in found:
        if token.start < start or token.end > end or token.term not in wanted:
            continue
        parts.append(escape(text[cursor : token.start]))
        parts.append(f"<mark>{escape(text[token.start : token.end])}</mark>")
        cursor = token.end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return " ".join(("".join(parts)).split())
