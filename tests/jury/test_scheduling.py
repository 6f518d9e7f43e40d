"""Scheduling, rescheduling, absence, interview and withdrawal through the jury's
services: the slot, the convocation, the log row and the e-mails, all or nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from icalendar import Calendar

from jury import services
from jury.enums import ConvocationStatus, SessionStatus, SlotStatus
from jury.models import Convocation, Slot
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_member,
    make_session,
    make_slot,
    schedule,
)
from vae import services as vae_services
from vae.enums import CandidacyState as S
from vae.enums import Role, Transition
from vae.models import CandidacyTransition
from vae.roles import assign_role
from vae.workflow import TransitionForbidden, TransitionRefused

PARIS = ZoneInfo("Europe/Paris")


def nothing_written(candidacy, state=S.REVIEWED):
    candidacy.refresh_from_db()
    assert candidacy.state == state
    assert not candidacy.transitions.exists()
    assert not Slot.objects.filter(candidacy=candidacy).exists()
    assert not Convocation.objects.filter(candidacy=candidacy).exists()


def test_scheduling_makes_the_slot_the_convocation_and_the_log_row(
    reviewed, session, certifier, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.VAE_JURY_CHANGEOVER_MINUTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.schedule(
            candidacy=reviewed, session=session, start=dt.time(10, 0), by=certifier
        )
    reviewed.refresh_from_db()
    assert reviewed.state == S.JURY_SCHEDULED
    assert (entry.transition, entry.actor, entry.actor_role) == (
        Transition.SCHEDULE_JURY,
        certifier,
        Role.CERTIFIER,
    )
    slot = Slot.objects.get(candidacy=reviewed)
    # Three blocs targeted: 3 × 15 minutes of questions and answers, and the changeover.
    assert (slot.start, slot.duration_minutes, slot.status) == (
        dt.time(10, 0),
        55,
        SlotStatus.SCHEDULED,
    )
    convocation = Convocation.objects.get(candidacy=reviewed)
    assert convocation.slot == slot
    assert convocation.sequence == 0
    assert convocation.status == ConvocationStatus.SENT
    assert convocation.sent_at is not None
    assert convocation.uid == f"convocation-{reviewed.pk}-session-{session.pk}@127.0.0.1"
    # One e-mail to the candidate: the convocation, with its invitation (the transition's
    # notice is it); the members receive the session's updated agenda.
    to_candidate = [m for m in mailoutbox if m.to == [reviewed.candidate.email]]
    assert len(to_candidate) == 1
    message = to_candidate[0]
    assert "Convocation à l'entretien avec le jury" in message.subject
    calendar = Calendar.from_ical(message.attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (convocation.uid, 0)
    assert event.decoded("DTSTART") == dt.datetime.combine(session.date, dt.time(10, 0), PARIS)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=55)


def test_fewer_blocs_and_an_accommodation_change_the_length(referentiel, session, certifier):
    candidacy = CandidacyFactory(state=S.REVIEWED, blocs=["BC3"])
    services.schedule(
        candidacy=candidacy,
        session=session,
        start=dt.time(9, 0),
        by=certifier,
        extra_minutes=15,
        accommodation_note="Tiers temps ; salle accessible en fauteuil.",
    )
    slot = Slot.objects.get(candidacy=candidacy)
    assert slot.duration_minutes == 15 + 10 + 15
    assert slot.accommodation_note == "Tiers temps ; salle accessible en fauteuil."


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (dt.time(8, 30), "sort des horaires"),
        (dt.time(16, 30), "sort des horaires"),
        (dt.time(9, 30), "chevauche"),
    ],
)
def test_a_slot_that_does_not_fit_is_refused_and_nothing_written(
    referentiel, session, certifier, start, problem
):
    schedule(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(9, 0), by=certifier)
    candidacy = CandidacyFactory(state=S.REVIEWED)
    with pytest.raises(TransitionRefused) as refused:
        services.schedule(candidacy=candidacy, session=session, start=start, by=certifier)
    assert any(problem in p for p in refused.value.problems)
    nothing_written(candidacy)


def test_the_same_start_twice_is_refused_by_the_service(referentiel, session, certifier):
    schedule(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(9, 0), by=certifier)
    candidacy = CandidacyFactory(state=S.REVIEWED)
    with pytest.raises(TransitionRefused) as refused:
        services.schedule(candidacy=candidacy, session=session, start=dt.time(9, 0), by=certifier)
    assert "déjà à cette heure" in refused.value.message
    nothing_written(candidacy)


def test_the_database_refuses_two_slots_at_the_same_start(referentiel, session):
    make_slot(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(9, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_slot(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(9, 0))


def test_the_database_refuses_two_live_slots_for_one_candidacy(referentiel, session):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    make_slot(candidacy, session, start=dt.time(9, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_slot(candidacy, make_session(), start=dt.time(9, 0))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("no_president", "Désignez le président du jury."),
        ("one_member", "Il manque 1 « Membre du collège salarié de la CPNEF de l'audiovisuel »."),
        ("none_qualified", "Aucun membre n'est qualifié"),
        ("past", "La session du jury est passée"),
        ("too_far", "plus de 2 ans"),
        ("held", "n'accepte plus de convocations"),
    ],
)
def test_an_invalid_session_is_refused(referentiel, certifier, change, problem):
    if change == "one_member":
        session = make_session(members=[make_member()])
    elif change == "none_qualified":
        session = make_session(
            members=[
                make_member(qualified=False),
                make_member(college="employees_college", civility="m", qualified=False),
            ]
        )
    elif change == "past":
        session = make_session(days_ahead=-1)
    elif change == "too_far":
        session = make_session(days_ahead=2 * 366 + 1)
    else:
        session = make_session()
    if change == "no_president":
        session.president = None
        session.save()
    if change == "held":
        session.status = SessionStatus.HELD
        session.save()
    candidacy = CandidacyFactory(state=S.REVIEWED)
    with pytest.raises(TransitionRefused) as refused:
        services.schedule(candidacy=candidacy, session=session, start=dt.time(9, 0), by=certifier)
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    nothing_written(candidacy)


@pytest.mark.parametrize("state", [S.UNDER_REVIEW, S.JURY_SCHEDULED, S.INTERVIEWED, S.WITHDRAWN])
def test_only_a_reviewed_candidacy_is_scheduled(referentiel, session, certifier, state):
    candidacy = CandidacyFactory(state=state)
    with pytest.raises(TransitionRefused) as refused:
        services.schedule(candidacy=candidacy, session=session, start=dt.time(9, 0), by=certifier)
    assert "n'est pas possible" in refused.value.message
    nothing_written(candidacy, state)


@pytest.mark.parametrize("who", ["candidate", "jury", "evaluator", "own_certifier"])
def test_only_a_certifier_schedules(referentiel, session, who):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    by = {
        "candidate": lambda: candidacy.candidate,
        "jury": lambda: session.president.user,
        "evaluator": lambda: UserFactory(role=Role.EVALUATOR),
        "own_certifier": lambda: candidacy.candidate,
    }[who]()
    if who == "own_certifier":
        assign_role(by, Role.CERTIFIER)
    with pytest.raises(TransitionForbidden):
        services.schedule(candidacy=candidacy, session=session, start=dt.time(9, 0), by=by)
    nothing_written(candidacy)


def test_a_member_who_declared_a_conflict_blocks_the_scheduling(referentiel, session, certifier):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    other = make_session()
    schedule(candidacy, other, by=certifier)
    slot = Slot.objects.get(candidacy=candidacy)
    member = other.president
    services.declare(slot=slot, by=member.user, no_conflict=False, details="Ancien collègue.")
    # The same member sits in the session the candidate is moved to: refused.
    session.seats.filter(role="employers_college").update(member=member)
    session.president = member
    session.save()
    with pytest.raises(TransitionRefused) as refused:
        services.reschedule(
            candidacy=candidacy, session=session, start=dt.time(9, 0), by=certifier, reason="x"
        )
    assert any("a déclaré connaître le candidat" in p for p in refused.value.problems)
    slot.refresh_from_db()
    assert slot.status == SlotStatus.SCHEDULED  # the old slot is not cancelled either
    assert Convocation.objects.filter(candidacy=candidacy).count() == 1


# -- rescheduling ---------------------------------------------------------------------


def test_rescheduling_in_the_same_session_updates_the_event(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    schedule(reviewed, session, start=dt.time(9, 0), by=certifier)
    first = Convocation.objects.get(candidacy=reviewed)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.reschedule(
            candidacy=reviewed,
            session=session,
            start=dt.time(14, 0),
            by=certifier,
            reason="Le candidat est en tournage le matin.",
        )
    assert (entry.source_state, entry.target_state) == (S.JURY_SCHEDULED, S.JURY_SCHEDULED)
    assert entry.comment == "Le candidat est en tournage le matin."
    first.refresh_from_db()
    second = Convocation.objects.get(candidacy=reviewed, status=ConvocationStatus.SENT)
    assert first.status == ConvocationStatus.CANCELLED and first.cancelled_at
    assert first.replaced_by == second
    assert (second.uid, second.sequence) == (first.uid, 1)
    slots = list(Slot.objects.filter(candidacy=reviewed).order_by("pk"))
    assert [(s.start, s.status) for s in slots] == [
        (dt.time(9, 0), SlotStatus.CANCELLED),
        (dt.time(14, 0), SlotStatus.SCHEDULED),
    ]
    to_candidate = [m for m in mailoutbox if m.to == [reviewed.candidate.email]]
    assert len(to_candidate) == 1  # the update only: the same calendar entry moves
    assert "Nouvelle date de votre entretien avec le jury" in to_candidate[0].subject
    event = Calendar.from_ical(to_candidate[0].attachments[0][1]).walk("VEVENT")[0]
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (first.uid, 1)
    assert "Le candidat est en tournage le matin." in to_candidate[0].body


def test_rescheduling_to_another_session_changes_the_event(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)  # sent: its entry is in the calendar
    mailoutbox.clear()
    other = make_session(days_ahead=40)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            candidacy=reviewed, session=other, start=dt.time(9, 0), by=certifier, reason="Grève."
        )
    methods = [
        (Calendar.from_ical(m.attachments[0][1])["METHOD"], m.attachments[0][1])
        for m in mailoutbox
        if m.to == [reviewed.candidate.email]
    ]
    assert [method for method, _ics in methods] == ["CANCEL", "REQUEST"]
    convocations = list(Convocation.objects.filter(candidacy=reviewed).order_by("sequence"))
    assert [c.sequence for c in convocations] == [0, 1]
    assert convocations[0].uid != convocations[1].uid
    assert convocations[0].replaced_by == convocations[1]


def test_the_freed_time_can_be_given_to_another_candidate(reviewed, session, certifier):
    schedule(reviewed, session, start=dt.time(9, 0), by=certifier)
    services.reschedule(
        candidacy=reviewed, session=session, start=dt.time(14, 0), by=certifier, reason="Report."
    )
    schedule(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(9, 0), by=certifier)
    assert Slot.objects.occupying().filter(session=session).count() == 2


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_rescheduling_needs_a_reason(reviewed, session, certifier, reason):
    schedule(reviewed, session, by=certifier)
    with pytest.raises(TransitionRefused) as refused:
        services.reschedule(
            candidacy=reviewed, session=session, start=dt.time(14, 0), by=certifier, reason=reason
        )
    assert "motif du report" in refused.value.message
    assert reviewed.transitions.count() == 1
    assert Slot.objects.filter(candidacy=reviewed).count() == 1
    assert Convocation.objects.get(candidacy=reviewed).status == ConvocationStatus.SENT


def test_a_refused_rescheduling_keeps_the_old_convocation(reviewed, session, certifier):
    schedule(reviewed, session, by=certifier)
    with pytest.raises(TransitionRefused):
        services.reschedule(
            candidacy=reviewed, session=session, start=dt.time(16, 50), by=certifier, reason="x"
        )
    assert Slot.objects.get(candidacy=reviewed).status == SlotStatus.SCHEDULED
    assert Convocation.objects.get(candidacy=reviewed).status == ConvocationStatus.SENT
    assert reviewed.transitions.count() == 1


# -- the session's day ----------------------------------------------------------------


@pytest.fixture
def convoked(referentiel):
    """A candidacy convoked to a session that sits today (put in the state: scheduling
    refuses a session already begun)."""
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    make_slot(candidacy, session, start=dt.time(0, 0))
    return candidacy


def test_an_excused_absence(convoked, django_capture_on_commit_callbacks, mailoutbox):
    member = Slot.objects.get(candidacy=convoked).session.president.user
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.record_absence(
            candidacy=convoked, by=member, excused=True, justification="Arrêt maladie."
        )
    assert (entry.target_state, entry.actor_role) == (S.REVIEWED, Role.JURY_MEMBER)
    assert entry.comment == "Absence excusée : Arrêt maladie."
    slot = Slot.objects.get(candidacy=convoked)
    assert (slot.status, slot.absence_excused) == (SlotStatus.ABSENT, True)
    subjects = {m.subject for m in mailoutbox}
    assert any("Votre absence à l'entretien" in s for s in subjects)
    assert any("Un candidat était absent devant le jury" in s for s in subjects)
    # Scheduled again afterwards, in another session.
    schedule(convoked, make_session(days_ahead=20))
    convoked.refresh_from_db()
    assert convoked.state == S.JURY_SCHEDULED


def test_an_unexcused_absence_by_a_certifier(convoked, certifier):
    entry = services.record_absence(candidacy=convoked, by=certifier, excused=False)
    assert entry.comment == "Absence non excusée."
    assert entry.actor_role == Role.CERTIFIER
    assert Slot.objects.get(candidacy=convoked).absence_excused is False


def test_an_excused_absence_needs_its_justification(convoked, certifier):
    with pytest.raises(TransitionRefused):
        services.record_absence(candidacy=convoked, by=certifier, excused=True, justification=" ")
    convoked.refresh_from_db()
    assert convoked.state == S.JURY_SCHEDULED
    assert not convoked.transitions.exists()


def test_the_interview_is_recorded_by_a_member_of_the_session(convoked):
    member = Slot.objects.get(candidacy=convoked).session.president.user
    entry = services.record_interview(candidacy=convoked, by=member)
    assert (entry.target_state, entry.actor_role) == (S.INTERVIEWED, Role.JURY_MEMBER)
    assert Slot.objects.get(candidacy=convoked).status == SlotStatus.INTERVIEWED


def test_no_interview_before_the_session_day(reviewed, session, certifier):
    schedule(reviewed, session, by=certifier)
    member = session.president.user
    with pytest.raises(TransitionRefused) as refused:
        services.record_interview(candidacy=reviewed, by=member)
    assert "avant le jour de la session" in refused.value.problems[0]
    reviewed.refresh_from_db()
    assert reviewed.state == S.JURY_SCHEDULED
    assert Slot.objects.get(candidacy=reviewed).status == SlotStatus.SCHEDULED


def test_a_member_who_declared_a_conflict_cannot_record(convoked):
    slot = Slot.objects.get(candidacy=convoked)
    member = slot.session.president.user
    services.declare(slot=slot, by=member, no_conflict=False, details="Ma belle-sœur.")
    with pytest.raises(TransitionForbidden):
        services.record_interview(candidacy=convoked, by=member)
    with pytest.raises(TransitionForbidden):
        services.record_absence(candidacy=convoked, by=member, excused=False)
    assert not CandidacyTransition.objects.filter(candidacy=convoked).exists()


def test_withdrawing_a_convoked_candidacy_cancels_its_convocation(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)  # sent: its entry is in the calendar
    with django_capture_on_commit_callbacks(execute=True):
        vae_services.withdraw(candidacy=reviewed, by=reviewed.candidate)
    cancellation = next(m for m in mailoutbox if "Annulation" in m.subject)
    event = Calendar.from_ical(cancellation.attachments[0][1])
    assert event["METHOD"] == "CANCEL"
    assert str(event.walk("VEVENT")[0]["UID"]) == Convocation.objects.get(candidacy=reviewed).uid
    assert Slot.objects.get(candidacy=reviewed).status == SlotStatus.CANCELLED
    convocation = Convocation.objects.get(candidacy=reviewed)
    assert (convocation.status, convocation.replaced_by) == (ConvocationStatus.CANCELLED, None)
