"""Shared helpers of the jury's query tests and benchmark: a session filled with convoked
candidates, and the queries of a page."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury import services
from tests.factories import CandidacyFactory, make_consolidation, make_session, make_slot
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


def count_queries(client, url) -> int:
    # Once first: a first visit fills caches (the session's second factor, the menus).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def members(slot):
    """The users sitting in the slot's session."""
    return [seat.member.user for seat in slot.session.seats.select_related("member__user")]


def convoked_today(*, declared=True, **candidacy_fields):
    """A candidate convoked today (a session open all day), consolidated « partiellement
    acquis »; both members declared no conflict (unless not ``declared``): their interview
    record is open."""
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED, **candidacy_fields)
    make_consolidation(candidacy, rating="partiel")
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0))
    for seat in session.seats.select_related("member__user") if declared else ():
        services.declare(slot=slot, by=seat.member.user, no_conflict=True)
    return slot
