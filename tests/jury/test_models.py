"""What the database itself refuses in the jury's tables."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from jury.enums import Modality
from jury.models import ADDRESS_MAX_CHARS, NOTE_MAX_CHARS, ConflictDeclaration, JurySession
from tests.factories import CandidacyFactory, make_session, make_slot
from vae.enums import CandidacyState as S


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def new_session(session, **fields):
    values = {
        "certification": session.certification,
        "date": session.date,
        "start_time": dt.time(9, 0),
        "end_time": dt.time(12, 0),
        "modality": Modality.ON_SITE,
        "address": "Paris",
        "created_by": session.created_by,
        **fields,
    }
    return JurySession.objects.create(**values)


def test_a_session_ends_after_it_starts(session):
    refused(lambda: new_session(session, end_time=dt.time(9, 0)))


@pytest.mark.parametrize(
    ("modality", "address", "link"),
    [(Modality.ON_SITE, "", "https://visio.example/j"), (Modality.REMOTE, "Paris", "")],
)
def test_a_session_has_its_place(session, modality, address, link):
    refused(lambda: new_session(session, modality=modality, address=address, visio_link=link))
    new_session(session, modality=Modality.REMOTE, address="", visio_link="https://v.example/")


def test_the_address_is_bounded(session):
    refused(lambda: new_session(session, address="x" * (ADDRESS_MAX_CHARS + 1)))


def test_the_accommodation_note_is_bounded(session):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    refused(lambda: make_slot(candidacy, session, accommodation_note="x" * (NOTE_MAX_CHARS + 1)))
    refused(lambda: make_slot(candidacy, session, minutes=0))


def test_a_conflict_is_explained_and_declared_once(session):
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED)
    make_slot(candidacy, session)
    member = session.president

    def declaration(**fields):
        return ConflictDeclaration.objects.create(
            member=member, candidacy=candidacy, session=session, **fields
        )

    refused(lambda: declaration(no_conflict=False, details=""))
    refused(lambda: declaration(no_conflict=False, details="x" * (NOTE_MAX_CHARS + 1)))
    declaration(no_conflict=True)
    refused(lambda: declaration(no_conflict=True))


def test_a_member_sits_once_per_session(referentiel):
    session = make_session()
    refused(lambda: session.seats.create(role="employees_college", member=session.president))
