"""Figures for the evaluator's dossier page on a big dossier (26 compétences, 106
criteria, 40 pieces with their pages, 300 links). Target: under 300 ms a render.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). Not collected by ``make test``.
"""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts import log_in
from tests.benchmarks.timing import measure
from tests.review.support import big_review

pytestmark = pytest.mark.django_db


def test_review_dossier_figures(client, referentiel):
    _candidacy, panel, evidence = big_review(referentiel)
    assignment = panel[0]
    log_in(client, assignment.evaluator)
    dossier_url = reverse("review:dossier", args=[assignment.pk])
    page_url = reverse("review:evidence_page", args=[assignment.pk, evidence[1].pk, 1])
    workspace_url = reverse("review:workspace")
    print(f"\nload average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    for label, url in (
        ("GET dossier page (big dossier)", dossier_url),
        ("GET evidence page (big dossier)", page_url),
        ("GET workspace", workspace_url),
    ):
        response = client.get(url)
        assert response.status_code == 200
        measure(label, lambda url=url: client.get(url))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        print(f"{'  queries':<45} {len(captured.captured_queries):8d}")
        print(f"{'  HTML size (kB)':<45} {len(response.content) / 1024:8.1f}")
