"""The search box's syntax, websearch style, read into a ``ParsedQuery``; never an error.

- words: all required (« paie intermittents »);
- ``"plan de trésorerie"`` (or « … »): the words in this order;
- ``-devis``, ``-"note de frais"``: without these;
- ``OR`` between two words or phrases: either.

A clause of several words (a phrase, a synonym's expansion, a hyphenated word) matches as
a phrase. Each clause's group also holds the clause's synonyms (``search.synonyms``), so
that every backend searches the same expanded query. Unreadable syntax (unbalanced
quotes, a lone ``-``, a dangling ``OR``, nothing but exclusions or stop words) is read as
plain words instead, with ``fell_back`` set so the page can say so.
"""

import re

from search.analysis import analysed
from search.base import Clause, ParsedQuery
from search.synonyms import equivalents

MAX_QUERY_CHARS = 500
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})
_PIECE = re.compile(r'-?"[^"]*"|\S+')


class _Unreadable(Exception):
    pass


def _clause(text: str, *, phrase: bool = False) -> Clause | None:
    text = " ".join(text.split())
    if not analysed(text):  # only stop words or punctuation
        return None
    return Clause(text, phrase=phrase or len(analysed(text).split()) > 1)


def _with_synonyms(clauses: list[Clause]) -> tuple[Clause, ...]:
    group: list[Clause] = []
    seen: set[str] = set()
    for clause in clauses:
        for candidate in (clause, *(_clause(form) for form in equivalents(clause.text))):
            if candidate is not None and analysed(candidate.text) not in seen:
                seen.add(analysed(candidate.text))
                group.append(candidate)
    return tuple(group)


def _read(raw: str) -> tuple[list[list[Clause]], list[Clause]]:
    if raw.count('"') % 2:
        raise _Unreadable("unbalanced quotes")
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    joining = False
    for piece in _PIECE.findall(raw):
        if piece == "OR":
            if joining or not groups:
                raise _Unreadable("dangling OR")
            joining = True
            continue
        negated = piece.startswith("-")
        body = piece[1:] if negated else piece
        if not body or body == '""':
            raise _Unreadable("lone - or empty phrase")
        phrase = body.startswith('"')
        clause = _clause(body.strip('"') if phrase else body, phrase=phrase)
        if negated:
            if joining:
                raise _Unreadable("OR before an exclusion")
            if clause is not None:
                excluded.append(clause)
            continue
        if clause is None:  # a stop word: it never reaches the index
            if joining:
                joining = False
            continue
        if joining:
            groups[-1].append(clause)
            joining = False
        else:
            groups.append([clause])
    if joining:
        raise _Unreadable("dangling OR")
    if not groups:
        raise _Unreadable("nothing to look for")
    return groups, excluded


def _plain(raw: str) -> list[list[Clause]]:
    words = raw.replace('"', " ").split()
    clauses = (_clause(word.lstrip("-")) for word in words if word != "OR")
    return [[clause] for clause in clauses if clause is not None]


def parse(raw: str) -> ParsedQuery:
    # Control characters (a NUL byte) are no words, and PostgreSQL refuses them in a text.
    raw = "".join(c for c in (raw or "")[:MAX_QUERY_CHARS] if c.isprintable() or c.isspace())
    text = raw.translate(_QUOTES)
    fell_back = False
    try:
        groups, excluded = _read(text)
    except _Unreadable:
        groups, excluded, fell_back = _plain(text), [], bool(text.strip())
    return ParsedQuery(
        raw=raw,
        groups=tuple(_with_synonyms(group) for group in groups),
        excluded=tuple(excluded),
        fell_back=fell_back,
    )
