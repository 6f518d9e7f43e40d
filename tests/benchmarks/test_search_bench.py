"""Figures for search: indexing a generated corpus of evidence pages, then queries.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). The corpus: ``VAE_BENCH_SEARCH_PAGES`` pages (5,000 by default; the issue's
100,000 with ``VAE_BENCH_SEARCH_PAGES=100000``, which takes several minutes) of about 220
French words each, drawn with a fixed seed from the demo's own texts (narratives, pieces,
notes: payroll, budgets, cash plans) so that the word frequencies look like the real ones.

Printed, in one run: indexing rate (pages/s, through ``search.indexing.reindex``, i.e.
reading the rows and writing the index) and its peak Python memory (tracemalloc, in a
second run); for rare, two-term, phrase and common-term queries, the median and p95 of
``search.api.search`` in the staff scope and in an evaluator's scope (5 dossiers), and of
the same match on the raw FTS5 table (SQLite) or tsvector column (PostgreSQL) and of an
``icontains`` scan, as anchors,
with the ratios. Targets (issue 15): staff p95 ≤ 1.5× raw FTS5; evaluator p95 < 20 ms;
indexing ≥ 1,000 pages/s; reindex peak memory < 300 MB.
"""

import os
import random
import re
import statistics
import time
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from livret.dossier.services import dossier_for
from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import Evidence, EvidencePage
from review.enums import AssignmentStatus, EvaluatorCategory
from review.models import Assignment
from search import indexing
from search.analysis import analysed
from search.api import search
from search.backends.postgresql import tsquery
from search.backends.sqlite import expression
from search.models import IndexedEntry
from search.query import parse
from tests.factories import CandidacyFactory, UserFactory
from tests.factories.review import EvaluatorFactory
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

PAGES = int(os.environ.get("VAE_BENCH_SEARCH_PAGES", "5000"))
WORDS_PER_PAGE = 220
PAGES_PER_PIECE = 20
PIECES_PER_CANDIDACY = 5
SEED = 15
RUNS = 20
CONTENT = Path(__file__).resolve().parents[2] / "demo" / "content"

QUERIES = {
    "rare": ["intermittents", "DPAE", "Péplum", "échéancier", "conventions"],
    "two-term": ["paie janvier", "budget tournage", "cotisations URSSAF", "coût réel"],
    "phrase": ['"plan de trésorerie"', '"bulletin de paie"', '"coût définitif"'],
    "common": ["production", "film", "budget", "paie"],
}


def vocabulary() -> list[str]:
    """The words of the demo's texts, with their repetitions (the frequencies)."""
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(CONTENT.glob("*.py")))
    strings = " ".join(re.findall(r'"([^"\n]{20,})"', text))
    return re.findall(r"[A-Za-zÀ-ÿœŒ’']{2,}", strings)


def page_text(rng: random.Random, words: list[str]) -> str:
    # Runs of consecutive words from the demo's texts: phrases occur as in real pages.
    picked = []
    while len(picked) < WORDS_PER_PAGE:
        start = rng.randrange(len(words) - 12)
        picked += words[start : start + rng.randint(4, 12)]
    return " ".join(picked[:WORDS_PER_PAGE])


def build_corpus():
    rng = random.Random(SEED)
    words = vocabulary()
    per_candidacy = PAGES_PER_PIECE * PIECES_PER_CANDIDACY
    candidacies = [
        CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty", livret=None)
        for _ in range(max(PAGES // per_candidacy, 5))
    ]
    kinds = [EvidenceKind.PAYSLIP, EvidenceKind.BUDGET, EvidenceKind.CASH_PLAN]
    for number, candidacy in enumerate(candidacies):
        dossier = dossier_for(candidacy)
        pieces = Evidence.objects.bulk_create(
            Evidence(
                dossier=dossier,
                title=f"Pièce {number}-{index}",
                kind=kinds[index % len(kinds)],
                file=f"bench/{number}-{index}.pdf",
                original_name="piece.pdf",
                content_type=FileType.PDF,
                size=1,
                sha256=f"{number:032d}{index:032d}",
                page_count=PAGES_PER_PIECE,
                extraction_status=ExtractionStatus.READY,
                extracted_at=timezone.now(),
                uploaded_by=candidacy.candidate,
            )
            for index in range(PIECES_PER_CANDIDACY)
        )
        EvidencePage.objects.bulk_create(
            EvidencePage(evidence=piece, number=page, text=page_text(rng, words))
            for piece in pieces
            for page in range(1, PAGES_PER_PIECE + 1)
        )
    return candidacies


def timed(func, runs=RUNS) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        found.append((time.perf_counter() - start) * 1000)
    return found


def p95(values):
    return sorted(values)[max(int(len(values) * 0.95) - 1, 0)]


def raw_fts(raw):
    """The match alone on FTS5 (same expression, ranked, first page and count)."""
    match = expression(parse(raw))

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM vae_search_fts WHERE vae_search_fts MATCH %s"
                " ORDER BY bm25(vae_search_fts, 2.0, 1.0) LIMIT 20",
                [match],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT COUNT(*) FROM vae_search_fts WHERE vae_search_fts MATCH %s", [match]
            )
            cursor.fetchone()

    return run


def raw_tsvector(raw):
    """The match alone on PostgreSQL's tsvector column (same tsquery, ranked, first page
    and count)."""
    tsq, params = tsquery(parse(raw))

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM vae_search_indexedentry, (SELECT {tsq} AS q) q"
                " WHERE tsv @@ q.q ORDER BY ts_rank_cd(tsv, q.q) DESC LIMIT 20",
                params,
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT COUNT(*) FROM vae_search_indexedentry, (SELECT {tsq} AS q) q"
                " WHERE tsv @@ q.q",
                params,
            )
            cursor.fetchone()

    return run


def icontains(raw):
    word = raw.strip('"').split()[0]

    def run():
        rows = IndexedEntry.objects.filter(text__icontains=word)
        rows.count()
        list(rows.values_list("key", flat=True)[:20])

    return run


def test_search_figures(referentiel):
    start = time.perf_counter()
    candidacies = build_corpus()
    pages = EvidencePage.objects.count()
    print(
        f"\ncorpus: {pages} pages of ~{WORDS_PER_PAGE} words in {time.perf_counter() - start:.1f} s"
    )
    print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    sample = analysed(page_text(random.Random(1), vocabulary()))
    print(f"database: {connection.vendor}; analysed sample: {sample[:80]}…")

    start = time.perf_counter()
    progress = indexing.reindex()
    seconds = time.perf_counter() - start
    rate = progress.entries / seconds
    print(
        f"indexing (reindex): {progress.entries} entries in {seconds:.1f} s = {rate:,.0f} pages/s"
    )
    tracemalloc.start()
    indexing.reindex()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"reindex peak Python memory (tracemalloc): {peak / 1024 / 1024:.1f} MB")

    staff = UserFactory(role=Role.CERTIFIER)
    evaluator = EvaluatorFactory(category=EvaluatorCategory.EXTERNAL_PROFESSIONAL)
    for candidacy in candidacies[:5]:
        Assignment.objects.create(
            candidacy=candidacy,
            evaluator=evaluator,
            category=EvaluatorCategory.EXTERNAL_PROFESSIONAL,
            status=AssignmentStatus.ACTIVE,
            declared_at=timezone.now(),
            assigned_by=staff,
        )

    header = (
        "query",
        "hits",
        "staff p50/p95",
        "eval. p50/p95",
        "raw p50/p95",
        "icontains",
        "ratio",
    )
    print("{:<28} {:>7} {:>16} {:>16} {:>16} {:>14} {:>15}".format(*header))
    all_staff, all_eval = [], []
    for family, raws in QUERIES.items():
        for raw in raws:
            total = search(raw, user=staff).total
            staff_ms = timed(lambda raw=raw: search(raw, user=staff))
            eval_ms = timed(lambda raw=raw: search(raw, user=evaluator))
            all_staff += staff_ms
            all_eval += eval_ms
            anchor = raw_fts if connection.vendor == "sqlite" else raw_tsvector
            fts_ms = timed(anchor(raw))
            fts = f"{statistics.median(fts_ms):7.1f}/{p95(fts_ms):6.1f}"
            ratio = f"{p95(staff_ms) / max(p95(fts_ms), 0.01):14.2f}×"
            scan = timed(icontains(raw), runs=3)
            print(
                f"{family + ': ' + raw:<28} {total:>7} "
                f"{statistics.median(staff_ms):7.1f}/{p95(staff_ms):6.1f} "
                f"{statistics.median(eval_ms):7.1f}/{p95(eval_ms):6.1f} {fts} "
                f"{statistics.median(scan):12.1f}  {ratio}"
            )
    staff_line = f"median {statistics.median(all_staff):.1f} ms, p95 {p95(all_staff):.1f} ms"
    eval_line = f"median {statistics.median(all_eval):.1f} ms, p95 {p95(all_eval):.1f} ms"
    print(f"all queries: staff {staff_line}; evaluator (5 dossiers) {eval_line}")
