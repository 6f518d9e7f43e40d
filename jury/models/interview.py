"""The interview's record, written by the two members at once: its general part, each
bloc's notes and the ratings the jury revised."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jury.enums import (
    Attendance,
)
from jury.models.sessions import INTERVIEW_TEXT_MAX_CHARS, NOTE_MAX_CHARS, Slot
from livret.eligibility.models import text_within
from referentiel.enums import Rating


class VersionedRow(models.Model):
    """A row two members write at once: ``version`` grows with every save, and a save
    based on an older one is refused (``jury.interview``)."""

    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, null=True, related_name="+"
    )

    class Meta:
        abstract = True


class InterviewRecord(VersionedRow):
    """What the jury writes down during a candidate's interview (one per slot).

    Both members write it, from two devices: every save states the ``version`` it was
    based on and a stale one is refused (as for the candidate's récits). The record is
    closed, read-only, once ``record_interview`` moved the slot on.
    """

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="interview")
    attendance = models.CharField(
        _("présence"), max_length=8, choices=Attendance.choices, blank=True
    )
    started_at = models.TimeField(_("début effectif"), null=True, blank=True)
    ended_at = models.TimeField(_("fin effective"), null=True, blank=True)

    class Meta:
        verbose_name = _("compte rendu d'entretien")
        verbose_name_plural = _("comptes rendus d'entretien")
        constraints = [
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(ended_at__isnull=True)
                | Q(ended_at__gt=models.F("started_at")),
                name="jury_interview_ends_after_it_starts",
                violation_error_message=_("L'entretien doit finir après avoir commencé."),
            ),
        ]

    def __str__(self):
        return f"Entretien {self.slot}"


class InterviewBlocNote(VersionedRow):
    """Per bloc: the questions asked, the candidate's answers, the jury's observations.
    Versioned on its own, so that the two members writing on two blocs never collide."""

    record = models.ForeignKey(InterviewRecord, on_delete=models.PROTECT, related_name="bloc_notes")
    bloc = models.ForeignKey("referentiel.Bloc", on_delete=models.PROTECT, related_name="+")
    questions = models.TextField(
        _("questions posées"), blank=True, max_length=INTERVIEW_TEXT_MAX_CHARS
    )
    answers = models.TextField(
        _("réponses du candidat"), blank=True, max_length=INTERVIEW_TEXT_MAX_CHARS
    )
    observations = models.TextField(
        _("observations du jury"), blank=True, max_length=INTERVIEW_TEXT_MAX_CHARS
    )

    class Meta:
        verbose_name = _("notes d'entretien sur un bloc")
        verbose_name_plural = _("notes d'entretien sur les blocs")
        constraints = [
            models.UniqueConstraint(fields=["record", "bloc"], name="jury_one_note_per_bloc"),
            text_within("questions", INTERVIEW_TEXT_MAX_CHARS, "jury_bloc_note"),
            text_within("answers", INTERVIEW_TEXT_MAX_CHARS, "jury_bloc_note"),
            text_within("observations", INTERVIEW_TEXT_MAX_CHARS, "jury_bloc_note"),
        ]

    def __str__(self):
        return f"{self.record} — {self.bloc_id}"


class RatingRevision(models.Model):
    """A compétence's rating revised by the jury after the interview, with its reason.

    Appended, never changed: the current rating is the latest revision's ``to_rating``,
    else the consolidated one; ``from_rating`` is what it was when revised."""

    record = models.ForeignKey(InterviewRecord, on_delete=models.PROTECT, related_name="revisions")
    competence = models.ForeignKey(
        "referentiel.Competence", on_delete=models.PROTECT, related_name="+"
    )
    from_rating = models.CharField(
        _("appréciation précédente"), max_length=12, choices=Rating.choices, blank=True
    )
    to_rating = models.CharField(_("appréciation révisée"), max_length=12, choices=Rating.choices)
    reason = models.TextField(_("motif"), max_length=NOTE_MAX_CHARS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appréciation révisée par le jury")
        verbose_name_plural = _("appréciations révisées par le jury")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="jury_revision_has_a_reason"),
            text_within("reason", NOTE_MAX_CHARS, "jury_revision"),
        ]

    def __str__(self):
        return f"{self.competence_id} : {self.from_rating} → {self.to_rating}"
