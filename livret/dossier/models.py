"""Livret 2, the dossier de validation: narratives per activité, evidence files, and the
candidate's links from both to the compétences they support.

Nothing a candidate types or uploads is ever lost: narratives keep their revisions,
evidence is never overwritten, and each submission keeps a snapshot.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from livret.dossier.storage import evidence_storage
from livret.eligibility.models import EligibilityRequest
from livret.enums import EvidenceKind, ExtractionStatus, FileType, RevisionReason
from livret.rules import identity_of, is_identity_name


def evidence_upload_to(instance, filename):
    # Never the candidate's file name on disk: a random name, sharded by dossier.
    return f"{instance.dossier_id}/{uuid.uuid4().hex}"


class Dossier(models.Model):
    """The candidate's livret 2 for one candidacy."""

    candidacy = models.OneToOneField(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="dossier"
    )
    # Sworn statement of livret 2: the candidate certifies being the author of the
    # narratives and that the evidence is genuine. Any later change unsigns it.
    sworn_name = models.CharField(_("nom et prénom du signataire"), max_length=200, blank=True)
    sworn_place = models.CharField(_("fait à"), max_length=150, blank=True)
    sworn_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("livret 2 (dossier de validation)")
        verbose_name_plural = _("livrets 2 (dossiers de validation)")

    def __str__(self):
        return f"Livret 2 — {self.candidacy}"

    @property
    def is_signed(self) -> bool:
        return self.sworn_at is not None

    def _livret1(self):
        return (
            EligibilityRequest.objects.select_related("candidacy__candidate")
            .filter(candidacy_id=self.candidacy_id)
            .first()
        )

    @property
    def signing_identity(self):
        """The names the candidate may sign with: their livret 1 identity and account."""
        livret1 = self._livret1()
        if livret1 is not None:
            return livret1.signing_identity
        return identity_of(account=self.candidacy.candidate)

    @property
    def signer_name(self) -> str:
        """The candidate's name as the signature is prefilled: livret 1's, else the account's."""
        livret1 = self._livret1()
        return (livret1.display_name if livret1 else "") or self.candidacy.candidate.get_full_name()

    @property
    def sworn_name_mismatch(self) -> bool:
        """A recorded signature that is not the candidate's name (see EligibilityRequest)."""
        return bool(self.sworn_name) and not is_identity_name(
            self.sworn_name, self.signing_identity
        )


class DossierSubmission(models.Model):
    """One submission of the dossier: the moment, and (through revisions and evidence)
    exactly what was submitted. A returned dossier keeps its earlier submissions."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("dépôt n°"))
    submitted_at = models.DateTimeField(_("déposé le"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    sworn_name = models.CharField(max_length=200)
    sworn_place = models.CharField(max_length=150)
    sworn_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dépôt du dossier")
        verbose_name_plural = _("dépôts du dossier")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="submission_number_once")
        ]

    def __str__(self):
        return f"Dépôt n°{self.number} — {self.dossier}"


class Narrative(models.Model):
    """What the candidate did, in their words, for one activité of a targeted bloc.

    ``version`` increases with every save: a save states the version it was based on,
    and a stale one (another tab, another device) is refused instead of overwriting.
    Plain text: paragraphs separated by blank lines, always escaped when shown.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="narratives")
    activity = models.ForeignKey("referentiel.Activity", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("récit"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("récit")
        verbose_name_plural = _("récits")
        ordering = ["dossier", "activity__bloc__sort_order", "activity__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "activity"], name="one_narrative_per_activity"
            )
        ]

    def __str__(self):
        return f"Récit {self.activity} — {self.dossier}"


class NarrativeRevision(models.Model):
    """A kept version of a narrative: restorable, never modified."""

    narrative = models.ForeignKey(Narrative, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    reason = models.CharField(max_length=12, choices=RevisionReason.choices)
    submission = models.ForeignKey(
        DossierSubmission, on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("version d'un récit")
        verbose_name_plural = _("versions des récits")
        ordering = ["narrative", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.narrative} v{self.version}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        """Evidence that counts: not withdrawn and not replaced by a newer file."""
        return self.filter(withdrawn_at__isnull=True, replaced_by__isnull=True)


class Evidence(models.Model):
    """A pièce justificative: a PDF, JPEG or PNG checked by content, stored privately.

    Never overwritten: a replacement is a new row (``replaces``). Once part of a
    submission (``first_submission``), it is never deleted either, only withdrawn.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("nature"), max_length=30, choices=EvidenceKind.choices)
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("nom du fichier déposé"), max_length=255)
    content_type = models.CharField(_("type"), max_length=30, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    page_count = models.PositiveIntegerField(_("pages"), default=1)
    # A PDF with JavaScript is kept for reading but never shown inline.
    has_javascript = models.BooleanField(_("contient du JavaScript"), default=False)

    extraction_status = models.CharField(
        _("extraction du texte"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    extraction_error = models.TextField(_("motif de l'échec"), blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Pages whose text is not empty, counted when the pages are stored (``extraction.
    # record_pages``): the pages shown about a piece never read its texts to tell a scan
    # from a text PDF. Empty while no page is stored.
    text_pages = models.PositiveIntegerField(
        _("pages avec du texte"), null=True, blank=True, editable=False
    )

    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("remplace"),
    )
    first_submission = models.ForeignKey(
        DossierSubmission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("déposée pour la première fois avec"),
    )
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["dossier", "uploaded_at", "pk"]
        constraints = [
            # The same file twice in one dossier is a mistake (detected and explained
            # before reaching this constraint).
            models.UniqueConstraint(fields=["dossier", "sha256"], name="evidence_file_once")
        ]

    def __str__(self):
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.first_submission_id is not None

    @property
    def is_pdf(self) -> bool:
        return self.content_type == FileType.PDF


class EvidenceOverrun(models.Model):
    """A file of a candidate that the box stopped (too long or too heavy to read), at
    upload or at text extraction: several in a short time slow the candidate's uploads
    down (``services.check_not_slowed_down``). A row, not a cache entry: the uploads
    (web workers) and the extractions (tasks worker) are different processes.
    """

    class Stage(models.TextChoices):
        CHECK = "check", _("contrôle au dépôt")
        EXTRACTION = "extraction", _("extraction du texte")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    stage = models.CharField(_("étape"), max_length=10, choices=Stage.choices)
    # What stopped it (``box.TIMEOUT``, ``MEMORY``, ``CRASH``, ``ERROR``).
    kind = models.CharField(_("cause"), max_length=10)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("fichier trop lourd à lire")
        verbose_name_plural = _("fichiers trop lourds à lire")
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.user_id} {self.stage} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class EvidencePage(models.Model):
    """The text pypdf extracted from one page, for review and search."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["evidence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="evidence_page_once")
        ]

    def __str__(self):
        return f"{self.evidence} p. {self.number}"


class CompetenceLink(models.Model):
    """The candidate says: this evidence (or these pages of it), or this narrative,
    supports this compétence — and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="links")
    competence = models.ForeignKey(
        "referentiel.Competence", on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    page_from = models.PositiveIntegerField(_("de la page"), null=True, blank=True)
    page_to = models.PositiveIntegerField(_("à la page"), null=True, blank=True)
    narrative = models.ForeignKey(
        Narrative, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    justification = models.TextField(_("en quoi cela prouve la compétence"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien vers une compétence")
        verbose_name_plural = _("liens vers les compétences")
        ordering = ["dossier", "competence__activity__bloc__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(evidence__isnull=False) & Q(narrative__isnull=True))
                | (Q(evidence__isnull=True) & Q(narrative__isnull=False)),
                name="link_evidence_xor_narrative",
            ),
            models.CheckConstraint(
                condition=Q(page_from__isnull=True) | Q(evidence__isnull=False),
                name="link_pages_only_for_evidence",
            ),
        ]

    def __str__(self):
        return f"{self.competence} ← {self.evidence or self.narrative}"


class NoEvidenceReason(models.Model):
    """Why the candidate has no evidence for a compétence (e.g. documents confidential)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="no_evidence")
    competence = models.ForeignKey(
        "referentiel.Competence", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("pourquoi aucune pièce"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("absence de pièce expliquée")
        verbose_name_plural = _("absences de pièce expliquées")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "competence"], name="one_no_evidence_reason_per_competence"
            )
        ]

    def __str__(self):
        return f"{self.competence} — sans pièce"
