import datetime

import pytest

from referentiel.models import CertificationRegistration
from tests.factories import UserFactory
from tests.factories.candidacies import CandidacyFactory
from vae.enums import CandidacyState, Role

DECIDED_ON = datetime.date(2026, 11, 20)


def register(certification, **changes) -> CertificationRegistration:
    """The registration of ``certification``, filled with the test's fictitious facts."""
    fields = {
        "certifier_legal_name": "CPNEF de l'audiovisuel (fictive)",
        "rncp_number": "RNCP99999",
        "decision_date": datetime.date(2024, 3, 28),
        "nsf_codes": "320, 323p",
        "signatory_name": "Camille Exemple",
        "signatory_title": "Présidente de la CPNEF de l'audiovisuel",
        "issue_place": "Paris",
        **changes,
    }
    registration, _ = CertificationRegistration.objects.update_or_create(
        certification=certification, defaults=fields
    )
    return registration


@pytest.fixture
def certifier(db):
    return UserFactory(role=Role.CERTIFIER)


@pytest.fixture
def decided(db, referentiel):
    """A candidacy whose jury decided (the state only: the decision is another part's)."""
    candidacy = CandidacyFactory(state=CandidacyState.DECIDED)
    register(candidacy.certification)
    return candidacy
