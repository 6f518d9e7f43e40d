import pytest

from tests.factories import CandidacyFactory, make_session
from tests.jury.session_support import convoked_today
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
    return convoked_today()
