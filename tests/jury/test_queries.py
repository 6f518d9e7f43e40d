"""The session pages read a constant number of queries, whatever the number of candidates
(the timing of 12 candidates belongs to ``make bench``)."""

import datetime as dt

from django.urls import reverse

from jury import services
from jury.models import Slot
from tests.accounts import log_in
from tests.factories import CandidacyFactory, make_slot
from tests.jury.pages import count_queries
from vae.enums import CandidacyState as S


def fill(session, count, first=0):
    """``count`` convoked candidates, 25-minute slots from 9 h, each declared for by the
    président."""
    for index in range(first, first + count):
        start = (dt.datetime(2000, 1, 1, 9, 0) + dt.timedelta(minutes=25 * index)).time()
        slot = make_slot(
            CandidacyFactory(state=S.JURY_SCHEDULED, livret=None, blocs=["BC3"]),
            session,
            start=start,
            minutes=25,
        )
        services.declare(slot=slot, by=session.president.user, no_conflict=True)


def test_the_members_agenda_reads_a_constant_number_of_queries(client, session):
    log_in(client, session.president.user)
    url = reverse("jury:session", args=[session.pk])
    fill(session, 2)
    few = count_queries(client, url)
    fill(session, 10, first=2)
    assert Slot.objects.filter(session=session).count() == 12
    assert count_queries(client, url) == few


def test_the_certifiers_session_page_reads_a_constant_number_of_queries(client, session, certifier):
    log_in(client, certifier)
    url = reverse("jury_admin:session", args=[session.pk])
    fill(session, 2)
    few = count_queries(client, url)
    fill(session, 10, first=2)
    assert count_queries(client, url) == few
