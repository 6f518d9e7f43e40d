from django.db import models
from django.utils.translation import gettext_lazy as _


class Civility(models.TextChoices):
    MADAME = "mme", _("Madame")
    MONSIEUR = "m", _("Monsieur")


class Situation(models.TextChoices):
    """The candidate's current situation, as the national livret 1 asks it."""

    EMPLOYEE_PERMANENT = "cdi", _("Salarié(e) en CDI")
    EMPLOYEE_FIXED_TERM = "cdd", _("Salarié(e) en CDD")
    INTERMITTENT = "intermittent", _("Intermittent(e) du spectacle (CDD d'usage)")
    SELF_EMPLOYED = "independant", _("Travailleur indépendant / auto-entrepreneur")
    JOB_SEEKER = "demandeur_emploi", _("Demandeur d'emploi")
    CIVIL_SERVANT = "fonctionnaire", _("Agent public")
    OTHER = "autre", _("Autre situation")


class Sector(models.TextChoices):
    AUDIOVISUAL = "audiovisuel", _("Audiovisuel, cinéma, spectacle")
    OTHER = "autre", _("Autre secteur")


class Domain(models.TextChoices):
    """Fields of work the prerequisites and the blocs care about."""

    PRODUCTION_ADMINISTRATION = "administration_production", _("Administration de production")
    ACCOUNTING = "comptabilite", _("Comptabilité")
    PAYROLL = "paie", _("Paie et déclarations sociales")
    BUDGET = "budget", _("Budget, devis, plan de financement")
    TREASURY = "tresorerie", _("Trésorerie")
    LEGAL = "juridique", _("Contrats, droit social, droits d'auteur")
    TAX_CREDITS = "credits_impot", _("Crédits d'impôt, aides (CNC, régions)")
    OTHER = "autre", _("Autre")


class WorkingTime(models.TextChoices):
    FULL_TIME = "plein", _("Temps plein")
    PART_TIME = "partiel", _("Temps partiel")


class TrainingOutcome(models.TextChoices):
    OBTAINED = "obtenu", _("Diplôme ou certification obtenu")
    NOT_OBTAINED = "non_obtenu", _("Suivi sans diplôme ou non obtenu")
    IN_PROGRESS = "en_cours", _("En cours")
