"""Generated documents: the PDFs the platform writes about a candidacy (livret 2 export,
evaluation grid, convocation, certificate) or about several (a jury session's PV: no
candidacy of its own, its reader is the owning app's ``can_read``).

A PDF is a document, not request work: it is rendered once in a task
(``vae.documents.tasks``), stored privately with its SHA-256 and served from storage.
One row per (candidacy, kind, key): ``key`` names the version (« depot-2 » for what was
sent with a submission, frozen; « current » for the working version, re-rendered when
its content ``version`` token changes).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vae.enums import DOCUMENT_FINAL_STATUSES, DocumentKind, DocumentStatus
from vae.storage import documents_storage

CURRENT = "current"


# The folder of the documents that are about no single candidacy (a session's PV).
SHARED_FOLDER = "commun"


def document_path(document, filename):
    return f"{document.candidacy_id or SHARED_FOLDER}/{filename}"


class GeneratedDocument(models.Model):
    # Empty for a document about several candidacies (a jury session's PV).
    candidacy = models.ForeignKey(
        "vae.Candidacy",
        on_delete=models.CASCADE,
        related_name="documents",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    key = models.CharField(_("version"), max_length=40, default=CURRENT)
    # What the owning app says the content is made of (a digest); a change means the
    # current version must be rendered again. Empty for frozen versions.
    version = models.CharField(max_length=64, blank=True)
    frozen = models.BooleanField(default=False)
    status = models.CharField(
        _("état"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField(blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    file = models.FileField(storage=documents_storage, upload_to=document_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(_("demandé le"))
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "kind", "key"], name="one_generated_document_per_version"
            ),
            # NULLs are distinct in a unique index: the shared documents need their own.
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(candidacy__isnull=True),
                name="one_shared_document_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} ({self.candidacy_id})"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY and bool(self.file)

    @property
    def is_final(self) -> bool:
        return self.status in DOCUMENT_FINAL_STATUSES
