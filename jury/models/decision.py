"""The deliberation and what it leaves: the members' votes and signatures, the decided
outcome of each bloc, its rectifications and the session's PV."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jury.enums import (
    DecisionResult,
)
from jury.models.interview import VersionedRow
from jury.models.sessions import JuryMember, JurySession, Slot
from livret.eligibility.models import text_within

# A vote's motivation, and the observations or préconisations written for the candidate.
DELIBERATION_TEXT_MAX_CHARS = 3_000


class Deliberation(VersionedRow):
    """The jury's decision on an interviewed candidate (one per slot heard).

    The members vote per bloc (``BlocVote``) and write, together, the observations and
    préconisations (versioned as the interview record); both then sign
    (``DeliberationSignature``) and the last signature runs ``decide``, which writes the
    recorded outcome per bloc (``DecidedBloc``), the ``result`` and ``decided_at``. From
    then on nothing here changes.
    """

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="deliberation")
    observations = models.TextField(
        _("observations pour le candidat"), blank=True, max_length=DELIBERATION_TEXT_MAX_CHARS
    )
    recommendations = models.TextField(
        _("préconisations pour le candidat"), blank=True, max_length=DELIBERATION_TEXT_MAX_CHARS
    )
    result = models.CharField(
        _("résultat"), max_length=24, choices=DecisionResult.choices, blank=True
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("délibération du jury")
        verbose_name_plural = _("délibérations du jury")
        constraints = [
            text_within("observations", DELIBERATION_TEXT_MAX_CHARS, "jury_deliberation"),
            text_within("recommendations", DELIBERATION_TEXT_MAX_CHARS, "jury_deliberation"),
            # A result is recorded with its date, at the decision, and never without it.
            models.CheckConstraint(
                condition=Q(result="", decided_at__isnull=True)
                | (~Q(result="") & Q(decided_at__isnull=False)),
                name="jury_deliberation_result_when_decided",
            ),
        ]

    def __str__(self):
        return f"Délibération {self.slot}"


class BlocVote(models.Model):
    """One member's vote on one bloc; a vote against the computed outcome is motivated.

    Changed in place while the deliberation is open (the signatures are voided then):
    what is kept for good is what both members signed, in ``DecidedBloc``."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.PROTECT, related_name="votes")
    bloc = models.ForeignKey("referentiel.Bloc", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="+")
    validated = models.BooleanField(_("bloc validé"))
    motivation = models.TextField(
        _("motivation"), blank=True, max_length=DELIBERATION_TEXT_MAX_CHARS
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote sur un bloc")
        verbose_name_plural = _("votes sur les blocs")
        ordering = ["deliberation", "bloc", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "bloc", "member"], name="jury_one_vote_per_member_bloc"
            ),
            text_within("motivation", DELIBERATION_TEXT_MAX_CHARS, "jury_bloc_vote"),
        ]

    def __str__(self):
        return f"{self.member} — {self.bloc_id} : {self.validated}"


class DeliberationSignature(models.Model):
    """A member's signature of the decision, given by re-entering their password.

    A change of a vote or of a text after it voids it (``voided_at``), kept: a member
    signs what they read, and signs again what changed after."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.PROTECT, related_name="signatures"
    )
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signée le"), default=timezone.now)
    voided_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature de la décision")
        verbose_name_plural = _("signatures de la décision")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "member"],
                condition=Q(voided_at__isnull=True),
                name="jury_one_live_signature_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member} — {self.signed_at:%Y-%m-%d %H:%M}"


class DecidedBloc(models.Model):
    """A bloc's outcome as decided and signed: written once, by ``decide``.

    ``reasons`` are the rule's sentences on the final ratings (why the computed outcome is
    what it is); ``motivation`` the members' motivations when the jury decided against it;
    ``casting_vote`` says the président's vote settled a disagreement."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.PROTECT, related_name="decided_blocs"
    )
    bloc = models.ForeignKey("referentiel.Bloc", on_delete=models.PROTECT, related_name="+")
    computed_validated = models.BooleanField(_("résultat calculé"))
    validated = models.BooleanField(_("bloc validé"))
    casting_vote = models.BooleanField(_("voix prépondérante du président"), default=False)
    reasons = models.TextField(_("raisons"), blank=True)
    motivation = models.TextField(_("motivation du jury"), blank=True)

    class Meta:
        verbose_name = _("résultat d'un bloc")
        verbose_name_plural = _("résultats des blocs")
        ordering = ["deliberation", "bloc__sort_order", "bloc__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "bloc"], name="jury_one_decision_per_bloc"
            )
        ]

    def __str__(self):
        return f"{self.bloc_id} : {self.validated}"


# A rectification's reason, told to the candidate and printed on the new PV.
RECTIFICATION_REASON_MAX_CHARS = 2_000


class DecisionRectification(models.Model):
    """A certifier's correction of a signed decision (France VAE's « révocation », done
    with a record): the decision is rewritten in place as version ``number`` (the signed
    decision is version 1), and this row keeps what it replaced, so that every earlier
    version stays readable, and why, which the candidate is told."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.PROTECT, related_name="rectifications"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(_("motif"), max_length=RECTIFICATION_REASON_MAX_CHARS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("rectifiée le"), default=timezone.now)
    # What version ``number - 1`` said: its result, each bloc's outcome by code, its texts.
    previous_result = models.CharField(
        _("résultat remplacé"), max_length=24, choices=DecisionResult.choices
    )
    previous_outcomes = models.JSONField(_("résultats par bloc remplacés"))
    previous_observations = models.TextField(blank=True)
    previous_recommendations = models.TextField(blank=True)

    class Meta:
        verbose_name = _("rectification d'une décision")
        verbose_name_plural = _("rectifications de décisions")
        ordering = ["deliberation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "number"], name="jury_rectification_once"
            ),
            models.CheckConstraint(condition=Q(number__gte=2), name="jury_rectification_after_v1"),
            models.CheckConstraint(condition=~Q(reason=""), name="jury_rectification_has_a_reason"),
            text_within("reason", RECTIFICATION_REASON_MAX_CHARS, "jury_rectification"),
        ]

    def __str__(self):
        return f"Rectification v{self.number} — {self.deliberation}"

    def changed_blocs(self, current: dict[str, bool]) -> list[str]:
        """The codes of the blocs whose outcome this version changed, given the outcomes
        that followed it (``current``: the next version's, by code)."""
        return sorted(
            code
            for code, validated in self.previous_outcomes.items()
            if current.get(code) is not None and current[code] != validated
        )


class SessionMinutes(models.Model):
    """The PV (procès-verbal) of a session, one row per version: the first is drawn up
    once every candidate of the session is decided or absent, its PDF rendered once and
    stored with its SHA-256 (a frozen generated document, key ``pv-<session>-<number>``);
    it is never rendered again. A later version (a rectification) is a new row with its
    reason; the earlier ones stay readable."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(_("motif de la nouvelle version"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("arrêté le"), default=timezone.now)
    document = models.OneToOneField(
        "vae.GeneratedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("procès-verbal de session")
        verbose_name_plural = _("procès-verbaux de session")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="jury_minutes_once"),
        ]

    def __str__(self):
        return f"PV {self.session} v{self.number}"

    @property
    def document_key(self) -> str:
        return f"pv-{self.session_id}-{self.number}"
