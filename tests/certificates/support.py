"""What the certificates tests share: the decision date and a filled registration."""

import datetime

from referentiel.models import CertificationRegistration

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
