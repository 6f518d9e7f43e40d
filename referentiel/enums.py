from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    RETIRED = "retired", _("Retirée")


class Rating(models.TextChoices):
    """The scale used by evaluators on études de cas, soutenance and livret 2."""

    ACQUIRED = "acquis", _("acquis")
    PARTIAL = "partiel", _("partiellement acquis")
    NOT_ACQUIRED = "non_acquis", _("non acquis")


class Path(models.TextChoices):
    """How a candidate reaches the certification; the bloc rules depend on it."""

    VAE = "vae", _("VAE")
    TRAINING = "formation", _("Formation")


class AssessmentKind(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("Questionnaire à visée professionnelle")
    CASE_STUDY = "etude_de_cas", _("Étude de cas")
    ORAL = "soutenance", _("Soutenance orale")


class AssessmentMode(models.TextChoices):
    WRITTEN = "ecrit", _("Écrit")
    ORAL = "oral", _("Oral")


class Panel(models.TextChoices):
    """The two bodies whose composition the référentiel fixes."""

    EVALUATORS = "evaluators", _("Évaluateurs")
    JURY = "jury", _("Jury de délibération")
