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
from dataclasses import dataclass

import Stemmer

# A word: letters and digits (no underscore), possibly joined by an apostrophe that is
# handled as an elision below.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
APOSTROPHES = "'’ʼ‘"  # straight, curly (U+2019), modifier letter, left quote (typed by mistake)

ELISIONS = frozenset(
    {"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)

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


@dataclass(frozen=True)
class Token:
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
    """The stem of one word as written, "" for a stop word. Cached on the word as it is
    written: a corpus repeats its words, and folding is the costly step."""
    folded = fold(word)
    return "" if folded in STOP_WORDS else _stemmer().stemWord(folded)


def _is_elided(text: str, word: str, end: int) -> bool:
    """``word`` is followed by an apostrophe and another word: « l'URSSAF »."""
    return (
        end + 1 < len(text)
        and text[end] in APOSTROPHES
        and text[end + 1].isalnum()
        and fold(word) in ELISIONS
    )


def tokens(text: str) -> list[Token]:
    """The analysed tokens of ``text``, each with its place in ``text``."""
    found = []
    for match in _WORD.finditer(text or ""):
        word = match.group()
        end = match.end()
        if end < len(text) and text[end] in APOSTROPHES and _is_elided(text, word, end):
            continue
        term = _term(word)
        if term:
            found.append(Token(term, match.start(), end, len(found)))
    return found


def terms(text: str) -> list[str]:
    """The stems of ``text``, in order (duplicates kept: phrases and ranking need them).
    ``tokens`` without the offsets: the indexing path, kept lean."""
    text = text or ""
    found = []
    length = len(text)
    for match in _WORD.finditer(text):
        end = match.end()
        if end < length and text[end] in APOSTROPHES and _is_elided(text, match.group(), end):
            continue
        term = _term(match.group())
        if term:
            found.append(term)
    return found


def analysed(text: str) -> str:
    """The stems joined by spaces: what the SQLite index is fed with."""
    return " ".join(terms(text))
