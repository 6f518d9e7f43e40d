"""The review of a submitted dossier by four evaluators who do not know the candidate.

Evaluators are assigned per the référentiel's seats, declare the absence of conflict of
interest before seeing anything, tie passages of the dossier to criteria, rate each
compétence blind, and the certifier's representative consolidates the four grids.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from referentiel.enums import Rating
from review.enums import (
    HOLDING_STATUSES,
    AssignmentStatus,
    EvaluatorCategory,
    LinkVerdict,
    PassageKind,
    ReviewEventKind,
)
from vae.workflow import AppendOnlyError


class EvaluatorProfile(models.Model):
    """Which seat a person can hold on a panel: their category is fixed by the CPNEF."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluator_profile",
        verbose_name=_("évaluateur"),
    )
    category = models.CharField(_("catégorie"), max_length=30, choices=EvaluatorCategory.choices)
    organisation = models.CharField(_("structure"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("profil d'évaluateur")
        verbose_name_plural = _("profils d'évaluateurs")

    def __str__(self):
        return f"{self.user} — {self.get_category_display()}"


class AssignmentQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=HOLDING_STATUSES)

    def active(self):
        return self.filter(status=AssignmentStatus.ACTIVE)


class Assignment(models.Model):
    """One evaluator on the panel of one candidacy."""

    candidacy = models.ForeignKey(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    # The seat held, copied from the profile: a later change of profile does not move
    # an evaluator from one seat to another on a running review.
    category = models.CharField(_("siège"), max_length=30, choices=EvaluatorCategory.choices)
    status = models.CharField(
        _("statut"),
        max_length=24,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.AWAITING_DECLARATION,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("affecté le"), default=timezone.now)
    due_date = models.DateField(_("à rendre avant le"), null=True, blank=True)
    declared_at = models.DateTimeField(_("déclaration le"), null=True, blank=True)
    declaration_details = models.TextField(_("précisions sur le conflit"), blank=True)
    ended_at = models.DateTimeField(_("fin le"), null=True, blank=True)
    end_reason = models.TextField(_("motif de fin"), blank=True)
    grid_submitted_at = models.DateTimeField(_("grille remise le"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["candidacy", "category", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "evaluator"],
                condition=Q(status__in=[s.value for s in HOLDING_STATUSES]),
                name="evaluator_once_per_panel",
            )
        ]

    def __str__(self):
        return f"{self.evaluator} → {self.candidacy} ({self.get_category_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == AssignmentStatus.ACTIVE

    @property
    def grid_submitted(self) -> bool:
        return self.grid_submitted_at is not None


class ReviewEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal de l'évaluation ne se modifie pas.")

    def delete(self):
        raise AppendOnlyError("Le journal de l'évaluation ne s'efface pas.")


class ReviewEvent(models.Model):
    """Append-only log of the review: assignments, declarations, grids, consolidation."""

    candidacy = models.ForeignKey(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="review_events"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=24, choices=ReviewEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.candidacy_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Le journal de l'évaluation ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal de l'évaluation ne s'efface pas.")


class CriterionLink(models.Model):
    """An evaluator ties a passage of the dossier to one or more criteria.

    The passage is a character range of a narrative, a character range of an evidence
    page's extracted text, or a whole page; ``quote`` keeps the selected words as they
    were, should the narrative change after a return.
    """

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="criterion_links"
    )
    kind = models.CharField(_("passage"), max_length=12, choices=PassageKind.choices)
    narrative = models.ForeignKey(
        "livret.Narrative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.ForeignKey(
        "livret.Evidence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(_("extrait"), blank=True)
    criteria = models.ManyToManyField("referentiel.Criterion", related_name="+")
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien passage – critère")
        verbose_name_plural = _("liens passage – critère")
        ordering = ["assignment", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=PassageKind.NARRATIVE, narrative__isnull=False, evidence__isnull=True)
                    | Q(kind=PassageKind.PAGE_TEXT, evidence__isnull=False, page__isnull=False)
                    | Q(kind=PassageKind.PAGE, evidence__isnull=False, page__isnull=False)
                ),
                name="criterion_link_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=PassageKind.PAGE)
                | Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="criterion_link_range_is_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.assignment.evaluator})"


class CandidateLinkReview(models.Model):
    """An evaluator's verdict on one of the candidate's own links, with who and why."""

    link = models.ForeignKey(
        "livret.CompetenceLink", on_delete=models.PROTECT, related_name="reviews"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="candidate_link_reviews"
    )
    verdict = models.CharField(_("avis"), max_length=10, choices=LinkVerdict.choices)
    reason = models.TextField(_("motif"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("avis sur un lien du candidat")
        verbose_name_plural = _("avis sur les liens du candidat")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "assignment"], name="one_verdict_per_evaluator"
            ),
            models.CheckConstraint(
                condition=Q(verdict=LinkVerdict.ACCEPTED) | ~Q(reason=""),
                name="rejection_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.link_id}"


class CompetenceRating(models.Model):
    """One evaluator's rating of one compétence, with its justification."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="ratings")
    competence = models.ForeignKey(
        "referentiel.Competence", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("appréciation"), max_length=12, choices=Rating.choices)
    justification = models.TextField(_("justification"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appréciation d'un évaluateur")
        verbose_name_plural = _("appréciations des évaluateurs")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "competence"], name="one_rating_per_competence"
            )
        ]
        indexes = [
            # The agreement report's version reads the last change (``review.reports``):
            # an index answers it without reading every rating.
            models.Index(fields=["updated_at"], name="rating_updated_at"),
            # The agreement's Fleiss tables count the ratings per dossier and compétence
            # from this index alone, without reading the rows and their justifications
            # (the cohorts' dashboard on 10,000 candidacies: 122 -> 101 ms, make bench).
            models.Index(fields=["assignment", "competence", "rating"], name="rating_cover"),
        ]

    def __str__(self):
        return f"{self.competence} : {self.get_rating_display()}"


class ConsolidatedRating(models.Model):
    """The panel's rating of a compétence, recorded by the certifier's representative."""

    candidacy = models.ForeignKey(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="consolidated_ratings"
    )
    competence = models.ForeignKey(
        "referentiel.Competence", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("appréciation consolidée"), max_length=12, choices=Rating.choices)
    justification = models.TextField(_("justification"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appréciation consolidée")
        verbose_name_plural = _("appréciations consolidées")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "competence"], name="one_consolidated_rating"
            )
        ]
        indexes = [
            # The cohorts' dashboard counts the ratings per compétence of a period's
            # dossiers from this index alone, without reading the rows and their
            # justifications (10,000 candidacies: 146 -> 119 ms, make bench).
            models.Index(
                fields=["candidacy", "competence", "rating"], name="consolidated_rating_cover"
            ),
            # The dashboard's cache token reads the latest consolidation on every page
            # (``cohorts.dashboard._versions``): without it a scan of the table (10,000
            # candidacies: 43 ms a page, make bench).
            models.Index(fields=["decided_at"], name="consolidated_decided_at"),
        ]

    def __str__(self):
        return f"{self.competence} : {self.get_rating_display()}"


@register_setting(icon="cog")
class ReviewSettings(BaseGenericSetting):
    """What the certifier may tune in the review without a deploy."""

    divergence_spread = models.PositiveSmallIntegerField(
        _("écart signalé comme divergence"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text=_(
            "2 : seulement « acquis » face à « non acquis » ; 1 : tout désaccord entre "
            "évaluateurs (par exemple « acquis » face à « partiellement acquis »)."
        ),
    )
    review_days = models.PositiveSmallIntegerField(
        _("délai d'évaluation (jours)"),
        default=21,
        help_text=_("Échéance proposée à l'affectation des évaluateurs."),
    )

    class Meta:
        verbose_name = _("paramètres de l'évaluation")
