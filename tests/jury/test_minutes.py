"""The PV of a jury session: drawn up once its last candidate is decided or absent,
rendered once and stored with its SHA-256, read by the certifiers and the session's
members only."""

import datetime as dt

import pytest
from django.urls import reverse

from jury import minutes, services
from jury.models import SessionMinutes
from tests.accounts import log_in
from tests.documents import rendered_text
from tests.factories import CandidacyFactory, UserFactory, make_consolidation, make_slot
from tests.jury.deliberation_support import decide, heard, members
from vae.documents import tasks
from vae.enums import CandidacyState, DocumentKind, Role
from vae.models import FileAccess, GeneratedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_of_two(referentiel):
    """Two candidates convoked to one session today: the first heard."""
    first = heard()
    second = CandidacyFactory(state=CandidacyState.JURY_SCHEDULED)
    make_consolidation(second)
    make_slot(second, first.session, start=dt.time(10, 0))
    return first, second


def test_the_pv_waits_for_the_last_candidate_then_prints_everything(session_of_two, referentiel):
    first, second = session_of_two
    decide(first, against=("BC2",))
    session = first.session
    assert not SessionMinutes.objects.exists()  # the second candidate is still convoked
    president = members(first)[0]
    services.record_absence(
        candidacy=second, by=president.user, excused=True, justification="Tournage à Lyon."
    )
    (pv,) = SessionMinutes.objects.filter(session=session)
    document = pv.document
    assert (document.kind, document.candidacy, document.frozen) == (
        DocumentKind.JURY_PV,
        None,
        True,
    )
    text = rendered_text(document)
    identity = first.candidacy.eligibility_request
    for expected in (
        "Procès-verbal du jury de délibération",
        session.certification.title,
        f"version {session.certification.version}",
        president.user.get_full_name(),
        "président(e)",
        identity.display_name,
        "validation partielle",
        "BC2",
        "Motif écrit.",
        "La paie est maîtrisée.",
        "Signé par",
        "absence excusée",
        "Tournage à Lyon.",
    ):
        assert expected in text, expected
    # Locked: nothing draws it up again, and its PDF is never rendered again.
    assert minutes.draw_up_if_complete(session) is None
    sha = document.sha256
    assert tasks.generate(document.pk, document.version) == "ready"
    document.refresh_from_db()
    assert document.sha256 == sha


def test_a_session_of_one_decided_candidate_gets_its_pv(referentiel):
    slot = heard()
    decide(slot)
    assert SessionMinutes.objects.filter(session=slot.session, number=1).exists()


def test_the_pv_is_read_by_certifiers_and_the_session_s_members_only(client, referentiel):
    slot = heard()
    decide(slot)
    document = SessionMinutes.objects.get(session=slot.session).document
    tasks.generate(document.pk, document.version)
    url = reverse("documents:download", args=[document.pk])
    readers = [UserFactory(role=Role.CERTIFIER), members(slot)[1].user]
    others = [
        slot.candidacy.candidate,
        UserFactory(role=Role.EVALUATOR),
        members(heard())[0].user,  # a member of another session
    ]
    for user in readers:
        client.logout()
        log_in(client, user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in others:
        client.logout()
        log_in(client, user)
        assert client.get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302
    assert (
        not GeneratedDocument.objects.filter(kind=DocumentKind.JURY_PV)
        .exclude(candidacy=None)
        .exists()
    )


def test_the_session_pages_link_the_pv(client, referentiel):
    slot = heard()
    member = members(slot)[0]
    log_in(client, member.user)
    page = client.get(reverse("jury:session", args=[slot.session.pk])).content.decode()
    assert "Le procès-verbal est arrêté quand" in page
    decide(slot)
    document = SessionMinutes.objects.get(session=slot.session).document
    tasks.generate(document.pk, document.version)
    page = client.get(reverse("jury:session", args=[slot.session.pk])).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page
    client.logout()
    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = client.get(reverse("jury_admin:session", args=[slot.session.pk])).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page
    document.refresh_from_db()
    assert document.sha256 in page


def test_reading_the_pv_is_logged_for_each_candidate_it_names(client, session_of_two):
    first, second = session_of_two
    decide(first)
    president = members(first)[0]
    services.record_absence(candidacy=second, by=president.user, excused=False, justification="")
    document = SessionMinutes.objects.get(session=first.session).document
    tasks.generate(document.pk, document.version)
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    logged = FileAccess.objects.filter(user=certifier, object_id=document.pk)
    assert sorted(logged.values_list("candidacy_id", flat=True)) == sorted(
        [first.candidacy_id, second.pk]
    )
