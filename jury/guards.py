"""The jury's guards and effects on the candidacy machine, registered by ``JuryConfig``.

A guard reads the rows and asks ``jury.rules``; it returns the French sentences of what
is missing. An effect runs inside the transition's atomic block, after its log row.
"""

from django.utils import timezone

from jury import rules, selectors
from jury.enums import SessionStatus, SlotStatus
from jury.models import Slot


def _no_slot() -> list[str]:
    return ["Aucun passage n'est réservé pour ce candidat dans une session du jury."]


def scheduling_problems(candidacy) -> list[str]:
    """``schedule_jury`` and ``reschedule_jury``: the candidacy's live slot is in a planned
    session of its certification, validly composed, ahead and at most two years off, within
    the session's hours, overlapping no other slot, and no member knows the candidate."""
    slot = selectors.scheduled_slot(candidacy)
    if slot is None:
        return _no_slot()
    session = slot.session
    problems = []
    if session.status != SessionStatus.PLANNED:
        problems.append("Cette session du jury n'accepte plus de convocations.")
    if session.certification.code != candidacy.certification_code:
        problems.append("Cette session ne juge pas la certification de la candidature.")
    problems += selectors.session_problems(session)
    problems += rules.date_problems(
        session_date=session.date,
        session_start=session.start_time,
        now=timezone.localtime().replace(tzinfo=None),
    )
    problems += rules.slot_problems(
        session_start=session.start_time,
        session_end=session.end_time,
        start=slot.start,
        minutes=slot.duration_minutes,
        others=selectors.other_periods(slot),
    )
    problems += [
        f"{name} a déclaré connaître le candidat : remplacez ce membre ou choisissez une "
        "autre session."
        for name in selectors.conflicted_names(session, candidacy)
    ]
    return problems


def absence_problems(candidacy) -> list[str]:
    return [] if selectors.scheduled_slot(candidacy) else _no_slot()


def interview_problems(candidacy) -> list[str]:
    slot = selectors.scheduled_slot(candidacy)
    if slot is None:
        return _no_slot()
    return rules.may_interview(session_date=slot.session.date, today=timezone.localdate())


def _close_slot(candidacy, status) -> Slot | None:
    slot = Slot.objects.select_for_update().scheduled().filter(candidacy=candidacy).first()
    if slot is not None:
        slot.end(status)
    return slot


def mark_absent(*, candidacy, entry) -> None:
    _close_slot(candidacy, SlotStatus.ABSENT)


def mark_interviewed(*, candidacy, entry) -> None:
    _close_slot(candidacy, SlotStatus.INTERVIEWED)
