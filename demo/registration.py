"""The référentiel's registration with France compétences, for the demo's certificates.

The seed gives no RNCP number, decision date, NSF codes nor signatory: the demo fills
them with values that are obviously fictitious (a number no registration has, a
signatory called « Exemple »), so that nobody takes a demo certificate for a real one.
A registration already entered (by a certifier) is left as it is.
"""

import datetime

from referentiel.models import Certification, CertificationRegistration

FICTITIOUS = {
    "certifier_legal_name": "CPNEF de l'audiovisuel (démonstration)",
    "rncp_number": "RNCP00000",
    "decision_date": datetime.date(2024, 1, 1),
    "nsf_codes": "320, 323p",
    "signatory_name": "Dominique Exemple",
    "signatory_title": "Président·e de la CPNEF de l'audiovisuel (fictif)",
    "issue_place": "Paris",
}


def ensure_demo_registration() -> list[str]:
    lines = []
    for certification in Certification.objects.published():
        registration, created = CertificationRegistration.objects.get_or_create(
            certification=certification, defaults=FICTITIOUS
        )
        state = "saisi (valeurs fictives)" if created else "déjà saisi, conservé"
        lines.append(f"  {certification} : enregistrement {registration.rncp_number} — {state}")
    return lines
