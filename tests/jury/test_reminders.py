"""The jury's reminders, travelled through time: each sent once when its moment has
come, never twice (the command run twice), never before."""

import datetime as dt

import pytest
from django.utils import timezone

from jury import services
from jury.enums import SessionStatus
from jury.models import JurySession
from tests.factories import CandidacyFactory, make_session, make_slot, schedule
from vae import reminders
from vae.enums import CandidacyState
from vae.models import Candidacy


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def sent(kind, now, mailoutbox):
    """Run the kind twice at ``now``; the addresses e-mailed."""
    mailoutbox.clear()
    first = reminders.send_reminders(now, only=[kind])
    second = reminders.send_reminders(now, only=[kind])
    assert second.sent == []
    return sorted(address for _kind, _key, address in first.sent)


def test_the_candidate_is_reminded_14_and_2_days_before(reviewed, certifier, travel, mailoutbox):
    session = make_session(days_ahead=30, by=certifier)
    schedule(reviewed, session, start=dt.time(10, 0), by=certifier)
    email = reviewed.candidate.email
    interview = at(session.date, 10)
    travel(interview - dt.timedelta(days=14, minutes=1))
    assert sent("interview_in_14_days", timezone.now(), mailoutbox) == []
    travel(interview - dt.timedelta(days=14) + dt.timedelta(minutes=5))
    assert sent("interview_in_14_days", timezone.now(), mailoutbox) == [email]
    assert "entretien avec le jury" in mailoutbox[0].subject
    assert sent("interview_in_2_days", timezone.now(), mailoutbox) == []
    travel(interview - dt.timedelta(days=1))
    assert sent("interview_in_2_days", timezone.now(), mailoutbox) == [email]
    # Past the interview: nothing more.
    travel(interview + dt.timedelta(hours=1))
    assert sent("interview_in_2_days", timezone.now(), mailoutbox) == []


def test_a_rescheduled_interview_is_reminded_again_and_a_cancelled_one_never(
    reviewed, certifier, travel, mailoutbox
):
    session = make_session(days_ahead=30, by=certifier)
    schedule(reviewed, session, start=dt.time(10, 0), by=certifier)
    travel(at(session.date, 11) - dt.timedelta(days=2))
    assert sent("interview_in_2_days", timezone.now(), mailoutbox) == [reviewed.candidate.email]
    services.reschedule(
        candidacy=reviewed, session=session, start=dt.time(14, 0), by=certifier, reason="Report."
    )
    travel(at(session.date, 14) - dt.timedelta(days=1))
    assert sent("interview_in_2_days", timezone.now(), mailoutbox) == [reviewed.candidate.email]
    # Moved once more, then the absence told in advance: that convocation is cancelled.
    services.reschedule(
        candidacy=reviewed, session=session, start=dt.time(16, 0), by=certifier, reason="Report."
    )
    services.record_absence(candidacy=reviewed, by=certifier, excused=True, justification="Malade")
    travel(at(session.date, 16) - dt.timedelta(days=1))
    assert sent("interview_in_2_days", timezone.now(), mailoutbox) == []


def test_the_members_are_reminded_2_days_before_the_session(session, travel, mailoutbox):
    members = sorted(
        seat.member.user.email for seat in session.seats.select_related("member__user")
    )
    start = at(session.date, 9)
    travel(start - dt.timedelta(days=2, minutes=1))
    assert sent("session_in_2_days", timezone.now(), mailoutbox) == []
    travel(start - dt.timedelta(days=1))
    assert sent("session_in_2_days", timezone.now(), mailoutbox) == members
    assert "session du jury" in mailoutbox[0].subject


def test_the_certifiers_hear_of_a_decision_unsigned_10_days_after_the_interview(
    session, certifier, travel, mailoutbox
):
    heard = CandidacyFactory(state=CandidacyState.INTERVIEWED)
    make_slot(heard, session, status="interviewed")
    travel(at(session.date + dt.timedelta(days=9), 23))
    assert sent("decision_due", timezone.now(), mailoutbox) == []
    travel(at(session.date + dt.timedelta(days=10), 8))
    assert sent("decision_due", timezone.now(), mailoutbox) == [certifier.email]
    deadline = session.date + dt.timedelta(days=15)
    assert "décision du jury à rendre avant le" in mailoutbox[0].subject
    assert heard.reference in mailoutbox[0].body
    assert str(deadline.year) in mailoutbox[0].subject
    # Decided: nothing more.
    Candidacy.objects.filter(pk=heard.pk).update(state=CandidacyState.DECIDED)
    travel(at(session.date + dt.timedelta(days=12), 8))
    assert sent("decision_due", timezone.now(), mailoutbox) == []


# Whatever the session's status: a closed session (each candidate heard or absent) may
# still wait for its decisions, and one never marked held is no less past.
@pytest.mark.parametrize("status", list(SessionStatus))
def test_the_certifiers_hear_of_a_session_7_days_past_without_decision(
    session, certifier, travel, mailoutbox, status
):
    heard = CandidacyFactory(state=CandidacyState.INTERVIEWED)
    make_slot(heard, session, status="interviewed")
    JurySession.objects.filter(pk=session.pk).update(status=status)
    travel(at(session.date + dt.timedelta(days=6), 23))
    assert sent("session_without_decision", timezone.now(), mailoutbox) == []
    travel(at(session.date + dt.timedelta(days=7), 8))
    assert sent("session_without_decision", timezone.now(), mailoutbox) == [certifier.email]
    assert "sans décision" in mailoutbox[0].subject
    # Once the candidate moves on (a decision), nothing more for another session.
    Candidacy.objects.filter(pk=heard.pk).update(state=CandidacyState.REVIEWED)
    travel(at(session.date + dt.timedelta(days=20), 8))
    assert sent("session_without_decision", timezone.now(), mailoutbox) == []
