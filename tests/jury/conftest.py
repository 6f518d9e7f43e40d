import datetime as dt

import pytest

from jury import services
from tests.factories import CandidacyFactory, make_consolidation, make_session, make_slot
from vae.enums import CandidacyState


@pytest.fixture
def session(referentiel, certifier):
    """A valid session a month ahead, 9 h – 17 h, on site, two members."""
    return make_session(by=certifier)


@pytest.fixture
def reviewed(referentiel):
    return CandidacyFactory(state=CandidacyState.REVIEWED)


@pytest.fixture
def slot(referentiel):
    """A candidate convoked today, consolidated « partiellement acquis »; both members
    declared no conflict."""
    candidacy = CandidacyFactory(state=CandidacyState.JURY_SCHEDULED)
    make_consolidation(candidacy, rating="partiel")
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0))
    for seat in session.seats.select_related("member__user"):
        services.declare(slot=slot, by=seat.member.user, no_conflict=True)
    return slot
