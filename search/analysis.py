"""French analysis of a text, the same at index time and at query time (pure, no Django).

Lower case, accents folded, elisions dropped (« l'URSSAF » → « urssaf », straight or
curly apostrophe), French stop words dropped, then Snowball French stemming (PyStemmer).
Accents are folded BEFORE stemming: the stemmer's rules read accents (« salariés » →
« salari » but « salaries » → « salar »), and a query typed without them must meet the
same stem as the accented text.

Each token keeps its character offsets in the original text: the snippet of a hit is cut
from the original text and its matched words highlighted there.
"""

import functools
import re
import unicodedata
from typing import NamedTuple

import Stemmer

APOSTROPHES = "'’ʼ‘"  # straight, curly (U+2019), modifier letter, left quote (typed by mistake)
ELISIONS = frozenset(
    {"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)
# A word: letters and digits (no underscore), with the apostrophe that follows it if any:
# « l' » of « l'URSSAF » is then one word, an elision, that ``_term`` drops (cached like
# any word: the elision costs no Python step per word).
_WORD = re.compile(r"[^\W_]+[" + APOSTROPHES + r"]?")

# Snowball's French stop list (accents folded, as the words are compared folded).
_STOP_WORDS = """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me
meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
tes toi ton tu un une vos votre vous c d j l a m n s t y ete etee etees etes etant etante
etants etantes suis es est sommes etes sont serai seras sera serons serez seront serais
serait serions seriez seraient etais etait etions etiez etaient fus fut fumes futes furent
sois soit soyons soyez soient fusse fusses fut fussions fussiez fussent ayant ayante
ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront
aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eumes eutes
eurent aie aies ait ayons ayez aient eusse eusses eussions eussiez eussent ceci cela
cet cette ici ils les leurs quel quels quelle quelles sans soi
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


class Token(NamedTuple):
    term: str  # the stem, folded: what the index stores and the query looks for
    start: int  # offsets of the word in the original text
    end: int
    position: int  # rank among the kept tokens (phrases are consecutive positions)


def fold(word: str) -> str:
    """Lower case without accents (« Trésorerie » → « tresorerie », « œuvre » → « oeuvre »)."""
    word = word.lower().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


@functools.lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    """The stem of one word as written, "" for a stop word or an elision. Cached on the
    word as it is written: a corpus repeats its words, and folding is the costly step."""
    folded = fold(word)
    if folded[-1] in APOSTROPHES:
        folded = folded[:-1]
        if folded in ELISIONS:
            return ""
    return "" if folded in STOP_WORDS else _stemmer().stemWord(folded)


def _word_end(match) -> int:
    """Where the word ends, its apostrophe left out."""
    end = match.end()
    return end - 1 if match.string[end - 1] in APOSTROPHES else end


def tokens(text: str) -> list[Token]:
    """The analysed tokens of ``text``, each with its place in ``text``."""
    found = []
    for match in _WORD.finditer(text or ""):
        term = _term(match.group())
        if term:
            found.append(Token(term, match.start(), _word_end(match), len(found)))
    return found


def terms(text: str) -> list[str]:
    """The stems of ``text``, in order (duplicates kept: phrases and ranking need them).
    ``tokens`` without the offsets: the indexing path, kept lean."""
    return [term for term in map(_term, _WORD.findall(text or "")) if term]


def matches(text: str, wanted: frozenset[str], *, enough: int = 0) -> list[Token]:
    """The tokens of ``text`` whose stem is ``wanted`` (``position`` is the word's rank
    among all words); stops once ``enough`` distinct stems were seen (0: never)."""
    found, seen = [], set()
    for position, match in enumerate(_WORD.finditer(text or "")):
        term = _term(match.group())
        if term in wanted:
            found.append(Token(term, match.start(), _word_end(match), position))
            seen.add(term)
            if enough and len(seen) >= enough:
                break
    return found


def analysed(text: str) -> str:
    """The stems joined by spaces: what the SQLite index is fed with."""
    return " ".join(terms(text))
