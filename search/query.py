"""The search box's syntax, websearch style, read into a ``ParsedQuery``; never an error.

- words: all required (« paie intermittents »);
- ``"plan de trésorerie"`` (or « … »): the words in this order;
- ``-devis``, ``-"note de frais"``: without these;
- ``OR`` between two words or phrases: either.

A clause of several words (a phrase, a synonym's expansion, a hyphenated word) matches as
a phrase. Each clause's group also holds the clause's synonyms (``search.synonyms``), so
that every backend searches the same expanded query. Words typed without quotes that
spell a synonym of several words (« credit d'impot » for « crédit d'impôt » ⇔ « C2I »)
each get that synonym's other forms in their group: the words are still all required,
anywhere, and a text holding one of the other forms instead is found too. The longest
such run of words first, compared analysed (stop words and accents left aside), never
across an ``OR``, an exclusion or a quoted phrase. Unreadable syntax (unbalanced
quotes, a lone ``-``, a dangling ``OR``, nothing but exclusions or stop words) is read as
plain words instead, with ``fell_back`` set so the page can say so.
"""

import re
from dataclasses import dataclass

from search.analysis import analysed
from search.base import Clause, ParsedQuery
from search.synonyms import equivalents, longest_terms, table

MAX_QUERY_CHARS = 500
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})
_PIECE = re.compile(r'-?"[^"]*"|\S+')


class _Unreadable(Exception):
    pass


@dataclass
class _Group:
    clauses: list[Clause]
    # A lone word typed without quotes: where it is in the text, and the run of such words
    # it belongs to (only stop words between them), within which a synonym may be spelled.
    span: tuple[int, int] | None = None
    run: int = 0


def _clause(text: str, *, phrase: bool = False) -> Clause | None:
    text = " ".join(text.split())
    if not analysed(text):  # only stop words or punctuation
        return None
    return Clause(text, phrase=phrase or len(analysed(text).split()) > 1)


def _with_synonyms(clauses: list[Clause], spelled: str = "") -> tuple[Clause, ...]:
    """The clauses and their synonyms, each once; ``spelled``: the analysed synonym the
    group's word is part of (its forms are there already; it is not added again)."""
    group: list[Clause] = []
    seen: set[str] = {spelled} if spelled else set()
    for clause in clauses:
        for candidate in (clause, *(_clause(form) for form in equivalents(clause.text))):
            if candidate is not None and analysed(candidate.text) not in seen:
                seen.add(analysed(candidate.text))
                group.append(candidate)
    return tuple(group)


def _read(raw: str) -> tuple[list[_Group], list[Clause]]:
    if raw.count('"') % 2:
        raise _Unreadable("unbalanced quotes")
    groups: list[_Group] = []
    excluded: list[Clause] = []
    joining = False
    run = 0
    for match in _PIECE.finditer(raw):
        piece = match.group()
        if piece == "OR":
            if joining or not groups:
                raise _Unreadable("dangling OR")
            joining = True
            groups[-1].span = None
            run += 1
            continue
        negated = piece.startswith("-")
        body = piece[1:] if negated else piece
        if not body or body == '""':
            raise _Unreadable("lone - or empty phrase")
        phrase = body.startswith('"')
        clause = _clause(body.strip('"') if phrase else body, phrase=phrase)
        if negated or phrase:
            run += 1
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
            groups[-1].clauses.append(clause)
            joining = False
        else:
            span = None if clause.phrase else match.span()
            groups.append(_Group([clause], span, run))
    if joining:
        raise _Unreadable("dangling OR")
    if not groups:
        raise _Unreadable("nothing to look for")
    return groups, excluded


def _plain(raw: str) -> list[_Group]:
    groups = []
    for match in re.finditer(r"[^\s\"]+", raw):
        word = match.group()
        if word == "OR":
            continue
        start = match.start() + len(word) - len(word.lstrip("-"))
        clause = _clause(word.lstrip("-"))
        if clause is not None:
            span = None if clause.phrase else (start, match.end())
            groups.append(_Group([clause], span))
    return groups


def _spelled_synonyms(raw: str, groups: list[_Group]) -> list[tuple[list[Clause], str]]:
    """The groups' clauses; each run of lone words that spells a form of the synonym list
    (the longest first) has the other forms added to each of its words' groups: a text
    with the words anywhere is found as before, and a text with a synonym alone too.
    With each group, the analysed form its word spells part of ("" when none)."""
    known, longest = table(), longest_terms()
    clauses = [(list(group.clauses), "") for group in groups]
    index = 0
    while index < len(groups):
        group, spelled = groups[index], 0
        if group.span is not None:
            for end in range(min(len(groups), index + longest) - 1, index, -1):
                run = groups[index : end + 1]
                if any(g.span is None or g.run != group.run for g in run):
                    continue
                text = raw[group.span[0] : groups[end].span[1]]
                key = analysed(text)
                if key in known:
                    forms = [form for form in map(_clause, known[key]) if form is not None]
                    for place in range(index, end + 1):
                        clauses[place] = (clauses[place][0] + forms, key)
                    spelled = end + 1 - index
                    break
        index += spelled or 1
    return clauses


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
        groups=tuple(
            _with_synonyms(clauses, spelled) for clauses, spelled in _spelled_synonyms(text, groups)
        ),
        excluded=tuple(excluded),
        fell_back=fell_back,
    )
