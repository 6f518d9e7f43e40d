"""The jury as rows: members, a validly composed session, a slot (``make_slot``), or a
candidacy scheduled through the services (``schedule``)."""

import datetime as dt

from django.utils import timezone

from jury import services
from jury.enums import JuryCollege, Modality
from jury.models import JuryMember, JurySeat, JurySession, Slot
from referentiel.models import Certification
from tests.factories.vae import UserFactory
from vae.enums import Role


def make_member(*, college=JuryCollege.EMPLOYERS, civility="mme", qualified=True, **kwargs):
    user = UserFactory(role=Role.JURY_MEMBER, **kwargs)
    return JuryMember.objects.create(
        user=user, college=college, civility=civility, qualified=qualified
    )


def make_session(
    *,
    days_ahead=30,
    start=dt.time(9, 0),
    end=dt.time(17, 0),
    members=None,
    president="first",
    certification=None,
    by=None,
    **fields,
) -> JurySession:
    """A planned session ``days_ahead`` days from today (negative: in the past), composed
    as the référentiel wants (a woman of the employers' college, a man of the employees'),
    the first member presiding, unless ``members`` (JuryMember rows) says otherwise."""
    fields.setdefault("modality", Modality.ON_SITE)
    fields.setdefault("address", "CPNEF de l'audiovisuel, 75009 Paris")
    session = JurySession.objects.create(
        certification=certification or Certification.objects.current(),
        date=timezone.localdate() + dt.timedelta(days=days_ahead),
        start_time=start,
        end_time=end,
        created_by=by or UserFactory(role=Role.CERTIFIER),
        **fields,
    )
    if members is None:
        members = [
            make_member(college=JuryCollege.EMPLOYERS, civility="mme"),
            make_member(college=JuryCollege.EMPLOYEES, civility="m"),
        ]
    for member in members:
        JurySeat.objects.create(session=session, role=member.college, member=member)
    if members and president == "first":
        session.president = members[0]
        session.save(update_fields=["president"])
    return session


def make_slot(candidacy, session, *, start=dt.time(9, 0), minutes=55, **fields) -> Slot:
    """A scheduled slot row, without the transition (for a candidacy put in a state)."""
    return Slot.objects.create(
        session=session,
        candidacy=candidacy,
        start=start,
        duration_minutes=minutes,
        created_by=session.created_by,
        **fields,
    )


def schedule(candidacy, session=None, *, start=dt.time(9, 0), by=None, **kwargs):
    """Schedule a reviewed candidacy through ``jury.services.schedule``."""
    session = session or make_session()
    services.schedule(
        candidacy=candidacy,
        session=session,
        start=start,
        by=by or session.created_by,
        **kwargs,
    )
    return session
