"""The two livrets of a candidacy, as rows: livret 1 blank or complete, livret 2 empty or
complete (a narrative per activité, one PDF linked to every targeted compétence, signed)."""

import datetime
import functools
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from livret.dossier.services import dossier_for
from livret.enums import (
    Civility,
    Domain,
    EvidenceKind,
    ExtractionStatus,
    FileType,
    Sector,
    Situation,
    WorkingTime,
)
from livret.models import CompetenceLink, EligibilityRequest, Evidence, Narrative
from tests.pdf_samples import text_pdf

NARRATIVE_TEXT = (
    "Sur le long métrage « Les Heures claires » (budget 3,2 M€), j'ai établi le devis dans "
    "Movie Magic Budgeting à partir du dépouillement, négocié les conventions avec les "
    "prestataires et suivi chaque semaine l'écart entre coût estimé et coût réel dans Péplum. "
    "Résultat : un dépassement limité à 1,5 % et un coût définitif accepté par le CNC."
)
# The text of the two pages of the factory's piece (what extraction would find in it).
PAYSLIP_PAGES = ("Bulletin de paie — janvier 2024", "Attestation employeur")


@functools.cache
def payslip_pdf() -> bytes:
    """The factory's piece: the same bytes for every dossier, built once per process."""
    return text_pdf(list(PAYSLIP_PAGES))


def make_livret1(candidacy, *, complete=True):
    """The candidacy's livret 1: blank, or filled in with plausible French content."""
    user = candidacy.candidate
    # The account's name without the factory's sequence number: a livret's names are
    # letters only, and sworn statements are checked against them (« Alex Durand »).
    request = EligibilityRequest.objects.create(
        candidacy=candidacy,
        first_names=user.first_name,
        birth_name=user.last_name.rstrip("0123456789"),
    )
    request.candidacy.targeted_blocs.set(candidacy.certification.blocs.all())
    if not complete:
        return request
    request.civility = Civility.MADAME
    request.birth_date = datetime.date(1988, 4, 12)
    request.birth_place = "Lyon"
    request.birth_country = "France"
    request.nationality = "Française"
    request.address = "12 rue des Studios"
    request.postal_code = "93200"
    request.city = "Saint-Denis"
    request.country = "France"
    request.phone = "06 12 34 56 78"
    request.situation = Situation.INTERMITTENT
    request.no_training = True
    request.needs_accommodation = False
    request.sworn = True
    request.sworn_name = request.display_name
    request.sworn_place = "Saint-Denis"
    request.sworn_at = timezone.now()
    request.save()
    request.experiences.create(
        employer="Les Films du Lendemain",
        sector=Sector.AUDIOVISUAL,
        job_title="Administratrice de production",
        domains=[Domain.PRODUCTION_ADMINISTRATION, Domain.PAYROLL],
        start_date=datetime.date(2016, 9, 1),
        ongoing=True,
        working_time=WorkingTime.FULL_TIME,
        description="Budgets, paie des intermittents, déclarations sociales, clôture des comptes.",
    )
    return request


def make_dossier(candidacy, *, complete=True):
    """The candidacy's livret 2: empty, or with a narrative per activité, one PDF linked to
    every targeted compétence and the sworn statement signed."""
    dossier = dossier_for(candidacy)
    if not complete:
        return dossier
    user = candidacy.candidate
    data = payslip_pdf()
    evidence = Evidence(
        dossier=dossier,
        title="Bulletins de paie 2024",
        kind=EvidenceKind.PAYSLIP,
        original_name="bulletins.pdf",
        content_type=FileType.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=len(PAYSLIP_PAGES),
        extraction_status=ExtractionStatus.READY,
        uploaded_by=user,
    )
    evidence.file.save("bulletins.pdf", ContentFile(data), save=False)
    evidence.save()
    for bloc in candidacy.referentiel_tree():
        for activity in bloc.activities.all():
            Narrative.objects.create(
                dossier=dossier, activity=activity, text=NARRATIVE_TEXT, version=1, updated_by=user
            )
            CompetenceLink.objects.bulk_create(
                CompetenceLink(
                    dossier=dossier,
                    competence=competence,
                    evidence=evidence,
                    justification="Le bulletin montre la paie que j'ai établie.",
                )
                for competence in activity.competences.all()
            )
    dossier.sworn_name = user.get_full_name()
    dossier.sworn_place = "Paris"
    dossier.sworn_at = timezone.now()
    dossier.save()
    return dossier
