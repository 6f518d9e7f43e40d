"""Figures for the jury session pages (the members' agenda, the certifier's session page)
with 12 convoked candidates: their query count is the one with 2 candidates, and the
median render time is printed. Target: under 300 ms a render.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). Not collected by ``make test``.
"""

import os

import pytest
from django.urls import reverse

from jury.models import Slot
from tests.accounts import log_in
from tests.benchmarks.timing import measure
from tests.factories import make_session
from tests.jury.session_support import count_queries, fill

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["members_agenda", "certifier_session"])
def test_jury_session_page_figures(client, referentiel, certifier, page):
    session = make_session(by=certifier)
    if page == "members_agenda":
        log_in(client, session.president.user)
        url = reverse("jury:session", args=[session.pk])
    else:
        log_in(client, certifier)
        url = reverse("jury_admin:session", args=[session.pk])
    print(f"\nload average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    fill(session, 2)
    few = count_queries(client, url)
    fill(session, 10, first=2)
    assert Slot.objects.filter(session=session).count() == 12
    many = count_queries(client, url)
    print(f"{'  queries, 2 candidates':<45} {few:8d}")
    print(f"{'  queries, 12 candidates':<45} {many:8d}")
    assert many == few
    measure(f"GET {page} (12 candidates)", lambda: client.get(url))
