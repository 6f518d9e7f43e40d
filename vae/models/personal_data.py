"""Personal data under control (RGPD): who opened which file of a candidate, and how long
the platform keeps what.

``FileAccess`` exists because evidence holds payslips and identity documents: the
candidate and the certifier must be able to know who read them. ``RetentionPolicy`` is the
certifier's decision on how long files and identities are kept after a candidacy ends,
applied by ``manage.py purge_personal_data``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class AccessedFile(models.TextChoices):
    EVIDENCE = "evidence", _("Pièce justificative")
    DOCUMENT = "document", _("Document généré")


class FileAccess(models.Model):
    """One opening of a candidate's file by someone else than the candidate.

    Written by the download views in one INSERT; never changed. ``label`` keeps the
    file's title as it was read, so the line stays meaningful after a purge.
    """

    accessed_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )
    candidacy = models.ForeignKey(
        "vae.Candidacy",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("candidature"),
    )
    kind = models.CharField(_("type de fichier"), max_length=10, choices=AccessedFile.choices)
    object_id = models.PositiveBigIntegerField(_("identifiant du fichier"))
    label = models.CharField(_("fichier"), max_length=255)

    class Meta:
        verbose_name = _("consultation d'un fichier")
        verbose_name_plural = _("consultations des fichiers")
        ordering = ["-accessed_at", "-pk"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["candidacy", "-accessed_at"], name="file_access_by_candidacy"),
            models.Index(fields=["user", "-accessed_at"], name="file_access_by_user"),
        ]

    def __str__(self):
        return f"{self.label} ({self.accessed_at:%Y-%m-%d %H:%M})"


@register_setting(icon="lock")
class RetentionPolicy(BaseGenericSetting):
    """How long a candidate's data is kept once their candidacy is over (final state:
    decided, not recevable or withdrawn). Decisions, acquired blocs, certificates and
    their verification are never purged: a certificate must stay verifiable."""

    evidence_years = models.PositiveSmallIntegerField(
        _("suppression des pièces justificatives (années)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Les fichiers des pièces et leur texte sont supprimés ce nombre d'années après "
            "la fin de la candidature (décision, non-recevabilité ou abandon)."
        ),
    )
    identity_years = models.PositiveSmallIntegerField(
        _("anonymisation de l'identité (années)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
        help_text=_(
            "Nom, adresse, téléphone, date de naissance et adresse e-mail du candidat sont "
            "effacés ce nombre d'années après la fin de sa dernière candidature. Les "
            "décisions et les blocs acquis sont conservés."
        ),
    )

    class Meta:
        verbose_name = _("conservation des données personnelles")
