"""The follow-up survey's answers, as France compétences' insertion tables need them.

Each list is the smallest that the registration file asks for: nothing personal beyond
what the rates and the contract and pay breakdowns need.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    # Validation totale: the certificate.
    TOTAL = "total", _("Certification complète")
    # Validation partielle: one or more bloc attestations.
    PARTIAL = "partial", _("Validation partielle (blocs)")


class AccessPath(models.TextChoices):
    # Every candidacy on the platform today is a VAE; the training path of the référentiel
    # (questionnaire, étude de cas, soutenance) is a column ready for its data.
    VAE = "vae", _("VAE")
    TRAINING = "training", _("Formation")


class Situation(models.TextChoices):
    EMPLOYED = "employed", _("En emploi")
    SEEKING = "seeking", _("En recherche d'emploi")
    STUDYING = "studying", _("En formation ou en études")
    UNABLE = "unable", _("Dans l'incapacité de travailler")
    OTHER = "other", _("Autre situation")


# France compétences removes these respondents before computing both insertion rates.
NEUTRALISED_SITUATIONS = frozenset({Situation.STUDYING, Situation.UNABLE})


class Sector(models.TextChoices):
    AUDIOVISUAL = "audiovisual", _("Cinéma et audiovisuel")
    OTHER = "other", _("Autre secteur")


class ContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    CDDU = "cddu", _("CDD d'usage (intermittent du spectacle)")
    INDEPENDENT = "independent", _("Indépendant, auto-entrepreneur")
    OTHER = "other", _("Autre contrat")


class WorkingTime(models.TextChoices):
    FULL = "full", _("Temps plein")
    PART = "part", _("Temps partiel")


class PayBand(models.TextChoices):
    """Gross annual pay, in the bands of the registration file."""

    UNDER_20K = "lt20", _("Moins de 20 000 €")
    FROM_20K = "20_30", _("De 20 000 à 29 999 €")
    FROM_30K = "30_40", _("De 30 000 à 39 999 €")
    FROM_40K = "40_50", _("De 40 000 à 49 999 €")
    FROM_50K = "gte50", _("50 000 € ou plus")
    UNDISCLOSED = "undisclosed", _("Ne souhaite pas répondre")


class SurveyState(models.TextChoices):
    """Where a survey stands, for the certifier's list: told from its dates
    (``cohorts.surveys.state``), in this order of precedence."""

    CANCELLED = "cancelled", _("Annulée (décision rectifiée)")
    REFUSED = "refused", _("Refusée")
    ANSWERED = "answered", _("Répondue")
    CLOSED = "closed", _("Close sans réponse")
    REMINDED = "reminded", _("Relancée, sans réponse")
    SENT = "sent", _("Envoyée, sans réponse")
    SCHEDULED = "scheduled", _("À envoyer")
