"""Snippets cut from the ORIGINAL text around the matched words, highlighted with <mark>.

One function for every backend (the database backends call it for the displayed page's
hits only), so that a hit reads the same whatever engine found it, and the highlighted
words are exactly those the French analyser matched (« bulletins » highlighted for a
search of « bulletin »). Safe HTML: every piece of the text is escaped.
"""

from django.utils.html import escape

from search.analysis import matches, terms
from search.base import ParsedQuery

SNIPPET_CHARS = 240
ELLIPSIS = "…"


def query_terms(query: ParsedQuery) -> frozenset[str]:
    """The stems a hit may have matched (the excluded ones never are)."""
    return frozenset(
        term for group in query.groups for clause in group for term in terms(clause.text)
    )


def _window(matched, length: int) -> tuple[int, int]:
    """The character span of ``length`` holding the most distinct matched words."""
    if not matched:
        return 0, length
    best, best_start = -1, 0
    for index, first in enumerate(matched):
        seen = set()
        for token in matched[index:]:
            if token.end - first.start > length:
                break
            seen.add(token.term)
        if len(seen) > best:
            best, best_start = len(seen), first.start
    # Some context before the first match: a third of the room.
    start = best_start - min(best_start, length // 3)
    return start, start + length


def snippet(text: str, query: ParsedQuery, *, length: int = SNIPPET_CHARS) -> str:
    text = text or ""
    wanted = query_terms(query)
    # Reading stops once as many distinct words as the query has groups were seen: the
    # snippet of a long page costs its first matches, not the whole page.
    start, end = _window(matches(text, wanted, enough=len(query.groups)), length)
    start, end = max(start, 0), min(end, len(text))
    # Never cut a word in two.
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    part = text[start:end]
    pieces = [ELLIPSIS if start > 0 else ""]
    cursor = 0
    for token in matches(part, wanted):
        pieces.append(escape(part[cursor : token.start]))
        pieces.append(f"<mark>{escape(part[token.start : token.end])}</mark>")
        cursor = token.end
    pieces.append(escape(part[cursor:]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return " ".join("".join(pieces).split())
