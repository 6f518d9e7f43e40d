from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The platform's roles; one person may hold several (e.g. a staff member who is
    also an evaluator). Each role is a Django group of the same name."""

    CANDIDATE = "candidat", _("Candidat")
    EVALUATOR = "evaluateur", _("Évaluateur")
    JURY_MEMBER = "jury", _("Membre du jury")
    CERTIFIER = "certificateur", _("Certificateur")


class CandidacyState(models.TextChoices):
    """Every state of a candidacy (ARCHITECTURE.md §2). Labels are what the candidate reads."""

    DRAFT = "draft", _("Brouillon")
    ELIGIBILITY_SUBMITTED = "eligibility_submitted", _("Recevabilité en cours d'examen")
    ELIGIBLE = "eligible", _("Recevable")
    INELIGIBLE = "ineligible", _("Non recevable")
    DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier de validation déposé")
    UNDER_REVIEW = "under_review", _("Dossier en cours d'évaluation")
    REVIEWED = "reviewed", _("Évaluation terminée")
    JURY_SCHEDULED = "jury_scheduled", _("Convoqué devant le jury")
    INTERVIEWED = "interviewed", _("Entretien avec le jury passé")
    DECIDED = "decided", _("Décision du jury rendue")
    WITHDRAWN = "withdrawn", _("Abandonnée")


S = CandidacyState

# State sets, named once here and reused by the transitions, the policies and the pages.
FINAL_STATES = (S.INELIGIBLE, S.DECIDED, S.WITHDRAWN)
OPEN_STATES = tuple(state for state in CandidacyState if state not in FINAL_STATES)
# Livret 1 can be edited by the candidate only while it is a draft (new or returned).
LIVRET1_EDITABLE_STATES = (S.DRAFT,)
# Livret 2 is written once the request is recevable, and again when the dossier is
# returned; from its submission on it is frozen.
DOSSIER_EDITABLE_STATES = (S.ELIGIBLE,)
# States in which a dossier exists and can be read (by its candidate and the staff).
DOSSIER_STATES = (
    S.ELIGIBLE,
    S.DOSSIER_SUBMITTED,
    S.UNDER_REVIEW,
    S.REVIEWED,
    S.JURY_SCHEDULED,
    S.INTERVIEWED,
    S.DECIDED,
    S.WITHDRAWN,
)
# The candidacy waits for a certifier's decision.
AWAITING_DECISION = (S.ELIGIBILITY_SUBMITTED, S.DOSSIER_SUBMITTED)
# The panel of evaluators is formed, and can change, from the dossier's submission to the
# end of the review.
PANEL_STATES = (S.DOSSIER_SUBMITTED, S.UNDER_REVIEW)
# An active evaluator reads the dossier from its submission to the end of the review.
EVALUATOR_READING_STATES = (S.DOSSIER_SUBMITTED, S.UNDER_REVIEW, S.REVIEWED)
# The review has started (and may be over): ratings exist from here on.
REVIEW_STARTED_STATES = (S.UNDER_REVIEW, S.REVIEWED, S.JURY_SCHEDULED, S.INTERVIEWED, S.DECIDED)
# The session's members who declared not to know the candidate read the dossier from the
# convocation on.
JURY_READING_STATES = (S.JURY_SCHEDULED, S.INTERVIEWED, S.DECIDED)
# The certifier convokes a reviewed candidacy to a session, or moves a convoked one.
JURY_SCHEDULING_STATES = (S.REVIEWED, S.JURY_SCHEDULED)
# The certifier's candidacy page shows the review from the dossier's submission on.
REVIEW_SECTION_STATES = (S.DOSSIER_SUBMITTED, *REVIEW_STARTED_STATES)


class Transition(models.TextChoices):
    """The transitions of the candidacy machine; the value is the method's name."""

    SUBMIT_ELIGIBILITY = "submit_eligibility", _("Envoi du livret 1")
    RETURN_ELIGIBILITY = "return_eligibility", _("Livret 1 renvoyé pour correction")
    ACCEPT_ELIGIBILITY = "accept_eligibility", _("Demande déclarée recevable")
    REJECT_ELIGIBILITY = "reject_eligibility", _("Demande déclarée non recevable")
    SUBMIT_DOSSIER = "submit_dossier", _("Dépôt du dossier de validation")
    RETURN_DOSSIER = "return_dossier", _("Dossier de validation renvoyé pour correction")
    START_REVIEW = "start_review", _("Début de l'évaluation du dossier")
    COMPLETE_REVIEW = "complete_review", _("Fin de l'évaluation du dossier")
    SCHEDULE_JURY = "schedule_jury", _("Convocation devant le jury")
    RESCHEDULE_JURY = "reschedule_jury", _("Report du passage devant le jury")
    RECORD_ABSENCE = "record_absence", _("Absence à l'entretien avec le jury")
    RECORD_INTERVIEW = "record_interview", _("Entretien avec le jury passé")
    DECIDE = "decide", _("Décision du jury")
    WITHDRAW = "withdraw", _("Abandon de la candidature")


@dataclass(frozen=True)
class TransitionRule:
    """One row of the candidacy machine (ARCHITECTURE.md §2).

    ``actors`` are the roles that may perform it (the candidate acts on their own
    candidacy only; the upper apps say who else qualifies for their roles);
    ``comment_required`` is the French sentence shown when the comment is left empty, or
    empty when the comment is optional. Guards and side effects are registered by the
    apps that own them (``vae.workflow``).
    """

    sources: tuple[CandidacyState, ...]
    target: CandidacyState
    actors: frozenset[Role]
    comment_required: str = ""


T = Transition
CANDIDATE = frozenset({Role.CANDIDATE})
CERTIFIER = frozenset({Role.CERTIFIER})
JURY = frozenset({Role.JURY_MEMBER})

# The one table the state machine, the permissions, the services and the pages read.
TRANSITIONS: dict[Transition, TransitionRule] = {
    T.SUBMIT_ELIGIBILITY: TransitionRule((S.DRAFT,), S.ELIGIBILITY_SUBMITTED, CANDIDATE),
    T.RETURN_ELIGIBILITY: TransitionRule(
        (S.ELIGIBILITY_SUBMITTED,),
        S.DRAFT,
        CERTIFIER,
        _("Indiquez au candidat ce qu'il doit corriger ou compléter dans son livret 1."),
    ),
    T.ACCEPT_ELIGIBILITY: TransitionRule((S.ELIGIBILITY_SUBMITTED,), S.ELIGIBLE, CERTIFIER),
    T.REJECT_ELIGIBILITY: TransitionRule(
        (S.ELIGIBILITY_SUBMITTED,),
        S.INELIGIBLE,
        CERTIFIER,
        _("Le motif de non-recevabilité est obligatoire : il est communiqué au candidat."),
    ),
    T.SUBMIT_DOSSIER: TransitionRule((S.ELIGIBLE,), S.DOSSIER_SUBMITTED, CANDIDATE),
    T.RETURN_DOSSIER: TransitionRule(
        (S.DOSSIER_SUBMITTED,),
        S.ELIGIBLE,
        CERTIFIER,
        _("Indiquez au candidat ce qu'il doit corriger ou compléter dans son dossier."),
    ),
    T.START_REVIEW: TransitionRule((S.DOSSIER_SUBMITTED,), S.UNDER_REVIEW, CERTIFIER),
    T.COMPLETE_REVIEW: TransitionRule((S.UNDER_REVIEW,), S.REVIEWED, CERTIFIER),
    T.SCHEDULE_JURY: TransitionRule((S.REVIEWED,), S.JURY_SCHEDULED, CERTIFIER),
    T.RESCHEDULE_JURY: TransitionRule(
        (S.JURY_SCHEDULED,),
        S.JURY_SCHEDULED,
        CERTIFIER,
        _("Le motif du report est obligatoire : il est communiqué au candidat."),
    ),
    # Back to « reviewed »: the candidate can be scheduled again. Whether the absence is
    # excused, and why, is the log row's comment (written by ``jury.services``).
    T.RECORD_ABSENCE: TransitionRule((S.JURY_SCHEDULED,), S.REVIEWED, JURY | CERTIFIER),
    T.RECORD_INTERVIEW: TransitionRule((S.JURY_SCHEDULED,), S.INTERVIEWED, JURY),
    # Run by the service when the last member signs the deliberation (``jury.deliberation``):
    # its guard wants every member's signature on a complete decision.
    T.DECIDE: TransitionRule((S.INTERVIEWED,), S.DECIDED, JURY),
    T.WITHDRAW: TransitionRule(OPEN_STATES, S.WITHDRAWN, CANDIDATE | CERTIFIER),
}


def transitions_of(role: Role) -> frozenset[Transition]:
    """The transitions ``role`` may perform (on the candidacies it qualifies for)."""
    return frozenset(name for name, rule in TRANSITIONS.items() if role in rule.actors)


class DocumentKind(models.TextChoices):
    """The PDFs the platform generates (``vae.documents``); each kind's renderer is
    registered by the app that owns its content."""

    LIVRET2 = "livret2", _("Livret 2 (export PDF)")
    EVALUATION_GRID = "evaluation_grid", _("Grille d'évaluation")
    CONVOCATION = "convocation", _("Convocation au jury")
    CERTIFICATE = "certificate", _("Certificat")
    BLOC_ATTESTATION = "bloc_attestation", _("Attestation de bloc de compétences")
    JURY_PV = "jury_pv", _("Procès-verbal du jury")
    COHORT_REPORT = "cohort_report", _("Rapport d'analyse des cohortes (CPNEF)")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("En préparation")
    RUNNING = "running", _("En préparation")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")


DOCUMENT_FINAL_STATUSES = (DocumentStatus.READY, DocumentStatus.FAILED)
