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


# Source lists, named once and reused by the transitions and the ``can_*`` helpers.
FINAL_STATES = (CandidacyState.INELIGIBLE, CandidacyState.DECIDED, CandidacyState.WITHDRAWN)
OPEN_STATES = tuple(state for state in CandidacyState if state not in FINAL_STATES)
# Livret 1 can be edited by the candidate only while it is a draft (new or returned).
LIVRET1_EDITABLE_STATES = (CandidacyState.DRAFT,)
# Livret 2 is written once the request is recevable, and again when the dossier is
# returned; from its submission on it is frozen.
DOSSIER_EDITABLE_STATES = (CandidacyState.ELIGIBLE,)
# States in which a dossier exists and can be read (by its candidate and the staff).
DOSSIER_STATES = (
    CandidacyState.ELIGIBLE,
    CandidacyState.DOSSIER_SUBMITTED,
    CandidacyState.UNDER_REVIEW,
    CandidacyState.REVIEWED,
    CandidacyState.JURY_SCHEDULED,
    CandidacyState.INTERVIEWED,
    CandidacyState.DECIDED,
    CandidacyState.WITHDRAWN,
)


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
    WITHDRAW = "withdraw", _("Abandon de la candidature")
