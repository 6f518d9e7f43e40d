"""Figures for the jury session pages (the members' agenda, the certifier's session page)
with 12 convoked candidates: their query count is the one with 2 candidates, and the
median render time is printed. Target: under 300 ms a render. And the PV of a session of
12 decided candidates: target under 3 s a rendering.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). Not collected by ``make test``.
"""

import io
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jury import minutes
from jury.enums import DecisionResult, SlotStatus
from jury.models import (
    BlocVote,
    DecidedBloc,
    Deliberation,
    DeliberationSignature,
    SessionMinutes,
    Slot,
)
from referentiel.models import Bloc
from tests.accounts import log_in
from tests.benchmarks.timing import measure
from tests.factories import make_session
from tests.jury.session_support import count_queries, fill
from vae.documents.services import request_document
from vae.enums import DocumentKind

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


def _decided(slot, seats) -> None:
    """The slot heard and its decision signed by both members, as rows: three blocs, each
    member's vote with a motivation, the outcome, the texts (what a real PV prints)."""
    slot.status = SlotStatus.INTERVIEWED
    slot.save(update_fields=["status"])
    deliberation = Deliberation.objects.create(
        slot=slot,
        observations="La paie des intermittents est maîtrisée ; la clôture des comptes moins. " * 3,
        recommendations="Une formation courte aux déclarations sociales, puis un nouveau passage. "
        * 2,
        result=DecisionResult.PARTIAL,
        decided_at=timezone.now(),
    )
    for bloc in Bloc.objects.filter(certification=slot.session.certification).order_by("code"):
        validated = bloc.code != "BC2"
        for seat in seats:
            BlocVote.objects.create(
                deliberation=deliberation,
                bloc=bloc,
                member=seat.member,
                validated=validated,
                motivation="" if validated else "Les DPAE et la DSN ne sont pas maîtrisées.",
            )
        DecidedBloc.objects.create(
            deliberation=deliberation,
            bloc=bloc,
            computed_validated=validated,
            validated=validated,
            reasons="Toutes les compétences acquises.\nAucune compétence non acquise.",
            motivation="",
        )
    for seat in seats:
        DeliberationSignature.objects.create(deliberation=deliberation, member=seat.member)


def test_jury_pv_figures(referentiel, certifier):
    """The PV of a session of 12 decided candidates: rendered (WeasyPrint) in the task, in
    < 3 s; its query count does not grow with the candidates."""
    session = make_session(by=certifier)
    seats = list(session.seats.select_related("member"))
    pv = SessionMinutes.objects.create(session=session, number=1)
    pv.document = request_document(
        candidacy=None, kind=DocumentKind.JURY_PV, filename="pv.pdf", key=pv.document_key
    )
    pv.save(update_fields=["document"])
    print(f"\nload average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    counts = {}
    for total in (2, 12):
        fill(session, total - Slot.objects.filter(session=session).count(), first=len(counts) * 2)
        for slot in Slot.objects.filter(session=session, status=SlotStatus.SCHEDULED):
            _decided(slot, seats)
        with CaptureQueriesContext(connection) as queries:
            minutes.context(pv)
        counts[total] = len(queries)
        print(f"{f'  PV context queries, {total} candidates':<45} {len(queries):8d}")
    assert counts[2] == counts[12]
    pdf = minutes.render(pv.document)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{'  PV size':<45} {len(pdf) / 1024:8.0f} KB, {pages} pages")
    measure("render the PV (12 candidates, target < 3 s)", lambda: minutes.render(pv.document), 5)
