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


class EvidenceKind(models.TextChoices):
    """What a piece of evidence is, as the candidate declares it."""

    PAYSLIP = "bulletin_paie", _("Bulletin de paie")
    EMPLOYMENT_CONTRACT = "contrat_travail", _("Contrat de travail")
    BUDGET = "devis_budget", _("Devis / budget")
    CASH_PLAN = "plan_tresorerie", _("Plan de trésorerie")
    SCHEDULE = "echeancier", _("Échéancier")
    SOCIAL_DECLARATION = "dsn", _("DSN / déclaration sociale")
    EMPLOYER_CERTIFICATE = "attestation_employeur", _("Attestation employeur")
    OTHER = "autre", _("Autre")


class FileType(models.TextChoices):
    """The content types we accept, recognised from the bytes, never from the name."""

    PDF = "application/pdf", _("PDF")
    JPEG = "image/jpeg", _("Image JPEG")
    PNG = "image/png", _("Image PNG")


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    READY = "ready", _("Prête")
    FAILED = "failed", _("Échec")


class RevisionReason(models.TextChoices):
    """Why a narrative revision was kept."""

    EDIT = "edit", _("Enregistrement")
    RESTORE = "restore", _("Restauration d'une version antérieure")
    CONFLICT = "conflict", _("Version remplacée lors d'un conflit")
    SUBMISSION = "submission", _("Version déposée")
