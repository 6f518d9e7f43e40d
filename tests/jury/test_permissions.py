"""Who reads a convoked candidate's dossier as a jury member (the core's dossier policy,
one answer for one candidacy and the same in SQL), and who sees a session."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from jury import permissions, services
from jury.models import JurySession, Slot
from tests.factories import CandidacyFactory, UserFactory, make_session, make_slot, schedule
from vae import permissions as vae_permissions
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.models import Candidacy


@pytest.fixture
def convoked(referentiel, session, certifier):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    schedule(candidacy, session, by=certifier)
    candidacy.refresh_from_db()
    return candidacy


def reads(user, candidacy) -> bool:
    """The policy's two answers, which must agree."""
    one = vae_permissions.can_view_dossier(user, candidacy)
    many = Candidacy.objects.dossiers_readable_by(user).filter(pk=candidacy.pk).exists()
    assert one == many
    return one


def declare(candidacy, user, no_conflict=True):
    slot = Slot.objects.get(candidacy=candidacy, status="scheduled")
    services.declare(slot=slot, by=user, no_conflict=no_conflict, details="Voisin.")


def test_a_member_reads_only_after_declaring_no_conflict(convoked, session):
    member = session.president.user
    assert not reads(member, convoked)
    declare(convoked, member)
    assert reads(member, convoked)
    # The other member has not declared yet.
    other = session.seats.exclude(member=session.president).get().member.user
    assert not reads(other, convoked)


def test_a_member_who_declared_a_conflict_never_reads(convoked, session):
    member = session.president.user
    declare(convoked, member, no_conflict=False)
    assert not reads(member, convoked)


def test_a_member_of_another_session_does_not_read(convoked):
    other_session = make_session()
    stranger = other_session.president.user
    # Even with a declaration of their own for another candidate in their session.
    elsewhere = CandidacyFactory(state=S.JURY_SCHEDULED)
    make_slot(elsewhere, other_session)
    declare(elsewhere, stranger)
    assert reads(stranger, elsewhere)
    assert not reads(stranger, convoked)


@pytest.mark.parametrize("who", ["anonymous", "evaluator", "other_candidate", "jury_no_seat"])
def test_others_do_not_read(convoked, who):
    user = {
        "anonymous": AnonymousUser,
        "evaluator": lambda: UserFactory(role=Role.EVALUATOR),
        "other_candidate": lambda: UserFactory(role=Role.CANDIDATE),
        "jury_no_seat": lambda: UserFactory(role=Role.JURY_MEMBER),
    }[who]()
    assert not reads(user, convoked)


def test_reading_lasts_through_the_interview(convoked, session):
    member = session.president.user
    declare(convoked, member)
    slot = Slot.objects.get(candidacy=convoked)
    Slot.objects.filter(pk=slot.pk).update(status="interviewed")
    Candidacy.objects.filter(pk=convoked.pk).update(state=S.INTERVIEWED)
    convoked.refresh_from_db()
    assert reads(member, convoked)


def test_a_moved_candidate_is_no_longer_read_by_the_old_session(convoked, session, certifier):
    member = session.president.user
    declare(convoked, member)
    services.reschedule(
        candidacy=convoked,
        session=make_session(days_ahead=45),
        start=dt.time(9, 0),
        by=certifier,
        reason="Session complète.",
    )
    convoked.refresh_from_db()
    assert not reads(member, convoked)


def test_an_absent_candidate_back_to_reviewed_is_not_read(convoked, session, certifier):
    member = session.president.user
    declare(convoked, member)
    Candidacy.objects.filter(pk=convoked.pk).update(state=S.REVIEWED)
    convoked.refresh_from_db()
    assert not reads(member, convoked)


def test_an_inactive_member_does_not_read(convoked, session):
    member = session.president
    declare(convoked, member.user)
    member.active = False
    member.save()
    member.user._jury_member = None
    assert not reads(member.user, convoked)


# -- sessions -------------------------------------------------------------------------


def test_sessions_policy(session, certifier):
    other = make_session()
    member = session.president.user
    everything = JurySession.objects.all()
    assert set(permissions.SESSIONS.scope(everything, member)) == {session}
    assert permissions.SESSIONS.can(member, session)
    assert not permissions.SESSIONS.can(member, other)
    assert set(permissions.SESSIONS.scope(everything, certifier)) == {session, other}
    for user in (
        AnonymousUser(),
        UserFactory(role=Role.CANDIDATE),
        UserFactory(role=Role.JURY_MEMBER),
    ):
        assert not permissions.SESSIONS.scope(everything, user).exists()
        assert not permissions.SESSIONS.can(user, session)
