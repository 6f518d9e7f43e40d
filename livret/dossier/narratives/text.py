"""The text of a narrative: how it is stored (``clean_text``), counted and timed in French,
and where two versions of it part ways (``difference``). Pure: no database."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from referentiel import french as fr

# Long enough for the most detailed account of an activité, short enough that a pasted
# document by mistake is caught (and the page stays usable).
NARRATIVE_MAX_CHARS = 50_000

# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates (which JSON
# can carry and no database encoding accepts).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """The narrative as it is stored: plain text, newlines as ``\\n``, no control character.

    Raises ``ValidationError`` (French) when it is too long; the caller keeps what was typed.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    if len(text) > NARRATIVE_MAX_CHARS:
        raise ValidationError(
            _(
                "Votre récit compte %(count)s caractères : il ne peut pas dépasser "
                "%(max)s caractères. Raccourcissez-le (votre texte n'a pas été perdu, il est "
                "toujours dans l'éditeur)."
            )
            % {"count": format_count(len(text)), "max": format_count(NARRATIVE_MAX_CHARS)},
            code="too_long",
        )
    return text


def format_count(number: int) -> str:
    """« 12 345 » with the French narrow no-break space between thousands."""
    return fr.integer(number)


def time_label(moment) -> str:
    """« 14 h 32 », in the site's time zone."""
    return fr.time(moment)


@dataclass(frozen=True)
class Difference:
    """Two texts as their common start, each one's differing middle, and their common end:
    enough to highlight where two versions of a récit part ways."""

    start: str
    mine: str
    theirs: str
    end: str


def _word_char(mine, theirs, index_mine, index_theirs) -> bool:
    """Is there a letter or digit at this index of either text (a boundary inside a word)?"""
    return any(
        0 <= index < len(text) and text[index].isalnum()
        for text, index in ((mine, index_mine), (theirs, index_theirs))
    )


def _common_start(a: str, b: str) -> int:
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def difference(mine: str, theirs: str) -> Difference:
    limit = min(len(mine), len(theirs))
    start = _common_start(mine, theirs)
    end = _common_start(mine[::-1], theirs[::-1])
    end = min(end, limit - start)
    # Whole words: « chat » / « chien » highlights both words, not « at » / « ien ».
    while start > 0 and mine[start - 1].isalnum() and _word_char(mine, theirs, start, start):
        start -= 1
    while (
        end > 0
        and mine[len(mine) - end].isalnum()
        and _word_char(mine, theirs, len(mine) - end - 1, len(theirs) - end - 1)
    ):
        end -= 1
    return Difference(
        start=mine[:start],
        mine=mine[start : len(mine) - end],
        theirs=theirs[start : len(theirs) - end],
        end=mine[len(mine) - end :],
    )
