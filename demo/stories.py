"""How a demo story is written: each step by the person who would take it, through the
services of the platform, so that the logs, histories and frozen copies are those real
use produces.

The candidate fills in livret 1 section by section, writes livret 2 (narratives, evidence
uploaded as PDF files, links, reasons for a compétence without evidence), signs and
submits; the certifier decides through the transitions of ``vae.services``.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from demo.documents import DemoEvidence, render_document
from demo.people import candidate_account, record_earlier_validations
from livret.dossier.evidence.services import upload_evidence
from livret.dossier.evidence.tasks import extract_evidence_text
from livret.dossier.links.services import add_link, save_no_evidence_reason
from livret.dossier.narratives.services import save_narrative
from livret.dossier.services import dossier_for, sign
from livret.eligibility import services as livret1
from livret.enums import FileType, Situation
from vae import services
from vae.models import Candidacy


@dataclass(frozen=True)
class DemoCandidate:
    """A demo candidate and what they write in livret 1."""

    email: str
    first_name: str
    last_name: str
    identity: dict
    experiences: tuple[dict, ...]
    situation: str = Situation.INTERMITTENT
    # Empty: the candidate declares that they have no training to declare.
    trainings: tuple[dict, ...] = ()
    # Empty: no accommodation needed.
    accommodation: str = ""
    # Codes of the blocs validated in an earlier session: the candidacy targets the others.
    acquired: tuple[str, ...] = ()

    @property
    def sworn_name(self) -> str:
        return f"{self.identity['first_names']} {self.identity['birth_name']}"


@dataclass(frozen=True)
class DemoLink:
    """A candidate's link to a compétence: from pages of a piece, or from a narrative."""

    competence: str
    justification: str
    evidence: str = ""  # key of a DemoEvidence, or "" for a narrative link
    pages: tuple = (None, None)
    activity: str = ""  # code of the narrated activité, for a narrative link


@dataclass(frozen=True)
class DemoDossier:
    """What a candidate writes in livret 2; only what the candidacy targets is written."""

    narratives: dict  # activité code -> text
    evidence: list  # DemoEvidence
    links: list  # DemoLink
    no_evidence: dict = field(default_factory=dict)  # compétence code -> reason


@dataclass(frozen=True)
class WrittenDossier:
    """A written dossier's rows, by code and key, for the steps that follow (review)."""

    dossier: object
    narratives: dict
    evidence: dict
    competences: dict


# -- livret 1 ----------------------------------------------------------------------------------


def start_candidacy(person: DemoCandidate) -> Candidacy:
    """``person`` signs up and starts a candidacy, which opens their livret 1."""
    candidate = candidate_account(person.email, person.first_name, person.last_name)
    record_earlier_validations(candidate, person.acquired)
    return services.start_candidacy(candidate=candidate)


def fill_livret1(candidacy, person: DemoCandidate, *, complete: bool) -> None:
    """Identity and experiences; with ``complete``, every other section and the signature."""
    request, by = candidacy.eligibility_request, candidacy.candidate
    livret1.save_identity(eligibility_request=request, by=by, data=person.identity)
    for experience in person.experiences:
        livret1.add_experience(eligibility_request=request, by=by, data=experience)
    if complete:
        _complete_livret1(request, person)
    # The services wrote fresh rows: read the livret again, as the next page would.
    candidacy.refresh_from_db()


def _complete_livret1(request, person: DemoCandidate) -> None:
    by = request.candidacy.candidate
    livret1.save_situation(eligibility_request=request, by=by, data={"situation": person.situation})
    for training in person.trainings:
        livret1.add_training(eligibility_request=request, by=by, data=training)
    if not person.trainings:
        livret1.set_no_training(eligibility_request=request, by=by, no_training=True)
    livret1.save_accommodations(
        eligibility_request=request,
        by=by,
        data={
            "needs_accommodation": bool(person.accommodation),
            "accommodation_details": person.accommodation,
        },
    )
    livret1.sign_declaration(
        eligibility_request=request,
        by=by,
        name=person.sworn_name,
        place=person.identity["city"],
    )


def eligible_candidacy(person: DemoCandidate, certifier) -> Candidacy:
    """Livret 1 filled in, submitted and found recevable, like any candidate's."""
    candidacy = start_candidacy(person)
    fill_livret1(candidacy, person, complete=True)
    services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    services.accept_eligibility(candidacy=candidacy, by=certifier)
    return candidacy


# -- livret 2 ----------------------------------------------------------------------------------


def _upload(dossier, candidate, item: DemoEvidence):
    """Upload the rendered PDF through the candidate's own upload service, text read now."""
    change = upload_evidence(
        dossier=dossier,
        by=candidate,
        uploaded=SimpleUploadedFile(item.filename, render_document(item), FileType.PDF),
        title=item.title,
        kind=item.kind,
    )
    # The upload queues the extraction after commit; the demo reads the pages right away
    # (the review's passages are selected in them), so the same task runs now.
    extract_evidence_text.call(change.evidence.pk)
    return change.evidence


def _link(dossier, candidate, link: DemoLink, written: WrittenDossier) -> None:
    target = (
        {
            "evidence": written.evidence[link.evidence],
            "page_from": link.pages[0],
            "page_to": link.pages[1],
        }
        if link.evidence
        else {"narrative": written.narratives[link.activity]}
    )
    add_link(
        dossier=dossier,
        by=candidate,
        competence=written.competences[link.competence],
        justification=link.justification,
        **target,
    )


@transaction.atomic
def write_dossier(candidacy, content: DemoDossier) -> WrittenDossier:
    """The candidate writes ``content`` into their dossier, which stays unsigned."""
    candidate = candidacy.candidate
    dossier = dossier_for(candidacy)
    activities, competences = {}, {}
    for bloc in candidacy.referentiel_tree():
        for activity in bloc.activities.all():
            activities[activity.code] = activity
            competences.update({c.code: c for c in activity.competences.all()})
    narratives = {
        code: save_narrative((dossier, activities[code]), candidate, text, 0).narrative
        for code, text in content.narratives.items()
        if code in activities
    }
    evidence = {item.key: _upload(dossier, candidate, item) for item in content.evidence}
    written = WrittenDossier(dossier, narratives, evidence, competences)
    for link in content.links:
        if link.competence in competences:
            _link(dossier, candidate, link, written)
    for code, reason in content.no_evidence.items():
        if code in competences:
            save_no_evidence_reason(
                dossier=dossier, by=candidate, competence=competences[code], reason=reason
            )
    return written


def submit_dossier(candidacy, *, place) -> None:
    """The candidate signs the sworn statement of livret 2 and submits the dossier."""
    candidate = candidacy.candidate
    sign(
        dossier=dossier_for(candidacy),
        by=candidate,
        name=candidate.get_full_name(),
        place=place,
    )
    services.submit_dossier(candidacy=candidacy, by=candidate)
