"""Reads that should stay flat as data grows (issue 11): the agreement report, the
certifier's candidacies list (plain, bloc filter, state filter), the evaluator's
workspace and the certifier's page of one candidacy, measured on a small database
(about 70 candidacies) and on one at the issue's scale (5,000 candidacies, 300 submitted
dossiers, about 98,000 evidence pages), in the same run.

Run with ``make bench``; prints query counts and median times, asserts no timing.
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts import log_in
from tests.benchmarks import scale

pytestmark = pytest.mark.django_db

RUNS = 10


def pages(data):
    submitted = data.templates.by_state["reviewed"]
    return (
        ("agreement report", data.certifier, reverse("review_admin:agreement")),
        ("candidacies list", data.certifier, reverse("candidacy_admin:list")),
        (
            "candidacies list, bloc BC2",
            data.certifier,
            reverse("candidacy_admin:list") + "?bloc=BC2",
        ),
        (
            "candidacies list, state filter",
            data.certifier,
            reverse("candidacy_admin:list") + "?state=dossier_submitted&state=under_review",
        ),
        ("workspace (evaluator)", data.evaluator, reverse("review:workspace")),
        (
            "candidacy page (certifier)",
            data.certifier,
            reverse("candidacy_admin:detail", args=[submitted.pk]),
        ),
    )


class SqlTimer:
    """Time spent executing SQL (to the first row: SQLite hands the rest on fetching)."""

    def __init__(self):
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - start


def measure(client, data):
    figures = {}
    for label, user, url in pages(data):
        log_in(client, user)
        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        wall, cpu, sql = [], [], []
        for _ in range(RUNS):
            timer = SqlTimer()
            start, start_cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(timer):
                client.get(url)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            sql.append(timer.total * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        figures[label] = (
            len(captured.captured_queries),
            statistics.median(wall),
            statistics.median(cpu),
            statistics.median(sql),
        )
    return figures


def test_reads_stay_flat(client, referentiel):
    print(f"\nload average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    results = {}
    start = time.perf_counter()
    small = scale.build(scale.SMALL)
    print(
        f"small data set built in {time.perf_counter() - start:.1f} s: {scale.check_states(small)}"
    )
    results["small"] = measure(client, small)
    start = time.perf_counter()
    large = scale.build(scale.LARGE, grow=small)
    print(
        f"large data set built in {time.perf_counter() - start:.1f} s: {scale.check_states(large)}"
    )
    from livret.dossier.models import EvidencePage
    from review.models import CompetenceRating

    print(
        f"  {large.candidacies} candidacies, {EvidencePage.objects.count()} evidence pages, "
        f"{CompetenceRating.objects.count()} ratings"
    )
    results["large"] = measure(client, large)
    # Wall clock counts the time other processes held the CPU (a shared machine); the CPU
    # time is the page's own cost (SQLite included: it runs in process); SQL is the time
    # spent executing the queries.
    print(f"{'page':<32} {'data':<6} {'queries':>7} {'wall ms':>8} {'CPU ms':>8} {'SQL ms':>8}")
    for label in results["small"]:
        for size in ("small", "large"):
            queries, wall, cpu, sql = results[size][label]
            print(f"{label:<32} {size:<6} {queries:>7d} {wall:>8.1f} {cpu:>8.1f} {sql:>8.1f}")
