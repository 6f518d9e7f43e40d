"""Figures for evidence files: upload of a file at the limits, then its text extraction.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a test).
Targets: the upload answers in under 1 s (the checks count pages but extract no text),
the extraction's peak memory stays under 300 MB.

Memory is measured with ``tracemalloc`` around the extraction alone, in a separate run from
the timed one (tracing slows Python down). It counts every allocation made through Python's
allocator — pypdf is pure Python, and the bytes it reads and inflates are Python objects —
but not the interpreter's baseline nor memory held by C libraries outside it. The process's
``ru_maxrss`` is printed too, for context only: it is a high-water mark of the whole test
process (which also built the 20 MB file and holds the test client's request), so it can
only over-state the extraction's share.
"""

import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from pypdf import PdfReader

from livret.dossier.evidence import tasks
from livret.dossier.evidence.services import delete_evidence, upload_evidence
from livret.dossier.evidence.text import read_page_texts
from livret.enums import EvidenceKind, ExtractionStatus
from livret.models import Evidence
from tests.accounts import log_in
from tests.benchmarks.realistic_pdf import PAGES, realistic_pdf
from tests.factories import CandidacyFactory
from tests.pdf_samples import heavy_pdf, text_pdf
from vae.enums import CandidacyState

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MB = 1024 * 1024


def row(label, value):
    print(f"{label:<55} {value}")


def ms(seconds: float) -> str:
    return f"{1000 * seconds:6.0f} ms"


def max_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.django_db(transaction=True)
def test_evidence_figures(referentiel, client):
    pages = settings.VAE_EVIDENCE_MAX_PAGES
    limit = settings.VAE_EVIDENCE_MAX_BYTES
    # Leave room for the PDF structure: just under the size limit.
    per_page = (limit - 200 * 1024) // pages
    start = time.perf_counter()
    data = heavy_pdf(pages, per_page)
    print()
    row("build the PDF", ms(time.perf_counter() - start))
    row("PDF size / limit", f"{len(data) / MB:8.2f} MB / {limit / MB:.0f} MB, {pages} pages")
    assert len(data) <= limit

    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    log_in(client, candidacy.candidate)
    upload_url = reverse("livret:evidence_upload", kwargs={"candidacy_pk": candidacy.pk})

    # The body is encoded beforehand (the browser's work): the timing is the server's,
    # from the raw request to the redirect (multipart parsing, checks, save, commit).
    body = encode_multipart(
        BOUNDARY,
        {
            "title": "Bulletins de paie 2019-2024",
            "kind": EvidenceKind.PAYSLIP,
            "file": SimpleUploadedFile("bulletins.pdf", data, "application/pdf"),
        },
    )
    with override_settings(TASKS=DUMMY_TASKS):
        # The dummy backend only records the task: the request never extracts text.
        # A first small upload warms up imports, templates and URL resolution.
        first = time.perf_counter()
        warm = client.post(
            upload_url,
            {
                "title": "Échauffement",
                "kind": EvidenceKind.OTHER,
                "file": SimpleUploadedFile("petit.pdf", text_pdf(["petit"]), "application/pdf"),
            },
        )
        row("first request (cold: imports, templates)", f"{ms(time.perf_counter() - first)}")
        assert warm.status_code == 302
        timings = []
        for _run in range(3):
            for previous in Evidence.objects.filter(dossier=candidacy.dossier, page_count=pages):
                delete_evidence(evidence=previous, by=candidacy.candidate)
            start = time.perf_counter()
            response = client.generic("POST", upload_url, body, content_type=MULTIPART_CONTENT)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 302, response.content[:2000]
    evidence = Evidence.objects.get(dossier__candidacy=candidacy, page_count=pages)
    assert evidence.extraction_status == ExtractionStatus.PENDING
    row(
        "upload request of the 20 MB PDF, server side (< 1 s)",
        f"{ms(statistics.median(timings))} median, {ms(max(timings))} max (3 runs)",
    )

    # The same checks and save without the test client's own encoding of the body.
    with override_settings(TASKS=DUMMY_TASKS):
        for traced in (False, True):
            delete_evidence(evidence=evidence, by=candidacy.candidate)
            uploaded = SimpleUploadedFile("bulletins.pdf", data, "application/pdf")
            if traced:
                tracemalloc.start()
            start = time.perf_counter()
            evidence = upload_evidence(
                dossier=candidacy.dossier,
                by=candidacy.candidate,
                uploaded=uploaded,
                title="Bulletins de paie 2019-2024",
                kind=EvidenceKind.PAYSLIP,
            ).evidence
            elapsed = time.perf_counter() - start
            if traced:
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                row("  its peak Python memory, beyond the upload itself", f"{peak / MB:8.1f} MB")
            else:
                row("upload_evidence service alone (checks + save)", ms(elapsed))

    # Leave no 20 MB file behind in the test media folder.
    delete_evidence(evidence=evidence, by=candidacy.candidate)


@pytest.mark.django_db(transaction=True)
def test_extraction_figures(referentiel, client):
    """A 300-page real-text PDF (about 350 words a page): upload with the development
    backend (extraction in the request), then the extraction alone, against pypdf (the
    previous extractor) and poppler's ``pdftotext`` (when installed) on the same file."""
    path = realistic_pdf()
    data = path.read_bytes()
    print()
    row("real-text PDF", f"{len(data) / MB:8.2f} MB, {PAGES} pages (var/bench/)")
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    log_in(client, candidacy.candidate)
    upload_url = reverse("livret:evidence_upload", kwargs={"candidacy_pk": candidacy.pk})
    body = encode_multipart(
        BOUNDARY,
        {
            "title": "États de dépenses",
            "kind": EvidenceKind.OTHER,
            "file": SimpleUploadedFile("etats.pdf", data, "application/pdf"),
        },
    )
    timings = []
    with override_settings(TASKS=IMMEDIATE_TASKS):
        for _run in range(3):
            for previous in Evidence.objects.filter(dossier=candidacy.dossier):
                delete_evidence(evidence=previous, by=candidacy.candidate)
            start = time.perf_counter()
            response = client.generic("POST", upload_url, body, content_type=MULTIPART_CONTENT)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 302, response.content[:2000]
    evidence = Evidence.objects.get(dossier=candidacy.dossier)
    assert evidence.extraction_status == ExtractionStatus.READY
    row(
        "upload + extraction in the request (development, ~1 s)",
        f"{ms(statistics.median(timings))} median (3 runs)",
    )

    timings = []
    for _run in range(3):
        start = time.perf_counter()
        assert tasks.extract(evidence.pk) == ExtractionStatus.READY
        timings.append(time.perf_counter() - start)
    ours = PAGES / statistics.median(timings)
    words = sum(len(page.text.split()) for page in evidence.pages.all())
    row(
        f"extraction task, PDFium, {settings.VAE_EVIDENCE_EXTRACT_PROCESSES} box(es) (3 runs)",
        f"{ms(statistics.median(timings))} median  ({ours:.0f} pages/s)",
    )
    row("  words read", f"{words / PAGES:8.0f} a page")
    # The reading alone in one process, without storing the pages: PDFium's own speed
    # against poppler's, core for core.
    timings = []
    for _run in range(3):
        start = time.perf_counter()
        texts, failures = read_page_texts(path)
        timings.append(time.perf_counter() - start)
        assert (len(texts), failures) == (PAGES, [])
    reading = PAGES / statistics.median(timings)
    row(
        "  PDFium's reading in one process (3 runs)",
        f"{ms(statistics.median(timings))} median  ({reading:.0f} pages/s)",
    )

    start = time.perf_counter()
    with path.open("rb") as stream:
        reference = [page.extract_text() or "" for page in PdfReader(stream).pages]
    elapsed = time.perf_counter() - start
    assert len(reference) == PAGES
    row(
        "pypdf on the same file, before (1 run)",
        f"{ms(elapsed)}        ({PAGES / elapsed:.0f} pages/s)",
    )

    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        timings = []
        for _run in range(3):
            start = time.perf_counter()
            subprocess.run(
                [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
            )
            timings.append(time.perf_counter() - start)
        anchor = PAGES / statistics.median(timings)
        row(
            "pdftotext, anchor (3 runs)",
            f"{ms(statistics.median(timings))} median  ({anchor:.0f} pages/s)",
        )
        row("  task / pdftotext (target >= 0.8)", f"{ours / anchor:8.2f}")
        row("  PDFium's reading in one process / pdftotext", f"{reading / anchor:8.2f}")
    else:
        row("pdftotext, anchor", "not installed (apt-get install poppler-utils)")

    # The same reading in a fresh process, for its real resident memory (C allocations
    # included): the peak RSS (VmHWM: unlike ru_maxrss it is not inherited across
    # fork/exec) after the imports, then after reading every page as the task does.
    script = (
        "import sys\n"
        "from livret.dossier.evidence.text import read_page_texts\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) // 1024\n"
        "base = hwm()\n"
        "texts, failures = read_page_texts(sys.argv[1])\n"
        "print(base, hwm(), len(texts), len(failures))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    base, peak, read, failed = result.stdout.split()
    assert (int(read), int(failed)) == (PAGES, 0)
    row(
        "extraction in a fresh process, max RSS (target < 150 MB)",
        f"{peak} MB  ({base} MB after imports, +{int(peak) - int(base)} MB)",
    )
    delete_evidence(evidence=evidence, by=candidacy.candidate)
