from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    # A validation totale: the certification is obtained.
    CERTIFICATE = "certificate", _("Certificat")
    # A validation partielle: one attestation per bloc validated.
    BLOC_ATTESTATION = "bloc_attestation", _("Attestation de bloc de compétences")


class CredentialStatus(models.TextChoices):
    VALID = "valid", _("Valide")
    # Replaced by a corrected document (a new number); this one no longer stands.
    RECTIFIED = "rectified", _("Rectifié")
    CANCELLED = "cancelled", _("Annulé")
