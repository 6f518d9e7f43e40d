"""The jury's people and calendar: its members, its sessions and their seats, the
candidates' slots, their convocations and the members' conflict-of-interest declarations."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jury.enums import (
    OCCUPYING_STATUSES,
    ConvocationStatus,
    JuryCollege,
    Modality,
    SessionStatus,
    SessionTransition,
    SlotStatus,
)
from livret.eligibility.models import text_within
from livret.enums import Civility

ADDRESS_MAX_CHARS = 500
NOTE_MAX_CHARS = 2_000
# A bloc's questions, answers or observations during a 15-minute exchange.
INTERVIEW_TEXT_MAX_CHARS = 5_000


class JuryMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class JuryMember(models.Model):
    """A person the CPNEF names to its deliberation juries, with the seat they can hold
    (their college), whether they are qualified for the certification (the law wants at
    least one per jury) and their civility (the law wants juries balanced women/men)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jury_member",
        verbose_name=_("membre"),
    )
    college = models.CharField(_("collège"), max_length=50, choices=JuryCollege.choices)
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    qualified = models.BooleanField(
        _("qualifié pour la certification"),
        default=False,
        help_text=_("Exerce ou a exercé le métier d'administrateur de production."),
    )
    active = models.BooleanField(_("actif"), default=True)
    organisation = models.CharField(_("structure"), max_length=200, blank=True)

    objects = JuryMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        ordering = ["user__last_name", "user__first_name", "pk"]

    def __str__(self):
        return self.user.get_full_name() or self.user.email


class JurySession(models.Model):
    """A sitting of the deliberation jury: one day, its hours, where it sits, who sits."""

    # The version whose jury composition the session is checked against; only candidacies
    # of that certification are scheduled in it.
    certification = models.ForeignKey(
        "referentiel.Certification",
        on_delete=models.PROTECT,
        related_name="jury_sessions",
        verbose_name=_("version du référentiel"),
    )
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    modality = models.CharField(_("modalité"), max_length=12, choices=Modality.choices)
    address = models.TextField(_("adresse"), blank=True, max_length=ADDRESS_MAX_CHARS)
    visio_link = models.URLField(_("lien de visioconférence"), blank=True, max_length=500)
    president = models.ForeignKey(
        JuryMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("président"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    # The SEQUENCE of the members' calendar entry: one more at every invitation sent
    # (composition, agenda change), so that their calendars update the same entry.
    invitation_sequence = models.PositiveIntegerField(
        _("version de l'invitation des membres"), default=0
    )
    invitation_sent_at = models.DateTimeField(_("invitation envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("session du jury")
        verbose_name_plural = _("sessions du jury")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="jury_session_ends_after_it_starts",
                violation_error_message=_("La session doit finir après avoir commencé."),
            ),
            models.CheckConstraint(
                condition=(Q(modality=Modality.ON_SITE) & ~Q(address=""))
                | (Q(modality=Modality.REMOTE) & ~Q(visio_link="")),
                name="jury_session_has_its_place",
                violation_error_message=_(
                    "Une session en présentiel a une adresse ; à distance, un lien de "
                    "visioconférence."
                ),
            ),
            text_within("address", ADDRESS_MAX_CHARS, "jury_session"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    def at(self, time: dt.time) -> dt.datetime:
        """The moment ``time`` of the session's day, in the site's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.date, time))


class SessionStatusChange(models.Model):
    """One row per change of a session's status (``jury.services.change_session_status``):
    who, when, from, to. Appended only: when a session was declared held or closed, and by
    whom, is part of the record an appeal reads."""

    session = models.ForeignKey(
        JurySession, on_delete=models.PROTECT, related_name="status_changes"
    )
    transition = models.CharField(_("action"), max_length=10, choices=SessionTransition.choices)
    source_status = models.CharField(_("de"), max_length=10, choices=SessionStatus.choices)
    target_status = models.CharField(_("vers"), max_length=10, choices=SessionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement de statut d'une session")
        verbose_name_plural = _("changements de statut des sessions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.session} {self.source_status} → {self.target_status}"


class JurySeat(models.Model):
    """A member holding one seat (a role of the référentiel's jury composition) in a session."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(_("siège"), max_length=50, choices=JuryCollege.choices)
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="seats")

    class Meta:
        verbose_name = _("siège du jury")
        verbose_name_plural = _("sièges du jury")
        ordering = ["session", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="jury_member_once_per_session",
                violation_error_message=_("Ce membre siège déjà dans cette session."),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} : {self.member}"


class SlotQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=SlotStatus.SCHEDULED)

    def occupying(self):
        return self.filter(status__in=OCCUPYING_STATUSES)


class Slot(models.Model):
    """A candidate's interview in a session: when, for how long, with which accommodation.

    ``duration_minutes`` is the whole slot (the blocs' questions and answers, the
    changeover and ``extra_minutes`` granted as an accommodation), fixed at scheduling: a
    later change of the référentiel or of the setting does not move a convocation sent.
    """

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="slots")
    candidacy = models.ForeignKey(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="jury_slots"
    )
    start = models.TimeField(_("heure de passage"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    extra_minutes = models.PositiveSmallIntegerField(
        _("temps supplémentaire (aménagement)"), default=0
    )
    accommodation_note = models.TextField(
        _("aménagements accordés"), blank=True, max_length=NOTE_MAX_CHARS
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=SlotStatus.choices, default=SlotStatus.SCHEDULED
    )
    absence_excused = models.BooleanField(_("absence excusée"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("passage devant le jury")
        verbose_name_plural = _("passages devant le jury")
        ordering = ["session", "start", "pk"]
        constraints = [
            # One live convocation per candidacy.
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(status=SlotStatus.SCHEDULED),
                name="jury_one_scheduled_slot_per_candidacy",
            ),
            # Overlaps are refused by jury.rules (under a lock on the session); the
            # database holds what it can express on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["session", "start"],
                condition=Q(status__in=[s.value for s in OCCUPYING_STATUSES]),
                name="jury_one_slot_per_start",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="jury_slot_has_a_duration"
            ),
            text_within("accommodation_note", NOTE_MAX_CHARS, "jury_slot"),
        ]

    def __str__(self):
        return f"{self.session} {self.start:%H:%M} — {self.candidacy_id}"

    def end(self, status) -> None:
        """The slot is over (heard, absent) or given up (moved, withdrawn); kept."""
        self.status = status
        self.ended_at = timezone.now()
        self.save(update_fields=["status", "ended_at"])


class Convocation(models.Model):
    """What the candidate was sent for one scheduling: one row per sending, never rewritten.

    ``uid`` is the calendar event's identity: the same for the same candidacy in the same
    session, so that a rescheduling within the session updates the candidate's calendar
    entry (``sequence`` + 1) instead of adding a second one. ``sequence`` counts the
    convocations of the candidacy, so it grows on every change, whatever the session.
    """

    candidacy = models.ForeignKey(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="convocations"
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="convocations")
    uid = models.CharField(_("identifiant de l'événement"), max_length=255)
    sequence = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ConvocationStatus.choices,
        default=ConvocationStatus.SENT,
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # The convocation that replaced this one (a rescheduling), empty for a plain
    # cancellation (a withdrawal): the e-mail of the change says which.
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ["candidacy", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "sequence"], name="jury_convocation_sequence_once"
            ),
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(status=ConvocationStatus.SENT),
                name="jury_one_live_convocation_per_candidacy",
            ),
        ]

    def __str__(self):
        return f"{self.uid} #{self.sequence}"


class ConflictDeclaration(models.Model):
    """A member's declaration, before seeing anything of the dossier, that they neither
    know nor accompanied the candidate, or that they do (a conflict).

    One per member and candidacy, for good: a conflict declared bars the member from this
    candidate in every session.
    """

    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="declarations")
    candidacy = models.ForeignKey(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="jury_declarations"
    )
    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="declarations")
    no_conflict = models.BooleanField(_("aucun conflit d'intérêts"))
    details = models.TextField(_("précisions"), blank=True, max_length=NOTE_MAX_CHARS)
    declared_at = models.DateTimeField(_("déclarée le"), default=timezone.now)

    class Meta:
        verbose_name = _("déclaration d'absence de conflit (jury)")
        verbose_name_plural = _("déclarations d'absence de conflit (jury)")
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "candidacy"], name="jury_one_declaration_per_candidacy"
            ),
            models.CheckConstraint(
                condition=Q(no_conflict=True) | ~Q(details=""),
                name="jury_conflict_is_explained",
            ),
            text_within("details", NOTE_MAX_CHARS, "jury_declaration"),
        ]

    def __str__(self):
        return f"{self.member} — {self.candidacy_id}"
