"""The text of a PDF's pages, read with PDFium (pypdfium2) for the evaluators and search.

PDFium is the engine of Chromium's viewer, compiled into the pypdfium2 wheel (no system
package): it reads a real-text page 20 to 40 times faster than pure-Python pypdf, in a
bounded amount of memory, and gives the same text on our documents (accents, ligatures,
reading order: compared in ``tests/livret/dossier/evidence/test_evidence_text.py``).
pypdf keeps the structural checks at upload (``inspection``), where it is the better tool.

PDFium is not thread-safe: no two of its calls may run at the same time in one process,
even on different documents (a crash, not an exception). The tasks run this in the box
(``box``), a child process of its own for each piece; one lock still guards every use
here, for callers in the same process (tests, benchmarks).

What it returns is small and plain (it crosses the box's pipe): the pages' text, at most
``MAX_PAGE_CHARS`` characters a page, and the failed pages with the technical reason,
which is logged and never shown (``extraction.failures_text`` says it in French).
"""

import os
import re
import threading

# The reason of a failed page, as logged: long enough to name the defect, no more.
REASON_MAX_CHARS = 300

# A dense A4 page in a small font holds about 10,000 characters. A page claiming far more
# is a construction (the same text drawn thousands of times), not something an evaluator
# reads: its text is not kept, so that 300 of them cannot fill the worker's memory.
MAX_PAGE_CHARS = 100_000

_PDFIUM = threading.Lock()

# PDFium ends lines with CR LF, and where a line ends with a hyphen it joins the two lines
# and puts U+FFFE (a non-character) for the hyphen: « per\ufffemise ». The stored text
# shows the page as printed (« per-⏎mise », as pypdf and pdftotext give it), with plain
# line feeds and no control characters.
_LINE_ENDS = re.compile(r"\r\n?")
_HYPHEN_MARK = "\ufffe"
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\uffff]")


class PageTooLong(Exception):
    """A page whose text is beyond ``MAX_PAGE_CHARS``."""


def failure_reason(exc: BaseException) -> str:
    """An exception as a short technical reason, for the log: its type and message on
    one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:REASON_MAX_CHARS] if text else type(exc).__name__


def clean(text: str) -> str:
    """PDFium's text as stored: line feeds, the hyphen and line end it marked, no control
    characters."""
    text = _LINE_ENDS.sub("\n", text).replace(_HYPHEN_MARK, "-\n")
    return _UNPRINTABLE.sub("", text)


def read_page_texts(source) -> tuple[list[str], list[tuple[int, str]]]:
    """The text of every page of the PDF ``source`` (a path, or a binary file object with
    ``seek``, ``tell`` and ``readinto``), and the pages whose text could not be read, as
    (page number, reason).

    A page that fails keeps an empty text and the others go on: the readable pages stay
    searchable and selectable by the evaluators instead of being lost with the one bad
    page, while the piece is marked failed with that page named, so that nobody takes its
    text for complete. A file that cannot be opened at all raises.

    One page is open at a time, and closed before the next: memory stays that of the
    largest page, whatever the page count.
    """
    return read_page_part(source, 0, 1)


def read_page_part(source, part: int, parts: int) -> tuple[list[str], list[tuple[int, str]]]:
    """``read_page_texts`` for one share of the pages: those whose index is ``part``
    modulo ``parts`` (every page when ``parts`` is 1), so that several processes can read
    one document at once (``join_parts`` puts the shares back in order).

    Shares are interleaved rather than cut in ranges because the heavy pages of a document
    (tables, scans) come in runs: every process gets its part of them and they end together.
    """
    # Imported here, not with the module: PDFium (10 MB resident) then loads only in the
    # process that extracts — the tasks worker in production — not in every web worker
    # that merely queues the task.
    import pypdfium2 as pdfium

    if isinstance(source, (str, os.PathLike)):
        source = os.fspath(source)
    texts, failures = [], []
    with _PDFIUM:
        document = pdfium.PdfDocument(source)
        try:
            for index in range(part, len(document), parts):
                try:
                    texts.append(_page_text(document, index))
                except Exception as exc:
                    texts.append("")
                    failures.append((index + 1, failure_reason(exc)))
        finally:
            document.close()
    return texts, failures


def join_parts(
    shares: list[tuple[list[str], list[tuple[int, str]]]],
) -> tuple[list[str], list[tuple[int, str]]]:
    """The whole document's pages and failures from the shares ``read_page_part`` read, in
    the order of ``part`` (every share read the same document, hence the same page count)."""
    parts = len(shares)
    texts = [""] * sum(len(share_texts) for share_texts, _ in shares)
    for part, (share_texts, _failures) in enumerate(shares):
        texts[part::parts] = share_texts
    failures = sorted(failure for _texts, share_failures in shares for failure in share_failures)
    return texts, failures


def _page_text(document, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            if textpage.count_chars() > MAX_PAGE_CHARS:
                raise PageTooLong(f"{textpage.count_chars()} characters")
            return clean(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()
