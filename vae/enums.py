from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The platform's roles; one person may hold several (e.g. a staff member who is
    also an evaluator). Each role is a Django group of the same name."""

    CANDIDATE = "candidat", _("Candidat")
    EVALUATOR = "evaluateur", _("Évaluateur")
    JURY_MEMBER = "jury", _("Membre du jury")
    CERTIFIER = "certificateur", _("Certificateur")
