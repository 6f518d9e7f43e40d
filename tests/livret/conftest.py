import pytest

from tests.factories import CandidacyFactory


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
def owner_client(client):
    def login(candidacy):
        client.force_login(candidacy.candidate)
        return client

    return login


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()
