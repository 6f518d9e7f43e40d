from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certificates.enums import CredentialKind, CredentialStatus
from referentiel.models import Certification
from vae.models import Candidacy


class Credential(models.Model):
    """A certificate (validation totale) or a bloc attestation (a bloc validated in a
    partial validation), as issued.

    What the document prints is kept here as it was issued — the holder's identity from
    livret 1, the certification as registered with France compétences, the signatory —
    so that the document reads the same, and stays verifiable at ``/verifier/<number>/``,
    when the référentiel moves on and when the candidate's account is anonymised years
    later (the generated PDF is a retained kind: ``certificates.apps``). It is never
    edited: a correction is a new credential (``replaces``) and this one is « rectifié ».
    """

    number = models.CharField(_("numéro"), max_length=19, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=CredentialKind.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.VALID
    )
    status_reason = models.TextField(_("motif du statut"), blank=True, max_length=2000)
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="credentials")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    # The bloc of an attestation; empty for a certificate.
    bloc_code = models.CharField(_("bloc"), max_length=10, blank=True)
    bloc_title = models.TextField(_("intitulé du bloc"), blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("remplace"),
    )

    # The holder, from livret 1, as issued.
    holder_first_names = models.CharField(_("prénoms"), max_length=200)
    holder_birth_name = models.CharField(_("nom de naissance"), max_length=150)
    holder_usage_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    holder_birth_date = models.DateField(_("date de naissance"))
    holder_birth_place = models.CharField(_("lieu de naissance"), max_length=260)

    # The certification as registered (``CertificationRegistration``), as issued.
    certification_title = models.CharField(_("intitulé de la certification"), max_length=255)
    level = models.PositiveSmallIntegerField(_("niveau"))
    certifier_legal_name = models.CharField(_("certificateur"), max_length=255)
    rncp_number = models.CharField(_("numéro RNCP"), max_length=12)
    registration_date = models.DateField(_("date de la décision de France compétences"))
    nsf_codes = models.CharField(_("codes NSF"), max_length=60)
    signatory_name = models.CharField(_("signataire"), max_length=150)
    signatory_title = models.CharField(_("qualité du signataire"), max_length=150)
    issue_place = models.CharField(_("lieu de délivrance"), max_length=100)

    decided_on = models.DateField(_("date de la décision du jury"))
    issued_on = models.DateField(_("délivré le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document délivré")
        verbose_name_plural = _("documents délivrés")
        ordering = ["candidacy_id", "kind", "bloc_code", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="credential_bloc_iff_attestation",
                condition=(
                    Q(kind=CredentialKind.CERTIFICATE, bloc_code="")
                    | (Q(kind=CredentialKind.BLOC_ATTESTATION) & ~Q(bloc_code=""))
                ),
            ),
            # One standing document per candidacy and bloc (or certificate).
            models.UniqueConstraint(
                fields=["candidacy", "kind", "bloc_code"],
                condition=Q(status=CredentialStatus.VALID),
                name="credential_one_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def holder_name(self) -> str:
        last = self.holder_usage_name or self.holder_birth_name
        return f"{self.holder_first_names} {last}".strip()

    @property
    def is_certificate(self) -> bool:
        return self.kind == CredentialKind.CERTIFICATE

    @property
    def document_key(self) -> str:
        return f"credential-{self.number}"
