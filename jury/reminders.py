"""The jury's reminders (``vae.reminders``), registered by ``jury.apps``:

- ``interview_in_14_days`` and ``interview_in_2_days``: to the candidate, from the
  convocations in force, due at the interview's start minus 14 (or 2) days; keyed on the
  event's UID and start, so that a rescheduled interview is reminded again. Neither is
  sent for a convocation issued after its moment (the convocation itself just told the
  candidate), nor the 14-day one once the 2-day one is due;
- ``session_in_2_days``: to each member seated in a planned session, due at its start
  minus 2 days, keyed on the session and its start;
- ``decision_due``: to the certifiers, for each candidate heard 10 days ago whose
  decision is still unsigned (the rules allow 15), keyed on the slot;
- ``session_without_decision``: to the certifiers, for a session 7 days past whose
  candidates are still « interviewed » (no decision state exists yet), due at its date
  plus 7 days, keyed on the session.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jury import selectors
from jury.enums import ConvocationStatus, SessionStatus, SlotStatus
from jury.models import Convocation, JurySession, Slot
from referentiel import french as fr
from vae.emails import site_url
from vae.enums import CandidacyState
from vae.notifications import certifiers
from vae.reminders import Due, register_kind, reminder_email, start_of_day

TWO_DAYS = dt.timedelta(days=2)


def _interview_reminders(days: int):
    ahead = dt.timedelta(days=days)

    def find(now: dt.datetime):
        today = timezone.localdate(now)
        convocations = Convocation.objects.filter(
            status=ConvocationStatus.SENT,
            candidacy__state=CandidacyState.JURY_SCHEDULED,
            slot__session__date__range=(today, today + ahead),
        ).select_related("slot__session", "candidacy__candidate")
        for convocation in convocations:
            start = selectors.slot_start(convocation.slot)
            due_at = start - ahead
            if start <= now or convocation.created_at > due_at:
                continue
            if days > 2 and now >= start - TWO_DAYS:
                continue
            yield Due(
                recipient=convocation.candidacy.candidate,
                key=f"convocation:{convocation.uid}:{start.isoformat()}",
                due_at=due_at,
                build=lambda convocation=convocation, start=start: interview_email(
                    convocation, start
                ),
            )

    return find


def interview_email(convocation, start):
    slot = convocation.slot
    session = slot.session
    place = session.visio_link or session.address
    return reminder_email(
        subject=f"votre entretien avec le jury le {fr.date(start.date())}",
        lead=(
            f"Votre entretien avec le jury de VAE a lieu le {fr.date(start.date())} à "
            f"{fr.time(start)}."
        ),
        facts=[
            ("Candidature", convocation.candidacy.reference),
            ("Date", fr.date(start.date())),
            ("Heure", fr.time(start)),
            ("Durée", fr.duration(slot.duration_minutes)),
            ("Lieu" if not session.visio_link else "Visioconférence", place),
        ],
        next_step="Retrouvez votre convocation, son PDF et l'invitation pour votre agenda "
        "dans votre espace. En cas d'empêchement, prévenez-nous au plus tôt.",
        link=site_url(reverse("jury:convocation", args=[convocation.pk])),
        link_label="Voir ma convocation",
        recipient_name=convocation.candidacy.candidate.get_full_name(),
    )


def sessions_in_2_days(now: dt.datetime):
    today = timezone.localdate(now)
    sessions = JurySession.objects.filter(
        status=SessionStatus.PLANNED, date__range=(today, today + TWO_DAYS)
    ).prefetch_related("seats__member__user")
    for session in sessions:
        start = session.at(session.start_time)
        if start <= now:
            continue
        for seat in session.seats.all():
            yield Due(
                recipient=seat.member.user,
                key=f"session:{session.pk}:{start.isoformat()}",
                due_at=start - TWO_DAYS,
                build=lambda session=session, start=start: session_email(session, start),
            )


def session_email(session, start):
    return reminder_email(
        subject=f"session du jury le {fr.date(session.date)}",
        lead=(
            f"Vous siégez à la session du jury du {fr.date(session.date)}, de "
            f"{fr.time(session.start_time)} à {fr.time(session.end_time)}."
        ),
        facts=[
            ("Date", fr.date(session.date)),
            (
                "Lieu" if not session.visio_link else "Visioconférence",
                session.visio_link or session.address,
            ),
        ],
        next_step="Avant de consulter le dossier d'un candidat, déclarez sur la plateforme "
        "ne pas le connaître et ne pas l'avoir accompagné.",
        link=site_url(reverse("jury:session", args=[session.pk])),
        link_label="Ouvrir l'ordre de passage",
    )


def sessions_without_decision(now: dt.datetime):
    today = timezone.localdate(now)
    # Whatever the session's status: a session closes once each candidate was heard or
    # absent, before the deliberation, so a closed one may still wait for its decisions;
    # a candidate still « interviewed » is what says a decision is missing.
    sessions = JurySession.objects.filter(
        date__lte=today - dt.timedelta(days=7),
        slots__candidacy__state=CandidacyState.INTERVIEWED,
    ).distinct()
    staff = list(certifiers())
    for session in sessions:
        for certifier in staff:
            yield Due(
                recipient=certifier,
                key=f"session:{session.pk}",
                due_at=start_of_day(session.date + dt.timedelta(days=7)),
                build=lambda session=session: undecided_email(session),
            )


def undecided_email(session):
    return reminder_email(
        subject=f"session du jury du {fr.date(session.date)} sans décision",
        lead=(
            f"La session du jury du {fr.date(session.date)} s'est tenue il y a plus de sept "
            "jours et des candidats y attendent encore la décision du jury."
        ),
        next_step="Recueillez la délibération du jury et enregistrez sa décision.",
        link=site_url(reverse("jury_admin:session", args=[session.pk])),
        link_label="Ouvrir la session",
    )


# The rules give the jury 15 days after the interview to send its decision; the
# certifiers hear of a decision still unsigned 10 days after (issue 14).
DECISION_DAYS = 15
DECISION_REMINDER_DAYS = 10


def decisions_due(now: dt.datetime):
    today = timezone.localdate(now)
    slots = Slot.objects.filter(
        status=SlotStatus.INTERVIEWED,
        candidacy__state=CandidacyState.INTERVIEWED,
        session__date__lte=today - dt.timedelta(days=DECISION_REMINDER_DAYS),
    ).select_related("session", "candidacy")
    staff = list(certifiers())
    for slot in slots:
        for certifier in staff:
            yield Due(
                recipient=certifier,
                key=f"decision:{slot.pk}",
                due_at=start_of_day(slot.session.date + dt.timedelta(days=DECISION_REMINDER_DAYS)),
                build=lambda slot=slot: decision_due_email(slot),
            )


def decision_due_email(slot):
    deadline = slot.session.date + dt.timedelta(days=DECISION_DAYS)
    return reminder_email(
        subject=f"décision du jury à rendre avant le {fr.date(deadline)}",
        lead=(
            f"Le candidat de la candidature {slot.candidacy.reference}, entendu par le jury "
            f"le {fr.date(slot.session.date)}, attend toujours sa décision : elle doit lui "
            f"être adressée avant le {fr.date(deadline)}."
        ),
        next_step="Rappelez aux membres du jury de voter et de signer la décision.",
        link=site_url(reverse("jury_admin:session", args=[slot.session_id])),
        link_label="Ouvrir la session",
    )


def register():
    register_kind(
        "interview_in_14_days",
        label="Entretien avec le jury dans 14 jours (candidat)",
        find=_interview_reminders(14),
    )
    register_kind(
        "interview_in_2_days",
        label="Entretien avec le jury dans 2 jours (candidat)",
        find=_interview_reminders(2),
    )
    register_kind(
        "session_in_2_days",
        label="Session du jury dans 2 jours (membres)",
        find=sessions_in_2_days,
    )
    register_kind(
        "decision_due",
        label="Décision du jury non signée 10 jours après l'entretien (certificateurs)",
        find=decisions_due,
    )
    register_kind(
        "session_without_decision",
        label="Session du jury passée sans décision (certificateurs)",
        find=sessions_without_decision,
    )
