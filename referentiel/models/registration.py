"""What France compétences registered of a certification: the facts its certificates and
bloc attestations must print (its guidance for certifiers), kept beside the référentiel
version and not in it.

A published version is locked (its content is what candidates were assessed on), while
the registration is filled in when the decision comes and corrected when a number was
mistyped: it is a record of its own, editable at any time by certifiers. The seed gives
none of these facts; issuing a document refuses while one is missing
(``missing_fields``), and the demo fills them with obviously fictitious values.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from referentiel.models.referentiel import Certification


class CertificationRegistration(models.Model):
    certification = models.OneToOneField(
        Certification,
        on_delete=models.CASCADE,
        related_name="registration",
        verbose_name=_("version du référentiel"),
    )
    certifier_legal_name = models.CharField(
        _("dénomination légale du certificateur"), max_length=255, blank=True
    )
    rncp_number = models.CharField(
        _("numéro d'enregistrement au RNCP"),
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(
                r"^RNCP\d{3,6}$", _("Un numéro RNCP s'écrit « RNCP » suivi de chiffres.")
            )
        ],
        help_text=_("Par exemple « RNCP12345 »."),
    )
    decision_date = models.DateField(
        _("date de la décision de France compétences"), null=True, blank=True
    )
    nsf_codes = models.CharField(
        _("codes NSF"),
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{3}[a-z]?(, ?\d{3}[a-z]?)*$",
                _("Des codes NSF séparés par des virgules, par exemple « 320, 323p »."),
            )
        ],
    )
    signatory_name = models.CharField(_("nom du signataire"), max_length=150, blank=True)
    signatory_title = models.CharField(_("qualité du signataire"), max_length=150, blank=True)
    issue_place = models.CharField(_("lieu de délivrance"), max_length=100, blank=True)

    # What a certificate cannot be issued without.
    REQUIRED = (
        "certifier_legal_name",
        "rncp_number",
        "decision_date",
        "nsf_codes",
        "signatory_name",
        "signatory_title",
        "issue_place",
    )

    class Meta:
        verbose_name = _("enregistrement RNCP")
        verbose_name_plural = _("enregistrements RNCP")

    def __str__(self):
        return f"{self.certification} — {self.rncp_number or _('numéro RNCP à saisir')}"

    def missing_fields(self) -> list[str]:
        """The names, in French, of the required facts still empty."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED
            if not getattr(self, name)
        ]

    @property
    def european_level(self) -> int:
        """The level in the European qualifications framework (CEC): since the 2019
        nomenclature the French levels are numbered as the European ones."""
        return self.certification.level
