"""Where a search's words are in a text, for the readers that show a text found by a search
(an evidence page opened from a result) with those words highlighted.

The matcher is the search engine's (its French analysis: « tresorerie » marks
« trésorerie », « bulletins » marks « bulletin »); ``search`` registers it from its
``AppConfig.ready()``. Without it, nothing is marked.
"""

from collections.abc import Callable

# (text, the query as typed) -> sorted, non-overlapping (start, end) offsets in ``text``
Matcher = Callable[[str, str], list[tuple[int, int]]]

# The query-string parameter a result link carries its words in.
PARAMETER = "surligner"
# Longer is not a search someone typed: nothing is marked.
MAX_QUERY = 200

_matcher: list[Matcher] = []


def register_matcher(matcher: Matcher) -> None:
    _matcher[:] = [matcher]


def terms_of(query_dict) -> str:
    """The words to highlight as a request's query string carries them ("" for none)."""
    terms = (query_dict.get(PARAMETER) or "").strip()
    return terms if len(terms) <= MAX_QUERY else ""


def find(text: str, terms: str) -> list[tuple[int, int]]:
    if not (text and terms and _matcher):
        return []
    return _matcher[0](text, terms)
