"""Figures for the evidence box (issue 12): the issue's two hostile PDFs at full size, and
what the box costs a genuine 300-page file.

Run with ``make bench``; prints its figures and asserts no timing. For each hostile file:
its size, the time until the piece is « échec » with the default limits, and the peak
resident memory of this process (the worker) during it, from ``VmHWM`` reset just
before (``/proc/self/clear_refs``), so that building the file does not count. Then the
realistic 300-page file, read in this process (before the box) and through the box.
"""

import resource
import statistics
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from livret.dossier.evidence import box, inspection, tasks
from livret.dossier.evidence.text import read_page_texts
from livret.enums import ExtractionStatus, FileType
from livret.models import Evidence
from tests.benchmarks.realistic_pdf import PAGES, realistic_pdf
from tests.factories import CandidacyFactory
from tests.livret.dossier.evidence.support import upload_service
from tests.pdf_samples import form_bomb_pdf, shared_stream_pdf
from vae.enums import CandidacyState

KB = 1024
MB = 1024 * 1024
# The upload alone: its extraction is timed on its own below.
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def row(label, value):
    print(f"{label:<58} {value}")


def reset_peak() -> None:
    # Linux ≥ 4.0: "5" resets the process's peak resident set size (VmHWM).
    Path("/proc/self/clear_refs").write_text("5")


def status_mb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) // 1024
    raise KeyError(key)


def children_peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("label", "build"),
    [
        ("form XObject of 1.5 M tokens drawn 5,000 times", lambda: form_bomb_pdf(1_500_000, 5_000)),
        ("60 pages sharing one stream of 70 MB", lambda: shared_stream_pdf(60, 70_000_000)),
    ],
)
def test_hostile_pdf_figures(referentiel, label, build):
    data = build()
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    print()
    row(label, f"{len(data) / KB:8.0f} KB")
    reset_peak()
    before = status_mb("VmHWM")
    start = time.perf_counter()
    with override_settings(TASKS=DUMMY_TASKS):
        evidence = upload_service(candidacy, data).evidence
    row("  upload with its checks (pypdf, in the box)", f"{time.perf_counter() - start:8.2f} s")
    start = time.perf_counter()
    status = tasks.extract(evidence.pk)
    elapsed = time.perf_counter() - start
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert status == ExtractionStatus.FAILED
    row(
        f"  time to « échec » (limits {settings.VAE_EVIDENCE_EXTRACT_SECONDS:g} s, "
        f"{settings.VAE_EVIDENCE_BOX_MEMORY_MB} MB)",
        f"{elapsed:8.2f} s",
    )
    row("  reason", evidence.extraction_error[:60] + "…")
    row(
        "  worker's peak RSS during upload + extraction",
        f"{status_mb('VmHWM')} MB (was {before} MB; grew {status_mb('VmHWM') - before} MB)",
    )
    row("  largest child's peak RSS (inherited pages included)", f"{children_peak_mb()} MB")


@pytest.mark.django_db
def test_box_overhead_on_a_genuine_file(referentiel):
    path = realistic_pdf()
    data = path.read_bytes()
    print()
    row("real-text PDF", f"{len(data) / MB:8.2f} MB, {PAGES} pages")
    limits = box.BoxLimits.for_extraction()

    def median(function, runs=3) -> float:
        timings = []
        for _run in range(runs):
            start = time.perf_counter()
            function()
            timings.append(time.perf_counter() - start)
        return statistics.median(timings)

    before = median(lambda: read_page_texts(path))
    after = median(lambda: box.run(read_page_texts, path, limits=limits))
    texts, failures = box.run(read_page_texts, path, limits=limits)
    assert (len(texts), failures) == (PAGES, [])
    row("  extraction in this process (before), median of 3", f"{1000 * before:8.0f} ms")
    row("  extraction through the box (after), median of 3", f"{1000 * after:8.0f} ms")
    row("  box overhead", f"{1000 * (after - before):8.0f} ms ({after / before - 1:+.0%})")

    tail = data[-1024:]
    pdf_limits = inspection.Limits.from_settings()

    def check_in_box():
        inspection._check_in_box(path, FileType.PDF, data[:64], tail, pdf_limits)

    # First without pypdf in this process, as in a web worker: each child imports it
    # (unless another benchmark module imported it: run this file alone for that figure).
    cold_label = (
        "  upload checks through the box, pypdf imported by the child"
        if "pypdf" not in sys.modules
        else "  upload checks through the box (pypdf was already imported)"
    )
    cold = median(check_in_box)
    before = median(lambda: inspection._check_pdf(path, tail, pdf_limits.max_pages))
    warm = median(check_in_box)
    row("  upload checks in this process (before), median of 3", f"{1000 * before:8.0f} ms")
    row(cold_label, f"{1000 * cold:8.0f} ms")
    row("  upload checks through the box, pypdf already imported", f"{1000 * warm:8.0f} ms")
    row("  largest child's peak RSS (inherited pages included)", f"{children_peak_mb()} MB")
