"""The evaluator's pages run a fixed number of queries, whatever the size of the dossier.

A small dossier (one bloc, one piece, a handful of links) and a big one (26 compétences,
106 criteria, 40 pieces with their pages, 300 links) must cost the same number of
queries. Both hold at least one row of every kind, so that no prefetch is skipped on
the small one for lack of rows.
"""

import pytest
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livret.models import CompetenceLink, EvidencePage
from review.models import CriterionLink
from tests.accounts import log_in
from tests.review.support import big_review, small_review
from vae import fragments


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site, settings) out of the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def reviews(referentiel):
    return small_review(referentiel), big_review(referentiel)


def test_big_dossier_has_the_announced_size(reviews):
    _small, (candidacy, _panel, evidence) = reviews
    assert len(candidacy.targeted_competences()) == 26
    assert sum(c.criteria.count() for c in candidacy.targeted_competences()) == 106
    assert len(evidence) == 40
    # 39 pieces of 3 pages and the factory's piece of 2.
    assert EvidencePage.objects.filter(evidence__in=evidence).count() == 39 * 3 + 2
    links = CompetenceLink.objects.filter(dossier__candidacy=candidacy).count()
    links += CriterionLink.objects.filter(assignment__candidacy=candidacy).count()
    assert links == 300


def test_dossier_page_queries_do_not_grow_with_the_dossier(client, reviews):
    counts = []
    for _candidacy, panel, _evidence in reviews:
        log_in(client, panel[0].evaluator)
        counts.append(count_queries(client, reverse("review:dossier", args=[panel[0].pk])))
    small, big = counts
    assert small == big, f"small dossier: {small} queries, big dossier: {big}"
    # And the count itself stays modest (it was 22 when this test was written).
    assert big <= 30


def test_a_dossier_page_rendered_again_costs_as_many_queries_whatever_its_size(
    client, reviews, monkeypatch
):
    """The test above reads the page kept in the cache; here it is rendered every time."""
    monkeypatch.setattr(fragments, "cache", DummyCache("no-cache", {}))
    counts = []
    for _candidacy, panel, _evidence in reviews:
        log_in(client, panel[0].evaluator)
        counts.append(count_queries(client, reverse("review:dossier", args=[panel[0].pk])))
    small, big = counts
    assert small == big, f"small dossier: {small} queries, big dossier: {big}"
    assert big <= 30


def test_evidence_page_queries_do_not_grow_with_the_dossier(client, reviews):
    counts = []
    for _candidacy, panel, evidence in reviews:
        log_in(client, panel[0].evaluator)
        url = reverse("review:evidence_page", args=[panel[0].pk, evidence[0].pk, 1])
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_workspace_queries_do_not_grow_with_assignments(client, reviews):
    (_small, small_panel, _e), (_big, big_panel, _f) = reviews
    evaluator = small_panel[0].evaluator
    log_in(client, evaluator)
    one = count_queries(client, reverse("review:workspace"))
    big_panel[0].evaluator = evaluator
    big_panel[0].save()
    two = count_queries(client, reverse("review:workspace"))
    assert one == two
