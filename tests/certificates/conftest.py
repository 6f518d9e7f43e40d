import pytest

from tests.certificates.support import register
from tests.factories import UserFactory
from tests.factories.candidacies import CandidacyFactory
from vae.enums import CandidacyState, Role


@pytest.fixture
def certifier(db):
    return UserFactory(role=Role.CERTIFIER)


@pytest.fixture
def decided(db, referentiel):
    """A candidacy whose jury decided (the state only: the decision is another part's)."""
    candidacy = CandidacyFactory(state=CandidacyState.DECIDED)
    register(candidacy.certification)
    return candidacy
