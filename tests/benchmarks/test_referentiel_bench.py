"""Figures for the référentiel: load, export, rule evaluation and the public page.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). Not collected by ``make test``.
"""

import statistics
import time

import pytest

from referentiel.management.commands.load_referentiel import DEFAULT_FILE
from referentiel.rules import BlocRule, evaluate_rule
from referentiel.schema import parse_text
from referentiel.selectors import export_certification
from referentiel.services import load_referentiel_text
from referentiel.site_setup import ensure_site_pages

pytestmark = pytest.mark.django_db


def measure(label, func, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<45} median {statistics.median(timings):8.2f} ms"
        f"   max {max(timings):8.2f} ms   ({repeat} runs)"
    )


def test_referentiel_figures(client, django_assert_max_num_queries):
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    print()
    measure("parse + validate the YAML file", lambda: parse_text(text), 20)
    start = time.perf_counter()
    certification = load_referentiel_text(text).certification
    print(f"{'first load (create + publish)':<45} {1000 * (time.perf_counter() - start):8.2f} ms")
    measure("second load (idempotent, no change)", lambda: load_referentiel_text(text), 10)
    measure("export a version", lambda: export_certification(certification), 10)
    rule = BlocRule.from_bloc(certification.blocs.get(code="BC1"))
    ratings = dict.fromkeys(rule.competence_codes, "acquis")
    measure(
        "evaluate_rule (pure) x1000", lambda: [evaluate_rule(rule, ratings) for _ in range(1000)], 5
    )
    ensure_site_pages()
    measure("GET /certification/", lambda: client.get("/certification/"), 20)
    with django_assert_max_num_queries(50) as captured:
        client.get("/certification/")
    print(f"{'queries for /certification/':<45} {len(captured.captured_queries):8d}")
