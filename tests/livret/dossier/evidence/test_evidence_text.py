"""Reading the text of PDF pages with PDFium (``livret.dossier.evidence.text``), compared
with pypdf on the demo's documents (typeset by WeasyPrint, as the real ones are by payroll
and accounting software): same words, accents, ligatures and reading order."""

import io
import threading
import unicodedata

import pytest
from pypdf import PdfReader
from pypdfium2 import PdfiumError

from demo.content.maree_basse import EVIDENCE
from demo.documents import render_document
from livret.dossier.evidence import text as text_module
from livret.dossier.evidence.text import (
    clean,
    failure_reason,
    join_parts,
    read_page_part,
    read_page_texts,
)
from tests.pdf_samples import text_pdf

LIGATURES = "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"


@pytest.fixture(scope="module")
def documents():
    """The demo's documents, rendered once: a payslip, a budget, a cash plan, a
    certificate…, each as bytes."""
    return {evidence.key: render_document(evidence) for evidence in EVIDENCE}


def words(text: str) -> list[str]:
    return text.split()


def test_pdfium_reads_the_same_words_in_the_same_order_as_pypdf(documents):
    assert len(documents) >= 5
    for key, data in documents.items():
        ours, failures = read_page_texts(io.BytesIO(data))
        reference = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
        assert failures == [], key
        assert len(ours) == len(reference), key
        for page, (mine, theirs) in enumerate(zip(ours, reference, strict=True), start=1):
            assert words(mine), (key, page)
            assert words(mine) == words(theirs), (key, page)


def test_accents_amounts_and_ligatures_come_out_as_text(documents):
    text = "\n".join(t for data in documents.values() for t in read_page_texts(io.BytesIO(data))[0])
    for expected in ("Bulletin de paie", "électricien", "Congés Spectacles", "« Marée basse »"):
        assert expected in text
    # Amounts keep their no-break spaces and the euro sign; « fi » is two letters, never
    # the ligature glyph a search would miss.
    assert "1\xa0235,52\xa0€" in text
    assert "fictif" in text
    assert not set(LIGATURES) & set(text)
    assert all(unicodedata.category(c) != "Cc" for c in text if c not in "\n\t")


def test_a_hyphen_at_a_line_end_stays_as_printed():
    data = text_pdf(["Les frais sont per-\nmis pour les salariés.\nCœur, « guillemets »"])
    (text,), failures = read_page_texts(io.BytesIO(data))
    assert failures == []
    assert text == "Les frais sont per-\nmis pour les salariés.\nCœur, « guillemets »"


def test_clean_keeps_printable_text_and_line_feeds():
    assert clean("a\r\nb\rc\x00d\x07e\tf\ufffeg\uffff") == "a\nb\ncde\tf-\ng"


def test_a_path_and_a_file_object_read_alike(tmp_path):
    data = text_pdf(["première page", "deuxième page"])
    path = tmp_path / "piece.pdf"
    path.write_bytes(data)
    assert read_page_texts(path) == read_page_texts(io.BytesIO(data))
    assert read_page_texts(str(path))[0] == ["première page", "deuxième page"]


def test_a_file_that_is_not_a_pdf_raises_with_a_reason():
    with pytest.raises(PdfiumError) as caught:
        read_page_texts(io.BytesIO(b"%PDF-1.4\nrien d'autre"))
    assert failure_reason(caught.value)


def test_threads_take_turns_and_each_gets_its_own_text():
    # PDFium must never run in two threads at once (it would crash the process, not
    # raise): the lock makes concurrent extractions safe and each keeps its own pages.
    pdfs = {n: text_pdf([f"document {n}, page {p}" for p in range(1, 21)]) for n in range(6)}
    results, errors = {}, []

    def read(number):
        try:
            results[number] = read_page_texts(io.BytesIO(pdfs[number]))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(n,)) for n in pdfs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for number, (texts, failures) in results.items():
        assert failures == []
        assert texts == [f"document {number}, page {p}" for p in range(1, 21)]


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_shares_read_apart_join_into_the_whole_document(parts, monkeypatch):
    """Several boxes read one document, each a share of its pages (issue 11): joined, the
    shares are the document's pages in order, with the failed pages in page order; more
    shares than pages leave the extra ones empty."""
    pages = [f"page {number} : « Marée basse », état n° {number}" for number in range(1, 6)]
    data = text_pdf(pages)
    read_page = text_module._page_text

    def fail_on_even_pages(document, index):
        if index % 2 == 1:
            raise ValueError(f"page {index + 1} endommagée")
        return read_page(document, index)

    monkeypatch.setattr(text_module, "_page_text", fail_on_even_pages)
    shares = [read_page_part(io.BytesIO(data), part, parts) for part in range(parts)]
    assert [len(share_texts) for share_texts, _ in shares] == [
        len(range(part, 5, parts)) for part in range(parts)
    ]
    texts, failures = join_parts(shares)
    assert texts == [pages[0], "", pages[2], "", pages[4]]
    assert [number for number, _reason in failures] == [2, 4]
    assert failures[0][1] == "ValueError: page 2 endommagée"
    assert (texts, failures) == read_page_texts(io.BytesIO(data))
