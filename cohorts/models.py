"""Follow-up surveys of the holders, the data of the insertion tables.

A holder is a candidacy whose jury decision validated at least one bloc: the certificate
(validation totale) or bloc attestations (validation partielle). Each holder gets one
survey per wave (6 and 24 months after the decision: the waves are data, ``SurveyWave``).

The survey is reached without an account through a personal link. The database keeps
only ``public_id``; the link's secret is derived from it with the site's key
(``cohorts.links``), so a copy of the database alone opens no survey, and the reminder can
print the same link again.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cohorts.enums import (
    AccessPath,
    ContractType,
    HolderKind,
    PayBand,
    Sector,
    Situation,
    WorkingTime,
)
from referentiel import french as fr
from vae.models import Candidacy

JOB_TITLE_MAX_CHARS = 150


class SurveyWave(models.Model):
    """When a survey is sent after the decision, reminded, and closed: the schedule as data."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("libellé"), max_length=80)
    months_after_decision = models.PositiveSmallIntegerField(
        _("mois après la décision"), unique=True
    )
    reminder_after_days = models.PositiveSmallIntegerField(_("relance après (jours)"), default=7)
    open_for_days = models.PositiveSmallIntegerField(
        _("ouverte pendant (jours)"),
        default=90,
        help_text=_("Les réponses peuvent être corrigées jusqu'à la clôture."),
    )
    active = models.BooleanField(_("envoyée"), default=True)

    class Meta:
        verbose_name = _("vague d'enquête")
        verbose_name_plural = _("vagues d'enquête")
        ordering = ["months_after_decision"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months_after_decision__gt=0), name="cohorts_wave_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(open_for_days__gt=models.F("reminder_after_days")),
                name="cohorts_wave_reminded_while_open",
                violation_error_message=_("L'enquête doit rester ouverte après la relance."),
            ),
        ]

    def __str__(self):
        return self.label


class FollowUpSurvey(models.Model):
    """One holder's survey for one wave: when it is due, sent, reminded, and the answers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="follow_up_surveys"
    )
    wave = models.ForeignKey(SurveyWave, on_delete=models.PROTECT, related_name="surveys")
    # Copied from the decision when the survey is created: the promotion is the decision's
    # year, and a later rectification makes a new survey rather than rewriting this one.
    holder_kind = models.CharField(_("validation"), max_length=10, choices=HolderKind.choices)
    access_path = models.CharField(
        _("voie d'accès"), max_length=10, choices=AccessPath.choices, default=AccessPath.VAE
    )
    decided_on = models.DateField(_("date de la décision du jury"), db_index=True)
    due_on = models.DateField(_("à envoyer le"), db_index=True)
    closes_on = models.DateField(_("close le"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refusée le"), null=True, blank=True)
    # Set when the holder no longer holds anything (a rectified decision): never sent.
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answers_updated_at = models.DateTimeField(_("réponses modifiées le"), null=True, blank=True)

    # The answers. Only ``situation`` is asked of everyone; the rest only of the employed.
    situation = models.CharField(
        _("situation"), max_length=10, choices=Situation.choices, blank=True
    )
    job_title = models.CharField(_("intitulé du poste"), max_length=JOB_TITLE_MAX_CHARS, blank=True)
    in_targeted_job = models.BooleanField(_("dans le métier visé"), null=True, blank=True)
    sector = models.CharField(_("secteur"), max_length=12, choices=Sector.choices, blank=True)
    contract_type = models.CharField(
        _("type de contrat"), max_length=12, choices=ContractType.choices, blank=True
    )
    working_time = models.CharField(
        _("temps de travail"), max_length=6, choices=WorkingTime.choices, blank=True
    )
    pay_band = models.CharField(
        _("rémunération brute annuelle"), max_length=12, choices=PayBand.choices, blank=True
    )
    consent = models.BooleanField(
        _("accepte que ses réponses servent aux statistiques de la certification"), default=False
    )

    class Meta:
        verbose_name = _("enquête de suivi")
        verbose_name_plural = _("enquêtes de suivi")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "wave"], name="cohorts_one_survey_a_wave"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(situation=""),
                name="cohorts_answer_has_a_situation",
            ),
            models.CheckConstraint(
                condition=Q(refused_at__isnull=True) | Q(answered_at__isnull=True),
                name="cohorts_refused_or_answered",
            ),
            # The job's questions are asked of the employed only: nothing else is kept.
            models.CheckConstraint(
                condition=Q(situation=Situation.EMPLOYED)
                | Q(
                    job_title="",
                    in_targeted_job__isnull=True,
                    sector="",
                    contract_type="",
                    working_time="",
                    pay_band="",
                ),
                name="cohorts_job_answers_only_when_employed",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("due_on")), name="cohorts_closes_after_due"
            ),
            # The form's limit, kept by the database too: SQLite ignores a varchar's length.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("job_title"), JOB_TITLE_MAX_CHARS),
                name="cohorts_job_title_max_length",
                violation_error_message=_("L'intitulé du poste dépasse 150 caractères."),
            ),
        ]
        indexes = [models.Index(fields=["wave", "decided_on"], name="cohorts_wave_promotion")]

    def __str__(self):
        return f"{self.wave} — {self.candidacy_id}"


@register_setting(icon="calendar-alt")
class PromotionSettings(BaseGenericSetting):
    """The reference period of a promotion: twelve months from ``start_month``.

    January (the default) makes a promotion a calendar year of jury decisions; a certifier
    whose sessions follow the school year starts it in September. The registration file
    asks for a period of at least one year: always twelve months here."""

    start_month = models.PositiveSmallIntegerField(
        _("début de la période de référence"),
        default=1,
        choices=[(number, fr.MONTHS[number - 1]) for number in range(1, 13)],
        help_text=_(
            "Une promotion réunit les titulaires dont la décision du jury tombe dans les "
            "douze mois qui commencent ce mois-ci (janvier : l'année civile)."
        ),
    )

    class Meta:
        verbose_name = _("période des promotions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_month__gte=1, start_month__lte=12),
                name="cohorts_promotion_start_is_a_month",
            )
        ]


class CandidacyPath(models.Model):
    """One candidacy's way through the workflow, folded from its transition log: the read
    model of the process dashboard (``cohorts.paths``).

    The log stays the truth: a transition folds its candidacy's log again (an effect of
    every transition), and the dashboard checks ``last_row`` against the log before it
    reads, folding again any candidacy whose log has moved on. Reading 58,000 log rows and
    turning each moment into a local day took most of the dashboard's computation on
    10,000 candidacies; this is a row a candidacy, with days already.
    """

    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.CASCADE, primary_key=True, related_name="cohort_path"
    )
    last_row = models.PositiveBigIntegerField(_("dernière ligne du journal lue"))
    # The local day of the last recevabilité: the candidacy's quarter.
    accepted_on = models.DateField(_("recevable le"), null=True, db_index=True)
    # The last state reached after the recevabilité, and the one a withdrawal left.
    state = models.CharField(_("état"), max_length=32, blank=True)
    withdrawn_from = models.CharField(_("abandon depuis"), max_length=32, blank=True)
    filed_on = models.DateField(_("dernier dépôt du dossier"), null=True)
    # The first arrival in each phase (``cohorts.paths.PHASE_FIELDS``).
    eligible_on = models.DateField(_("recevable (première fois)"), null=True)
    submitted_on = models.DateField(_("dossier déposé"), null=True)
    reviewed_on = models.DateField(_("évalué"), null=True)
    scheduled_on = models.DateField(_("convoqué au jury"), null=True)
    interviewed_on = models.DateField(_("entretien passé"), null=True)
    decided_on = models.DateField(_("décidé"), null=True)

    class Meta:
        verbose_name = _("parcours d'une candidature")
        verbose_name_plural = _("parcours des candidatures")
        default_permissions = ()

    def __str__(self):
        return f"{self.candidacy_id} {self.state}"
