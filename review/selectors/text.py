"""Texts offered for passage selection (a récit, the extracted text of a page).

The browser computes offsets over the text it holds, which is not always the stored text
(HTML turns CR LF into LF, drops NUL), so both directions of that mapping live here, with
the cutting of a text into highlighted segments.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol


class SelectableText:
    """A stored text as the browser's DOM holds it, and the mapping between both offsets.

    Offsets from the browser (``display``) count code points of ``text``; stored links
    count code points of ``raw``. They differ only where HTML parsing changes the text.
    """

    def __init__(self, raw: str):
        self.raw = raw or ""
        if "\r" not in self.raw and "\x00" not in self.raw:
            self.text = self.raw
            self._to_raw = None
            return
        out, to_raw, i = [], [], 0
        while i < len(self.raw):
            char = self.raw[i]
            if char == "\x00":
                i += 1
                continue
            to_raw.append(i)
            if char == "\r":
                out.append("\n")
                i += 2 if self.raw[i + 1 : i + 2] == "\n" else 1
            else:
                out.append(char)
                i += 1
        to_raw.append(len(self.raw))
        self.text = "".join(out)
        self._to_raw = to_raw

    def __len__(self):
        return len(self.text)

    def raw_offset(self, display: int) -> int:
        return display if self._to_raw is None else self._to_raw[display]

    def display_offset(self, raw: int) -> int:
        return raw if self._to_raw is None else bisect_left(self._to_raw, raw)


class Marked(Protocol):
    """A numbered range of a stored text (an evaluator's passage)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    text: str
    # Numbers of this evaluator's passages covering the segment (empty: not marked).
    passages: tuple = ()
    # Words of the search the reader came from (``vae.text_marks``).
    found: bool = False


def segments(
    text: SelectableText, links: Iterable[Marked], found: Iterable[tuple[int, int]] = ()
) -> list[Segment]:
    """Split ``text`` at the links' offsets (and at the searched words ``found``, display
    offsets) so that marked parts become ``<mark>`` and the concatenation of all segments
    is exactly the text the browser counts over."""
    ranges = []
    for link in links:
        start, end = text.display_offset(link.start), text.display_offset(link.end)
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        if start < end:
            ranges.append((start, end, link.number))
    found = [(start, end) for start, end in found if 0 <= start < end <= len(text)]
    if not ranges and not found:
        return [Segment(text.text)] if text.text else []
    bounds = sorted(
        {0, len(text)} | {r[0] for r in (*ranges, *found)} | {r[1] for r in (*ranges, *found)}
    )
    result = []
    for a, b in pairwise(bounds):
        covering = tuple(number for start, end, number in ranges if start <= a and b <= end)
        hit = any(start <= a and b <= end for start, end in found)
        result.append(Segment(text.text[a:b], covering, hit))
    return result


def is_stale(start: int | None, end: int | None, quote: str, raw: str) -> bool:
    """The text changed after the passage was quoted (a dossier returned and edited): its
    offsets no longer point at the quoted words, so it is listed but not highlighted."""
    return raw[start:end] != quote
