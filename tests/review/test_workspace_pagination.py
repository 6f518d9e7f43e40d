"""The evaluator's workspace by pages: 25 seats a page, French and accessible controls, a
page out of range answered in French, and the same queries for 3 seats or 30."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from review.enums import AssignmentStatus
from review.models import Assignment
from tests.accounts import log_in
from tests.factories import CandidacyFactory, EvaluatorFactory, UserFactory
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

URL = reverse("review:workspace")


@pytest.fixture
def evaluator(client, referentiel):
    user = EvaluatorFactory()
    log_in(client, user)
    return user


def seats(evaluator, count):
    """``count`` active seats of ``evaluator`` on dossiers under review."""
    certifier = UserFactory(role=Role.CERTIFIER)
    now = timezone.now()
    return [
        Assignment.objects.create(
            candidacy=CandidacyFactory(state=CandidacyState.UNDER_REVIEW, livret=None),
            evaluator=evaluator,
            category="external_professional",
            assigned_by=certifier,
            status=AssignmentStatus.ACTIVE,
            declared_at=now,
        )
        for _ in range(count)
    ]


def references(response) -> list[str]:
    return [row.assignment.candidacy.reference for row in response.context["rows"]]


def test_second_page_holds_the_rest(client, evaluator):
    made = seats(evaluator, 30)
    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    assert len(references(first)) == 25
    assert len(references(second)) == 5
    assert set(references(first)) | set(references(second)) == {a.candidacy.reference for a in made}
    page = second.content.decode()
    assert '<nav class="pagination" aria-label="Pages de mes dossiers">' in page
    assert re.search(r'href="\?page=2" aria-current="page"', page)
    assert 'href="?page=1" rel="prev">Page précédente</a>' in page
    assert "Page 2 sur 2 — 26 à 30 sur 30" in page
    assert "Page suivante" not in page


def test_one_page_shows_no_controls(client, evaluator):
    seats(evaluator, 3)
    page = client.get(URL).content.decode()
    assert 'class="pagination"' not in page


@pytest.mark.parametrize(
    ("asked", "shown", "notice"),
    [
        ("9", 2, "La page 9 n’existe pas : voici la dernière page (2)."),
        ("0", 1, "La page demandée n’existe pas : voici la première page."),
        ("abc", 1, "La page demandée n’existe pas : voici la première page."),
    ],
)
def test_a_page_out_of_range_is_answered_in_french(client, evaluator, asked, shown, notice):
    seats(evaluator, 30)
    response = client.get(URL, {"page": asked})
    assert response.status_code == 200
    assert response.context["pages"].page.number == shown
    text = response.content.decode().replace("'", "’").replace("&#x27;", "’")
    assert notice in text


def test_queries_do_not_grow_with_the_seats(client, evaluator):
    seats(evaluator, 3)
    client.get(URL)  # per-process caches out of the count
    with CaptureQueriesContext(connection) as few:
        assert len(references(client.get(URL))) == 3
    seats(evaluator, 27)
    with CaptureQueriesContext(connection) as many:
        assert len(references(client.get(URL))) == 25
    assert len(many) == len(few)
