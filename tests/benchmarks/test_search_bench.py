"""Figures for search: indexing a generated corpus of evidence pages, then queries.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). The corpus: ``VAE_BENCH_SEARCH_PAGES`` pages (5,000 by default; the issue's
100,000 with ``VAE_BENCH_SEARCH_PAGES=100000``, which takes several minutes) of about 220
French words each, drawn with a fixed seed from the demo's own texts (narratives, pieces,
notes: payroll, budgets, cash plans) so that the word frequencies look like the real ones;
each piece linked by its candidate to one to three compétences, so that the pages carry
the bloc and compétence tags the facets count.

Printed, in one run: indexing rate (pages/s, through ``search.indexing.reindex``, i.e.
reading the rows and writing the index) and, in a second run, its peak Python memory
(tracemalloc: what the reindex allocates as Python objects, flat if it streams; not
SQLite's cache nor the driver's buffers). Then the target's measure: ``manage.py
search_reindex`` run in a fresh process on the committed corpus (on SQLite a file copy of
the test database, made with SQLite's backup API; on PostgreSQL the test
database itself), with production's settings (``DJANGO_ENV=production``: DEBUG off) and
the bench's search backend: that process's peak resident memory (``VmHWM``, read at its
end: every allocation, C included, and nothing of this test process, which built the
corpus), its resident memory after
``django.setup()`` alone (the anchor, same process), the difference, the entries
reindexed; then the same peak and anchor with development's settings (DEBUG on). Then,
for rare, two-term, phrase and common-term queries, the median and p95 of
``search.api.search`` in the staff scope, of the certifier's search page (the same search
through the test client: facets' labels and links, snippets, template), of
``search.api.search`` in an evaluator's scope (5 dossiers), and of
the same match on the raw FTS5 table (SQLite) or tsvector column (PostgreSQL) and of an
``icontains`` scan, as anchors, with the ratios, per query and over all queries; the
staff search as it was before its counts came from the entries' columns held in memory
(SQLite, ``counted_in_sql``: read in SQL, by walking the groups index for a word most
entries hold; run in turn with today's), and today's with its ranked page read after the
counts rather than aside (``VAE_READERS=0``: what one core gives), or before
the entries' rows held their tags (PostgreSQL, ``former_search``), and the evaluator's
search as it was before branch search-phrase (its page ranked by FTS5's ``bm25()``, not in
Python), for before/after figures of one run. On SQLite the test database is a file, as
in production (``config.settings_test`` under ``VAE_BENCH``). Targets (issue 15): staff
p95 ≤ 1.5× raw FTS5; evaluator p95 < 20 ms; indexing ≥ 1,000 pages/s; reindex peak
memory < 300 MB.
"""

import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from livret.dossier.services import dossier_for
from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import CompetenceLink, Evidence, EvidencePage
from referentiel.models import Competence
from review.enums import AssignmentStatus, EvaluatorCategory
from review.models import Assignment
from search import indexing
from search.analysis import analysed
from search.api import search
from search.backends import columns
from search.backends.database import TAG, DatabaseBackend
from search.backends.postgresql import tsquery
from search.backends.sqlite import SQLiteFullText, expression
from search.base import Filters
from search.models import IndexedEntry, IndexedTag
from search.query import parse
from search.scope import scope_for
from search.snippets import snippet
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.factories.review import EvaluatorFactory
from vae.enums import CandidacyState, Role

# Transactional: the corpus committed, so that another process can read it (a fresh
# ``search_reindex``); SQLite's backup API cannot copy a database while its connection
# holds a write transaction open, as a rolled-back test's does.
pytestmark = pytest.mark.django_db(transaction=True)

PAGES = int(os.environ.get("VAE_BENCH_SEARCH_PAGES", "5000"))
WORDS_PER_PAGE = 220
PAGES_PER_PIECE = 20
PIECES_PER_CANDIDACY = 5
# Each piece supports one to three compétences, as a candidate links them (whole piece or
# a range of its pages): each page then carries bloc and compétence tags, which the facet
# counts read as they do in production.
LINKS_PER_PIECE = (1, 3)
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
    competences = list(Competence.objects.order_by("pk").values_list("pk", flat=True))
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
        CompetenceLink.objects.bulk_create(
            link for piece in pieces for link in piece_links(rng, dossier, piece, competences)
        )
    return candidacies


def piece_links(rng, dossier, piece, competences):
    for competence in rng.sample(competences, rng.randint(*LINKS_PER_PIECE)):
        # Half the links name the whole piece, half a range of its pages.
        first = rng.randint(1, PAGES_PER_PIECE) if rng.random() < 0.5 else None
        yield CompetenceLink(
            dossier=dossier,
            competence_id=competence,
            evidence=piece,
            page_from=first,
            page_to=first and min(first + rng.randint(0, 9), PAGES_PER_PIECE),
            justification="Pièce du livret 2.",
        )


# The command run in a fresh process set up as manage.py sets it up: its peak resident
# memory (VmHWM, not inherited across fork/exec, unlike ru_maxrss) read at its end, and its
# resident memory after Django's setup alone as the anchor of the same run.
REINDEX_RSS = """
import io
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()


def status_mb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024


anchor = status_mb("VmRSS")
from django.core.management import call_command

call_command("search_reindex", stdout=io.StringIO())
peak = status_mb("VmHWM")
from search.models import IndexedEntry

print(f"{peak:.1f} {anchor:.1f} {IndexedEntry.objects.count()}")
"""


def database_for_another_process(tmp_path: Path) -> str:
    """A ``DATABASE_URL`` that another process can read the test's rows from: on SQLite, a
    file copy of the test database; on PostgreSQL, the test database itself (the
    rows are committed)."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "reindex.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{copy}"
    # The configured server and options, the test database's name.
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + quote(connection.settings_dict["NAME"])).geturl()


def reindex_in_fresh_process(database_url: str, *, debug: bool) -> tuple[float, float, int]:
    """(peak RSS in MB, RSS after django.setup() in MB, entries) of ``manage.py
    search_reindex`` run in a new process on ``database_url``: with production's settings
    (DEBUG off), or development's (DEBUG on: Django logs each query)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "DEBUG"))
    }
    if not debug:
        env.update(DJANGO_ENV="production", SECRET_KEY="bench-" + "k" * 50)
    env.update(
        DATABASE_URL=database_url,
        # The search backend the bench runs with (the test settings' own index name).
        VAE_SEARCH_BACKEND=settings.VAE_SEARCH_BACKEND,
        VAE_SEARCH_INDEX=settings.VAE_SEARCH_INDEX,
    )
    result = subprocess.run(
        [sys.executable, "-c", REINDEX_RSS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    peak, anchor, entries = result.stdout.split()[-3:]
    return float(peak), float(anchor), int(entries)


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


# The staff search as it was before the tags were in the entry's row, timed in the same
# run as the search of today, for the before/after figures. On PostgreSQL: one CTE ``m``
# of every hit's id, score and row facets, materialised, read for the row facets' GROUP
# BY, the tags' (joined) and the ranked page, then the displayed rows and their snippets.
FORMER_COUNTS_AND_PAGE_SQL = f"""
    SELECT 'rows', CAST(candidacy_id AS VARCHAR(20)), kind, evidence_type, candidacy_state,
            COUNT(*), CAST(NULL AS DOUBLE PRECISION)
        FROM m GROUP BY candidacy_id, kind, evidence_type, candidacy_state
    UNION ALL SELECT t.facet, t.value, NULL, NULL, NULL, COUNT(*), NULL
        FROM m JOIN {TAG} t ON t.entry_id = m.id GROUP BY t.facet, t.value
    UNION ALL SELECT 'hit', CAST(id AS VARCHAR(20)), NULL, NULL, NULL, 0, score FROM (
        SELECT id, score FROM m ORDER BY score DESC, id LIMIT %s OFFSET %s
    ) displayed
"""


def former_search(raw, user):
    backend = DatabaseBackend()

    def run():
        query = parse(raw)
        assert scope_for(user).grants[0].reads_everything  # staff: no scope condition
        match_sql, match_params = backend.fulltext.matched(query)
        sql = (
            "WITH m AS (SELECT x.id, x.score, e.candidacy_id, e.kind, e.evidence_type,"
            f" e.candidacy_state FROM ({match_sql}) x JOIN {IndexedEntry._meta.db_table} e"
            " ON e.id = x.id WHERE 1 = 1 AND 1 = 1)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql + FORMER_COUNTS_AND_PAGE_SQL, [*match_params, 20, 0])
            displayed = [int(value) for part, value, *_rest in cursor.fetchall() if part == "hit"]
        for row in IndexedEntry.objects.in_bulk(displayed).values():
            snippet(row.text, query)

    return run


def counted_in_sql(raw, user):
    """On SQLite: the staff search as it was before its counts came from the entries'
    columns held in memory (``search.backends.columns``): counted in SQL, the hits read
    then grouped, or the groups index walked (``SQLiteFullText.walks_groups``)."""

    def run():
        listed = SQLiteFullText.listed
        SQLiteFullText.listed = lambda self, match_sql: None
        try:
            search(raw, user=user)
        finally:
            SQLiteFullText.listed = listed

    return run


def read_in_turn(raw, user):
    """Today's search with its ranked page read after the counts, on the request's
    connection, not aside on another (``VAE_READERS=0``)."""

    def run():
        with override_settings(VAE_READERS=0):
            search(raw, user=user)

    return run


def bm25_ranked(raw, user):
    """The search of today with its page always ranked by the vendor's SQL (on SQLite,
    FTS5's ``bm25()``), as before branch search-phrase ranked a phrase's few hits."""

    def run():
        ranks = SQLiteFullText.ranks
        SQLiteFullText.ranks = lambda self, query, hits: False
        try:
            search(raw, user=user)
        finally:
            SQLiteFullText.ranks = ranks

    return run


def icontains(raw):
    word = raw.strip('"').split()[0]

    def run():
        rows = IndexedEntry.objects.filter(text__icontains=word)
        rows.count()
        list(rows.values_list("key", flat=True)[:20])

    return run


def test_search_figures(referentiel, tmp_path):
    start = time.perf_counter()
    candidacies = build_corpus()
    pages = EvidencePage.objects.count()
    print(
        f"\ncorpus: {pages} pages of ~{WORDS_PER_PAGE} words in {time.perf_counter() - start:.1f} s"
        f" ({CompetenceLink.objects.count()} links of pieces to compétences)"
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
        f" ({IndexedTag.objects.count()} bloc and compétence tags)"
    )
    tracemalloc.start()
    indexing.reindex()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"reindex peak Python memory (tracemalloc, this process): {peak / 2**20:.1f} MB")
    database_url = database_for_another_process(tmp_path)
    peak_mb, anchor_mb, entries = reindex_in_fresh_process(database_url, debug=False)
    print(
        f"search_reindex in a fresh process (production settings, DEBUG off): peak RSS"
        f" {peak_mb:.0f} MB, {anchor_mb:.0f} MB after django.setup() alone,"
        f" +{peak_mb - anchor_mb:.0f} MB for the reindex; {entries} entries reindexed,"
        f" the corpus's {pages} pages (target: peak < 300 MB)"
    )
    peak_mb, anchor_mb, _entries = reindex_in_fresh_process(database_url, debug=True)
    print(
        f"  the same with DEBUG on (development's default: Django logs each query):"
        f" peak RSS {peak_mb:.0f} MB, {anchor_mb:.0f} MB after django.setup(),"
        f" +{peak_mb - anchor_mb:.0f} MB"
    )

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

    assert search("film", user=staff, filters=Filters()).total  # warm
    header = (
        "query",
        "hits",
        "staff p50/p95",
        "page p50/p95",
        "eval. p50/p95",
        "raw p50/p95",
        "icontains",
        "ratio",
        "before p50/p95",
        "before ratio",
        "eval. before",
    )
    print(
        "{:<28} {:>7} {:>16} {:>16} {:>16} {:>16} {:>14} {:>15} {:>16} {:>13} {:>16}".format(
            *header
        )
    )
    all_staff, all_eval, all_before, all_eval_before, all_raw = [], [], [], [], []
    all_in_turn = []
    # The certifier's page in the back office, as a browser asks for it: the search, the
    # facets' labels and links, the snippets, the template.
    browser = Client()
    log_in(browser, staff)
    page_url = reverse("search_admin")
    all_pages = []
    for family, raws in QUERIES.items():
        for raw in raws:
            total = search(raw, user=staff).total
            # Today's staff search and the same as before, one run of each in turn.
            before = counted_in_sql if connection.vendor == "sqlite" else former_search
            staff_ms, before_ms = [], []
            for _ in range(RUNS):
                staff_ms += timed(lambda raw=raw: search(raw, user=staff), runs=1)
                before_ms += timed(before(raw, staff), runs=1)
                all_in_turn += timed(read_in_turn(raw, staff), runs=1)
            assert browser.get(page_url, {"q": raw}).status_code == 200
            page_ms = timed(lambda raw=raw: browser.get(page_url, {"q": raw}))
            all_pages += page_ms
            # Today's evaluator search and the same ranked by bm25() as before, one run of
            # each in turn: the machine's load weighs on both alike.
            eval_ms, eval_before_ms = [], []
            for _ in range(RUNS):
                eval_ms += timed(lambda raw=raw: search(raw, user=evaluator), runs=1)
                eval_before_ms += timed(bm25_ranked(raw, evaluator), runs=1)
            all_staff += staff_ms
            all_eval += eval_ms
            anchor = raw_fts if connection.vendor == "sqlite" else raw_tsvector
            fts_ms = timed(anchor(raw))
            all_raw += fts_ms
            fts = f"{statistics.median(fts_ms):7.1f}/{p95(fts_ms):6.1f}"
            ratio = f"{p95(staff_ms) / max(p95(fts_ms), 0.01):14.2f}×"
            scan = timed(icontains(raw), runs=3)
            all_before += before_ms
            before_ratio = f"{p95(before_ms) / max(p95(fts_ms), 0.01):12.2f}×"
            all_eval_before += eval_before_ms
            print(
                f"{family + ': ' + raw:<28} {total:>7} "
                f"{statistics.median(staff_ms):7.1f}/{p95(staff_ms):6.1f} "
                f"{statistics.median(page_ms):9.1f}/{p95(page_ms):6.1f} "
                f"{statistics.median(eval_ms):7.1f}/{p95(eval_ms):6.1f} {fts} "
                f"{statistics.median(scan):12.1f}  {ratio} "
                f"{statistics.median(before_ms):7.1f}/{p95(before_ms):6.1f} {before_ratio} "
                f"{statistics.median(eval_before_ms):7.1f}/{p95(eval_before_ms):6.1f}"
            )
    staff_line = f"median {statistics.median(all_staff):.1f} ms, p95 {p95(all_staff):.1f} ms"
    eval_line = f"median {statistics.median(all_eval):.1f} ms, p95 {p95(all_eval):.1f} ms"
    before_line = f"median {statistics.median(all_before):.1f} ms, p95 {p95(all_before):.1f} ms"
    print(f"all queries: staff {staff_line}; evaluator (5 dossiers) {eval_line}")
    # The workload's tail, each side over the same queries run as many times: what a
    # reader waits for at worst, where the per-query ratios above weigh a rare word's
    # 1 ms match the same as a common word's 100 ms one.
    print(
        f"all queries, raw match: median {statistics.median(all_raw):.1f} ms,"
        f" p95 {p95(all_raw):.1f} ms; staff p95 / raw p95 = {p95(all_staff) / p95(all_raw):.2f}×"
        " (target ≤ 1.5×)"
    )
    print(
        f"all queries, the certifier's page: median {statistics.median(all_pages):.1f} ms,"
        f" p95 {p95(all_pages):.1f} ms; page p95 / raw p95 = {p95(all_pages) / p95(all_raw):.2f}×"
    )
    if connection.vendor == "sqlite":
        print(
            f"staff, its page read after the counts, not aside (VAE_READERS=0, same run):"
            f" median {statistics.median(all_in_turn):.1f} ms, p95 {p95(all_in_turn):.1f} ms;"
            f" p95 / raw p95 = {p95(all_in_turn) / p95(all_raw):.2f}×"
        )
    before_name = (
        "its counts read in SQL as before (not from the columns in memory)"
        if connection.vendor == "sqlite"
        else "before the tags were in the entries' rows"
    )
    print(
        f"staff, {before_name} (same run): {before_line};"
        f" p95 / raw p95 = {p95(all_before) / p95(all_raw):.2f}×"
    )
    eval_before_line = (
        f"median {statistics.median(all_eval_before):.1f} ms, p95 {p95(all_eval_before):.1f} ms"
    )
    print(f"evaluator, every page ranked by bm25() as before search-phrase: {eval_before_line}")
    if connection.vendor == "sqlite":
        columns_figures(staff, candidacies[0])


def columns_figures(staff, candidacy):
    """What keeping the entries' columns in memory costs: reading them whole (a process's
    first staff search), and reading what one candidacy's re-indexing wrote (its entries,
    deleted then inserted again under new ids)."""
    fulltext = SQLiteFullText()

    def whole():
        columns._snapshots.clear()
        columns.snapshot("default", "", fulltext.grouped_entries, fulltext.entries)

    whole_ms = timed(whole, runs=5)
    snapshot = next(iter(columns._snapshots.values()))
    print(
        f"columns in memory: read whole in {statistics.median(whole_ms):.0f} ms (median of 5),"
        f" {len(snapshot.ids)} entries in {len(snapshot.groups)} groups,"
        f" {(snapshot.ids.nbytes + snapshot.group_of.nbytes) / 2**20:.1f} MB of arrays"
    )
    after_write = []
    for _ in range(5):
        written = indexing.reindex_candidacy(candidacy.pk)
        after_write += timed(lambda: search("production", user=staff), runs=1)
    same = timed(lambda: search("production", user=staff), runs=5)
    print(
        f"  staff's « production » right after a candidacy's {written} entries were"
        f" re-indexed: median {statistics.median(after_write):.1f} ms (the new entries read),"
        f" then {statistics.median(same):.1f} ms"
    )
