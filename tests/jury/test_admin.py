"""The certifier's back office of the jury: sessions, composition, the candidacies waiting
for a session, scheduling and rescheduling; who gets in."""

import datetime as dt
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from jury import services
from jury.enums import ConvocationStatus, SlotStatus
from jury.models import Convocation, JurySession, Slot
from jury.selectors import waiting_for_session
from tests.accounts import admin_login_url, log_in
from tests.factories import CandidacyFactory, UserFactory, make_member, make_session, schedule
from vae.enums import CandidacyState as S
from vae.enums import Role


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def staff(client, certifier):
    log_in(client, certifier)
    return certifier


def every_url(session, candidacy):
    return [
        reverse("jury_admin:sessions"),
        reverse("jury_admin:session_create"),
        reverse("jury_admin:session", args=[session.pk]),
        reverse("jury_admin:compose", args=[session.pk]),
        reverse("jury_admin:waiting"),
        reverse("jury_admin:schedule", args=[candidacy.pk]),
        reverse("jury_members:index"),
    ]


# -- who gets in ----------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login(client, session, reviewed):
    for url in every_url(session, reviewed):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_never_get_in(client, session, reviewed, role):
    user = {
        Role.CANDIDATE: reviewed.candidate,
        Role.JURY_MEMBER: session.president.user,
    }.get(role) or UserFactory(role=role)
    log_in(client, user)
    for url in every_url(session, reviewed):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())
    client.post(
        reverse("jury_admin:schedule", args=[reviewed.pk]),
        {"session": session.pk, "start": "09:00", "extra_minutes": 0},
    )
    assert not Slot.objects.exists()


def test_staff_who_are_not_certifiers_are_refused(client, session, reviewed):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, staff)
    for url in [*every_url(session, reviewed)[:-1], reverse("jury_admin:session", args=[99999])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_a_certifier_does_not_convoke_themselves(client, staff, referentiel, session):
    staff.groups.add(*UserFactory(role=Role.CANDIDATE).groups.all())
    own = CandidacyFactory(state=S.REVIEWED, candidate=staff)
    url = reverse("jury_admin:schedule", args=[own.pk])
    assert client.get(url)["Location"] == reverse("wagtailadmin_home")
    client.post(url, {"session": session.pk, "start": "09:00", "extra_minutes": 0})
    assert not Slot.objects.exists()


def test_unknown_rows_are_not_found(client, staff, referentiel):
    for name in ("jury_admin:session", "jury_admin:compose", "jury_admin:schedule"):
        assert client.get(reverse(name, args=[99999])).status_code == 404


# -- sessions -------------------------------------------------------------------------


def session_data(**changes):
    day = timezone.localdate() + dt.timedelta(days=20)
    data = {
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "12:30",
        "modality": "presentiel",
        "address": "CPNEF, 75009 Paris",
        "visio_link": "",
    }
    return data | changes


def test_creating_a_session(client, staff, referentiel):
    response = client.post(reverse("jury_admin:session_create"), session_data())
    session = JurySession.objects.get()
    assert response["Location"] == reverse("jury_admin:compose", args=[session.pk])
    assert (session.start_time, session.end_time, session.created_by) == (
        dt.time(9, 0),
        dt.time(12, 30),
        staff,
    )
    assert session.certification == referentiel


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "08:00"}, "L'heure de fin doit suivre l'heure de début."),
        ({"address": ""}, "Indiquez l'adresse de la session en présentiel."),
        ({"modality": "distance", "address": ""}, "Indiquez le lien de la session à distance."),
        ({"date": "2020-01-01"}, "La date de la session est passée."),
        ({"date": "2099-01-01"}, "au plus deux ans à l'avance"),
        ({"start_time": "9h"}, "Indiquez une heure valide (hh:mm)."),
    ],
)
def test_a_wrong_session_is_refused_and_what_was_typed_kept(
    client, staff, referentiel, changes, message
):
    data = session_data(**changes)
    response = client.post(reverse("jury_admin:session_create"), data)
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert "Rien n'a été enregistré" in page
    if data["address"]:
        assert data["address"] in page
    assert not JurySession.objects.exists()


def test_composing_a_session(client, staff, referentiel):
    session = make_session(members=[])
    woman = make_member(college="employers_college", civility="mme")
    man = make_member(college="employees_college", civility="m", qualified=False)
    url = reverse("jury_admin:compose", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "seat_employers_college_1": woman.pk,
            "seat_employees_college_1": man.pk,
            "president": man.pk,
        },
    )
    assert response["Location"] == reverse("jury_admin:session", args=[session.pk])
    session.refresh_from_db()
    assert session.president == man
    assert {seat.member for seat in session.seats.all()} == {woman, man}
    page = text(client.get(reverse("jury_admin:session", args=[session.pk])))
    assert "Aucun candidat ne peut être convoqué" not in page


def test_a_president_outside_the_jury_is_refused(client, staff, referentiel):
    session = make_session(members=[])
    woman = make_member(college="employers_college")
    other = make_member(college="employees_college")
    response = client.post(
        reverse("jury_admin:compose", args=[session.pk]),
        {"seat_employers_college_1": woman.pk, "president": other.pk},
    )
    assert "Le président doit être l'un des membres choisis." in text(response)
    assert not session.seats.exists()


def test_the_session_page_says_what_blocks_and_warns(client, staff, referentiel):
    men = [
        make_member(college="employers_college", civility="m", qualified=False),
        make_member(college="employees_college", civility="m", qualified=False),
    ]
    session = make_session(members=men)
    page = text(client.get(reverse("jury_admin:session", args=[session.pk])))
    assert "Aucun membre n'est qualifié pour la certification" in page
    assert "n'est pas équilibré entre femmes et hommes" in page


def test_the_session_page_shows_declarations_and_convocations(
    client, staff, session, reviewed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the PDF rendered, then sent
        schedule(reviewed, session, by=staff)
    slot = Slot.objects.get(candidacy=reviewed)
    services.declare(slot=slot, by=session.president.user, no_conflict=True)
    page = text(client.get(reverse("jury_admin:session", args=[session.pk])))
    assert reviewed.reference in page
    assert f"{session.president} : Aucun conflit" in page
    assert "Déclaration attendue" in page
    assert "Envoyée le" in page


def test_the_sessions_list(client, staff, session, reviewed):
    schedule(reviewed, session, by=staff)
    past = make_session(days_ahead=-3)
    page = text(client.get(reverse("jury_admin:sessions")))
    upcoming, before = page.split('<h2 class="w-h2">Sessions passées</h2>')
    assert reverse("jury_admin:session", args=[session.pk]) in upcoming
    assert reverse("jury_admin:session", args=[past.pk]) in before


# -- waiting and scheduling ------------------------------------------------------------


def test_the_waiting_list_shows_days_since_the_filing_and_the_delay(client, staff, referentiel):
    walked = CandidacyFactory(reviewed=True)
    other = CandidacyFactory(state=S.UNDER_REVIEW)
    page = text(client.get(reverse("jury_admin:waiting")))
    assert walked.reference in page
    assert other.reference not in page
    assert "<td>0 jour</td>" in page
    # Time travel: four months later the deadline is passed.
    late = waiting_for_session(today=timezone.localdate() + dt.timedelta(days=120))
    assert [(row.candidacy, row.late, row.days) for row in late] == [(walked, True, 120)]


def test_convoking_from_the_back_office(client, staff, session, reviewed):
    url = reverse("jury_admin:schedule", args=[reviewed.pk])
    assert "Aucun" in text(client.get(url))  # no accommodation asked
    response = client.post(
        url,
        {
            "session": session.pk,
            "start": "10:00",
            "extra_minutes": 10,
            "accommodation_note": "Pauses.",
        },
    )
    assert response["Location"] == reverse("jury_admin:session", args=[session.pk])
    slot = Slot.objects.get(candidacy=reviewed)
    assert (slot.start, slot.duration_minutes, slot.accommodation_note) == (
        dt.time(10, 0),
        65,
        "Pauses.",
    )
    reviewed.refresh_from_db()
    assert reviewed.state == S.JURY_SCHEDULED


def test_a_refused_convocation_keeps_what_was_typed(client, staff, session, reviewed):
    schedule(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(9, 0), by=staff)
    response = client.post(
        reverse("jury_admin:schedule", args=[reviewed.pk]),
        {
            "session": session.pk,
            "start": "09:30",
            "extra_minutes": 0,
            "accommodation_note": "Tiers temps.",
        },
    )
    page = text(response)
    assert "chevauche" in page
    assert "Tiers temps." in page
    assert 'value="09:30"' in page
    assert not Slot.objects.filter(candidacy=reviewed).exists()


def test_moving_needs_a_reason_then_sends_a_new_convocation(client, staff, session, reviewed):
    schedule(reviewed, session, by=staff)
    url = reverse("jury_admin:schedule", args=[reviewed.pk])
    data = {"session": session.pk, "start": "14:00", "extra_minutes": 0}
    page = text(client.post(url, data))
    assert "Le motif du report est obligatoire" in page
    assert Convocation.objects.filter(candidacy=reviewed).count() == 1
    client.post(url, data | {"reason": "Indisponibilité du candidat."})
    statuses = list(
        Convocation.objects.filter(candidacy=reviewed)
        .order_by("sequence")
        .values_list("status", flat=True)
    )
    assert statuses == [ConvocationStatus.CANCELLED, ConvocationStatus.SENT]
    assert Slot.objects.filter(
        candidacy=reviewed, status=SlotStatus.SCHEDULED
    ).get().start == dt.time(14, 0)


def test_a_candidacy_in_another_state_is_not_convoked(client, staff, session, referentiel):
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    url = reverse("jury_admin:schedule", args=[candidacy.pk])
    assert "ne peut pas être convoquée dans son état actuel" in text(client.get(url))
    page = text(client.post(url, {"session": session.pk, "start": "09:00", "extra_minutes": 0}))
    assert "n'est pas possible" in page
    assert not Slot.objects.exists()


# -- members --------------------------------------------------------------------------


def test_creating_a_jury_member_profile(client, staff, referentiel):
    person = UserFactory(role=Role.JURY_MEMBER)
    UserFactory(role=Role.EVALUATOR)  # not offered
    response = client.post(
        reverse("jury_members:add"),
        {
            "user": person.pk,
            "college": "employees_college",
            "civility": "mme",
            "qualified": "on",
            "active": "on",
            "organisation": "SPI",
        },
    )
    assert response.status_code == 302
    assert person.jury_member.qualified


def test_the_candidacy_page_leads_to_the_jury(client, staff, session, reviewed):
    detail = reverse("candidacy_admin:detail", args=[reviewed.pk])
    schedule_url = reverse("jury_admin:schedule", args=[reviewed.pk])
    page = text(client.get(detail))
    assert "Convoquer devant le jury" in page and schedule_url in page
    schedule(reviewed, session, by=staff)
    page = text(client.get(detail))
    assert "Déplacer le passage" in page
    assert reverse("jury_admin:session", args=[session.pk]) in page
    under_review = CandidacyFactory(state=S.UNDER_REVIEW)
    page = text(client.get(reverse("candidacy_admin:detail", args=[under_review.pk])))
    assert reverse("jury_admin:schedule", args=[under_review.pk]) not in page


def test_the_session_page_says_who_must_be_replaced(client, staff, session, reviewed):
    schedule(reviewed, session, by=staff)
    slot = Slot.objects.get(candidacy=reviewed)
    services.declare(slot=slot, by=session.president.user, no_conflict=False, details="Voisin.")
    page = text(client.get(reverse("jury_admin:session", args=[session.pk])))
    assert (
        f"{session.president} a déclaré connaître {reviewed.candidate.get_full_name()} "
        f"({reviewed.reference}) : remplacez ce membre ou déplacez le candidat."
    ) in page
