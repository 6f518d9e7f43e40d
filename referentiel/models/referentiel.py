"""The certification's référentiel as versioned data.

A ``Certification`` row is one *version* of the certification: its blocs, activités,
compétences, critères, épreuves, validation rules, evaluator and jury composition and
prerequisites hang below it. Candidacies are pinned to the version in force when they
were found eligible, so a published version never changes: edits happen on a draft
version, which is then published and retires the previous one.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from referentiel import french as fr
from referentiel.enums import (
    AssessmentKind,
    AssessmentMode,
    Panel,
    Path,
    Rating,
    VersionStatus,
)


def paths_from_flags(*, vae: bool, training: bool) -> list[str]:
    """The paths (in their canonical order) whose flag is set."""
    return [path.value for path, on in ((Path.VAE, vae), (Path.TRAINING, training)) if on]


class VersionLockedError(ValidationError):
    """Raised when something tries to change a published or retired version."""

    def __init__(self, certification):
        super().__init__(
            _(
                "La version %(version)s du référentiel est %(status)s : elle ne peut plus "
                "être modifiée. Créez un nouveau brouillon pour faire évoluer le référentiel."
            ),
            params={
                "version": certification.version,
                "status": certification.get_status_display().lower(),
            },
            code="version_locked",
        )


class CertificationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=VersionStatus.DRAFT)

    def current(self, code=None):
        """The published version in force (of ``code`` if given), or None."""
        qs = self.published()
        if code:
            qs = qs.filter(code=code)
        return qs.order_by("-effective_date", "-version").first()

    def sole_published(self):
        """The published version when a single certification is published, None when none
        is. Several published certifications raise ``MultipleObjectsReturned``: a bare bloc
        code or a bare export is then ambiguous."""
        # One published version per certification code (a DB constraint), so two rows mean
        # two certifications.
        versions = list(self.published()[:2])
        if len(versions) > 1:
            raise self.model.MultipleObjectsReturned("Plusieurs certifications sont publiées.")
        return versions[0] if versions else None

    def with_tree(self):
        return self.prefetch_related(
            "seats",
            "prerequisites",
            "blocs__assessments",
            "blocs__activities__competences__criteria",
        )


class Certification(ClusterableModel):
    """One version of a certification's référentiel (see the module docstring)."""

    code = models.SlugField(
        _("code"), max_length=80, help_text=_("Identifiant commun à toutes les versions.")
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("statut"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.CharField(_("intitulé"), max_length=255)
    level = models.PositiveSmallIntegerField(_("niveau RNCP"), default=6)
    certifier = models.CharField(_("certificateur"), max_length=255)
    effective_date = models.DateField(_("date d'entrée en vigueur"), null=True, blank=True)
    all_blocs_required = models.BooleanField(
        _("tous les blocs sont requis pour obtenir la certification"), default=True
    )
    obtention_text = models.TextField(_("règle d'obtention"), blank=True)
    rating_scale_text = models.TextField(_("échelle d'évaluation"), blank=True)
    rating_levels = models.JSONField(_("niveaux de l'échelle"), default=list, blank=True)
    questionnaire_max_score = models.PositiveSmallIntegerField(
        _("note maximale du questionnaire"), default=20
    )
    # Not in the seed: CQP agreements differ, so the certifier sets it per version.
    acquired_bloc_validity_months = models.PositiveSmallIntegerField(
        _("durée de validité d'un bloc acquis (mois)"),
        null=True,
        blank=True,
        help_text=_("Laisser vide : un bloc validé par le jury reste acquis à vie."),
    )
    prerequisites_text = models.TextField(_("prérequis"), blank=True)
    prerequisites_per_bloc_text = models.TextField(_("prérequis par bloc"), blank=True)
    evaluators_text = models.TextField(_("composition des évaluateurs"), blank=True)
    evaluators_must_not_know_candidate = models.BooleanField(
        _("les évaluateurs ne connaissent pas le candidat"), default=True
    )
    jury_text = models.TextField(_("composition du jury de délibération"), blank=True)
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("version du référentiel")
        verbose_name_plural = _("versions du référentiel")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="certification_unique_version"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="certification_one_published_version",
            ),
        ]
        permissions = [("publish_certification", _("Peut publier une version du référentiel"))]

    def __str__(self):
        return f"{self.title} — v{self.version} ({self.get_status_display().lower()})"

    def get_certification(self) -> "Certification":
        return self

    @classmethod
    def status_lookup(cls) -> str:
        return "status"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def check_editable(self):
        if not self.is_editable:
            raise VersionLockedError(self)

    def clean(self):
        super().clean()
        if self.pk:
            stored = (
                Certification.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored and stored != VersionStatus.DRAFT:
                raise VersionLockedError(self)

    def delete(self, *args, **kwargs):
        # Candidacies are pinned to published and retired versions: only drafts go away.
        self.check_editable()
        return super().delete(*args, **kwargs)

    @property
    def evaluator_seats(self):
        return [seat for seat in self.seats.all() if seat.panel == Panel.EVALUATORS]

    @property
    def jury_seats(self):
        return [seat for seat in self.seats.all() if seat.panel == Panel.JURY]

    @property
    def evaluators_total(self) -> int:
        return sum(seat.count for seat in self.evaluator_seats)

    @property
    def jury_total(self) -> int:
        return sum(seat.count for seat in self.jury_seats)

    def rating_label(self, value) -> str:
        for level in self.rating_levels or []:
            if level.get("value") == value:
                return level.get("label", value)
        return Rating(value).label


class VersionChild(models.Model):
    """Rows that belong to a version and must not change once it is published.

    ``certification_path`` names the foreign keys that lead to the version, e.g.
    ``("activity", "bloc", "certification")``; instance checks and queryset filters both
    derive from it.
    """

    certification_path: tuple[str, ...] = ("certification",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.get_certification().check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.get_certification().check_editable()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        self.get_certification().check_editable()

    def get_certification(self) -> Certification:
        obj = self
        for name in self.certification_path:
            obj = getattr(obj, name)
        return obj

    @classmethod
    def status_lookup(cls) -> str:
        """ORM lookup from this model to its version's status, for filtering querysets."""
        return "__".join((*cls.certification_path, "status"))


class CompositionSeat(VersionChild, Orderable):
    """A seat of the evaluator panel or of the deliberation jury, e.g. « 2 professionnels
    du métier externes ». Assignment and jury planning are checked against these seats."""

    certification = ParentalKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="seats",
        verbose_name=_("version du référentiel"),
    )
    panel = models.CharField(_("instance"), max_length=16, choices=Panel.choices)
    role = models.SlugField(_("code du rôle"), max_length=50)
    label = models.CharField(_("libellé"), max_length=255)
    count = models.PositiveSmallIntegerField(_("nombre"), default=1)

    class Meta(Orderable.Meta):
        verbose_name = _("siège")
        verbose_name_plural = _("sièges")

    def __str__(self):
        return f"{self.count} × {self.label}"


class Prerequisite(VersionChild, Orderable):
    """One of the alternatives a candidate must justify to apply (any one suffices)."""

    certification = ParentalKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="prerequisites",
        verbose_name=_("version du référentiel"),
    )
    code = models.SlugField(_("code"), max_length=50)
    label = models.CharField(_("libellé"), max_length=255)

    class Meta(Orderable.Meta):
        verbose_name = _("prérequis")
        verbose_name_plural = _("prérequis")

    def __str__(self):
        return self.label


class BlocQuerySet(models.QuerySet):
    def published(self):
        return self.filter(certification__status=VersionStatus.PUBLISHED)

    def with_tree(self):
        """Each bloc with its activités, their compétences and critères, in order: three
        more queries whatever the number of blocs."""
        competences = Competence.objects.order_by("sort_order", "code").prefetch_related("criteria")
        activities = Activity.objects.order_by("sort_order", "code").prefetch_related(
            models.Prefetch("competences", queryset=competences)
        )
        return self.prefetch_related(models.Prefetch("activities", queryset=activities))


class Bloc(VersionChild, ClusterableModel):
    """A bloc de compétences, with its validation rule.

    The rule is data so the certifier can change a threshold in a new version without a
    deploy; ``referentiel.rules`` applies it.
    """

    certification = ParentalKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="blocs",
        verbose_name=_("version du référentiel"),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    code = models.CharField(_("code"), max_length=10)
    title = models.TextField(_("intitulé"))
    rule_text = models.TextField(_("règle de validation (texte)"), blank=True)
    min_acquired = models.PositiveSmallIntegerField(_("minimum de compétences « acquises »"))
    max_partial = models.PositiveSmallIntegerField(
        _("maximum de compétences « partiellement acquises »")
    )
    max_not_acquired = models.PositiveSmallIntegerField(
        _("maximum de compétences « non acquises »"), default=0
    )
    competences_on_vae = models.BooleanField(_("règle des compétences en VAE"), default=True)
    competences_on_training = models.BooleanField(
        _("règle des compétences en formation"), default=True
    )
    min_questionnaire_score = models.DecimalField(
        _("note minimale au questionnaire"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )
    questionnaire_on_vae = models.BooleanField(_("questionnaire exigé en VAE"), default=False)
    questionnaire_on_training = models.BooleanField(
        _("questionnaire exigé en formation"), default=False
    )

    objects = BlocQuerySet.as_manager()

    class Meta:
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        ordering = ["certification", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "code"], name="bloc_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def competences_paths(self) -> list[str]:
        return paths_from_flags(vae=self.competences_on_vae, training=self.competences_on_training)

    @property
    def questionnaire_paths(self) -> list[str]:
        return paths_from_flags(
            vae=self.questionnaire_on_vae, training=self.questionnaire_on_training
        )

    def competences(self):
        return Competence.objects.filter(activity__bloc=self).order_by(
            "activity__sort_order", "sort_order"
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.min_questionnaire_score is not None and not (
            0 <= self.min_questionnaire_score <= self.certification.questionnaire_max_score
        ):
            errors["min_questionnaire_score"] = _(
                "La note minimale doit être comprise entre 0 et %(max)s."
            ) % {"max": self.certification.questionnaire_max_score}
        if self.min_questionnaire_score is None and (
            self.questionnaire_on_vae or self.questionnaire_on_training
        ):
            errors["min_questionnaire_score"] = _(
                "Indiquez la note minimale du questionnaire exigé sur un parcours."
            )
        if errors:
            raise ValidationError(errors)


class Activity(VersionChild, ClusterableModel):
    certification_path = ("bloc", "certification")

    bloc = ParentalKey(
        Bloc, on_delete=models.CASCADE, related_name="activities", verbose_name=_("bloc")
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    code = models.CharField(_("code"), max_length=10)
    title = models.TextField(_("intitulé"))

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["bloc", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "code"], name="activity_unique_code"),
        ]

    def __str__(self):
        return f"Activité {self.code} – {self.title}"


class Competence(VersionChild, ClusterableModel):
    certification_path = ("activity", "bloc", "certification")

    activity = ParentalKey(
        Activity, on_delete=models.CASCADE, related_name="competences", verbose_name=_("activité")
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    code = models.CharField(_("code"), max_length=10)
    statement = models.TextField(_("énoncé"))
    preamble = models.TextField(
        _("phrase d'introduction des critères"),
        blank=True,
        help_text=_("Phrase qui introduit la liste des critères, par exemple « Le candidat … : »."),
    )

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["activity", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="competence_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} – {self.statement[:80]}"


class Criterion(VersionChild, Orderable):
    certification_path = ("competence", "activity", "bloc", "certification")

    competence = ParentalKey(
        Competence,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("compétence"),
    )
    text = models.TextField(_("critère"))

    class Meta(Orderable.Meta):
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")

    def __str__(self):
        return self.text


class Assessment(VersionChild, Orderable):
    """An épreuve of a bloc (questionnaire, étude de cas, soutenance orale)."""

    certification_path = ("bloc", "certification")

    bloc = ParentalKey(
        Bloc, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("bloc")
    )
    kind = models.CharField(_("type"), max_length=20, choices=AssessmentKind.choices)
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("descriptif"), blank=True)
    themes = models.TextField(_("thèmes traités"), blank=True)
    questions = models.PositiveSmallIntegerField(_("nombre de questions"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("note maximale"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    mode = models.CharField(_("écrit ou oral"), max_length=10, choices=AssessmentMode.choices)
    location = models.CharField(_("lieu"), max_length=255, blank=True)
    on_vae = models.BooleanField(_("parcours VAE"), default=False)
    on_training = models.BooleanField(_("parcours formation"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")

    def __str__(self):
        return f"{self.title} ({self.duration_label})"

    @property
    def paths(self) -> list[str]:
        return paths_from_flags(vae=self.on_vae, training=self.on_training)

    @property
    def duration_label(self) -> str:
        return fr.duration(self.duration_minutes)
