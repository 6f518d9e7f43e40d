"""Demo livrets 2: realistic French narratives, real PDF evidence, links to the compétences.

Two demo candidates have one:
- Julien Moreau (« Recevable »): a dossier in progress — some narratives, three pieces,
  a few links, not signed (written here, by ``create_demo_dossiers``);
- Inès Lambert: a complete dossier, which her story in ``demo.candidacies`` writes, signs
  and submits.

Both are written by the candidate through the services (``demo.stories.write_dossier``):
the evidence files are uploaded like any PDF (checked, hashed, text extracted).
"""

from dataclasses import dataclass

from demo.content.julien import JULIEN_DOSSIER
from demo.stories import write_dossier
from livret.dossier.services import dossier_for
from vae.enums import CandidacyState
from vae.models import Candidacy

IN_PROGRESS_EMAIL = "julien.moreau@demo.vae.local"
SUBMITTED_EMAIL = "ines.lambert@demo.vae.local"


@dataclass(frozen=True)
class DemoDossierSummary:
    email: str
    reference: str
    narratives: int
    evidence: int
    links: int
    signed: bool
    submissions: int
    created: bool


def _summary(candidacy, created) -> DemoDossierSummary:
    dossier = candidacy.dossier
    return DemoDossierSummary(
        email=candidacy.candidate.email,
        reference=candidacy.reference,
        narratives=dossier.narratives.count(),
        evidence=dossier.evidence.count(),
        links=dossier.links.count(),
        signed=dossier.is_signed,
        submissions=dossier.submissions.count(),
        created=created,
    )


def create_demo_dossiers() -> list[DemoDossierSummary]:
    """Julien Moreau's dossier in progress, written once; then what every demo dossier holds.

    Run again, it changes nothing: a dossier that already has content is left as it is.
    """
    created = set()
    julien = Candidacy.objects.filter(
        candidate__email=IN_PROGRESS_EMAIL, state=CandidacyState.ELIGIBLE
    ).first()
    if julien is not None:
        dossier = dossier_for(julien)
        if not (dossier.narratives.exists() or dossier.evidence.exists()):
            write_dossier(julien, JULIEN_DOSSIER)
            created.add(julien.pk)
    candidacies = (
        Candidacy.objects.filter(
            candidate__email__in=[SUBMITTED_EMAIL, IN_PROGRESS_EMAIL], dossier__isnull=False
        )
        .select_related("candidate", "dossier")
        .order_by("candidate__email")
    )
    return [_summary(candidacy, candidacy.pk in created) for candidacy in candidacies]
