import pytest

from tests.accounts import log_in
from tests.factories import CandidacyFactory
from vae.enums import CandidacyState


@pytest.fixture
def draft(referentiel):
    """A draft candidacy with a blank livret 1 (its candidate's names prefilled)."""
    return CandidacyFactory(livret="empty")


@pytest.fixture
def complete_draft(referentiel):
    """A draft candidacy whose livret 1 is complete and signed, with one training."""
    candidacy = CandidacyFactory(livret="complete")
    request = candidacy.eligibility_request
    request.trainings.create(title="Licence d'économie", year=2008, outcome="obtenu")
    request.no_training = False
    request.save()
    return candidacy


@pytest.fixture
def eligible(referentiel):
    """An eligible candidacy whose livret 2 is complete and signed (a narrative per
    activité, one piece linked to every compétence): ready to submit."""
    return CandidacyFactory(state=CandidacyState.ELIGIBLE)


@pytest.fixture
def owner(client, eligible):
    """The client, logged in as the candidate of ``eligible``."""
    log_in(client, eligible.candidate)
    return client


@pytest.fixture
def owner_client(client):
    def login(candidacy):
        log_in(client, candidacy.candidate)
        return client

    return login


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()
