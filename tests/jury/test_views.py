"""The jury members' pages: their home, a session's agenda, the declaration per candidate,
each tested as anonymous, wrong role, wrong object and wrong state."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from jury import services as jury_services
from jury.models import ConflictDeclaration, Slot
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_member,
    make_session,
    make_slot,
    schedule,
)
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.roles import assign_role


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def scheduled(referentiel, session, certifier):
    """Two candidates in ``session``, one with an accommodation."""
    first = CandidacyFactory(state=S.REVIEWED)
    schedule(first, session, start=dt.time(9, 0), by=certifier)
    second = CandidacyFactory(state=S.REVIEWED)
    schedule(
        second,
        session,
        start=dt.time(10, 0),
        by=certifier,
        extra_minutes=15,
        accommodation_note="Salle accessible en fauteuil.",
    )
    return [Slot.objects.get(candidacy=first), Slot.objects.get(candidacy=second)]


# -- home -----------------------------------------------------------------------------


def test_home_requires_login(client, db):
    url = reverse("jury:home")
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.CERTIFIER, None])
def test_home_is_refused_to_other_roles(client, db, role):
    log_in(client, UserFactory(role=role))
    response = client.get(reverse("jury:home"))
    assert response.status_code == 403
    assert "Cette page est réservée aux membres du jury." in text(response)


def test_home_without_a_profile_says_so(client, site_pages):
    log_in(client, UserFactory(role=Role.JURY_MEMBER, first_name="Paul", last_name="Lemaire"))
    page = text(client.get(reverse("jury:home")))
    assert "<h1>Espace du jury</h1>" in page
    assert "Bonjour Paul Lemaire." in page
    assert "n'a pas encore enregistré votre profil de membre du jury" in page
    assert f'<a href="{reverse("accounts:profile")}">Vérifier votre profil</a>' in page
    assert '<a href="/certification/">Lire le référentiel de la certification</a>' in page
    assert '<a href="/reglement/">Lire le règlement de la certification</a>' in page
    assert '<a href="mailto:vae@localhost">vae@localhost</a>' in page
    assert "Vos autres espaces" not in page


def test_home_lists_the_members_sessions_only(client, scheduled, session):
    member = session.president
    past = make_session(days_ahead=-10, members=[member, make_member(college="employees_college")])
    elsewhere = make_session(days_ahead=5)
    log_in(client, member.user)
    page = text(client.get(reverse("jury:home")))
    assert reverse("jury:session", args=[session.pk]) in page
    assert reverse("jury:session", args=[past.pk]) in page
    assert reverse("jury:session", args=[elsewhere.pk]) not in page
    upcoming, before = page.split("Sessions passées")
    assert reverse("jury:session", args=[session.pk]) in upcoming
    assert "vous présidez" in upcoming
    assert reverse("jury:session", args=[past.pk]) in before


def test_home_reaches_the_members_other_spaces(client, referentiel):
    member = make_member()
    assign_role(member.user, Role.CANDIDATE)
    log_in(client, member.user)
    page = text(client.get(reverse("jury:home")))
    assert "Vos autres espaces" in page
    assert f'<li><a href="{reverse("candidacy:dashboard")}">Ma candidature</a></li>' in page


def test_home_is_read_only(client, referentiel):
    log_in(client, make_member().user)
    assert client.post(reverse("jury:home")).status_code == 405


# -- a session's agenda -----------------------------------------------------------------


def test_agenda_requires_login(client, session):
    url = reverse("jury:session", args=[session.pk])
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.CERTIFIER])
def test_agenda_is_refused_to_other_roles(client, session, role):
    log_in(client, UserFactory(role=role))
    assert client.get(reverse("jury:session", args=[session.pk])).status_code == 403


def test_agenda_of_another_session_is_not_found(client, session):
    log_in(client, make_session().president.user)
    assert client.get(reverse("jury:session", args=[session.pk])).status_code == 404
    assert client.get(reverse("jury:session", args=[999_999])).status_code == 404


def test_agenda_shows_the_slots_in_order_with_the_accommodations(client, scheduled, session):
    log_in(client, session.president.user)
    response = client.get(reverse("jury:session", args=[session.pk]))
    assert response.status_code == 200
    page = text(response)
    first, second = (slot.candidacy for slot in scheduled)
    assert page.index(first.reference) < page.index(second.reference)
    # 55 minutes (3 blocs × 15, 10 of changeover), then 55 + 15 granted.
    assert "9\u00a0h\u00a000 – 9\u00a0h\u00a055" in page
    assert "10\u00a0h\u00a000 – 11\u00a0h\u00a010" in page
    assert "15 minutes supplémentaires. Salle accessible en fauteuil." in page
    assert page.count("Faire ma déclaration") == 2
    assert "(président)" in page


# -- the declaration ------------------------------------------------------------------


def declare_url(slot):
    return reverse("jury:declare", args=[slot.pk])


def test_declaration_requires_login(client, scheduled):
    url = declare_url(scheduled[0])
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.CERTIFIER])
def test_declaration_is_refused_to_other_roles(client, scheduled, role):
    log_in(client, UserFactory(role=role))
    assert client.get(declare_url(scheduled[0])).status_code == 403


def test_a_member_of_another_session_cannot_declare(client, scheduled):
    log_in(client, make_session().president.user)
    assert client.get(declare_url(scheduled[0])).status_code == 404
    assert client.post(declare_url(scheduled[0]), {"knows_candidate": "non"}).status_code == 404
    assert not ConflictDeclaration.objects.exists()


def test_declaring_no_conflict(client, scheduled, session):
    slot = scheduled[0]
    log_in(client, session.president.user)
    page = text(client.get(declare_url(slot)))
    assert slot.candidacy.candidate.get_full_name() in page
    response = client.post(declare_url(slot), {"knows_candidate": "non"})
    assert response["Location"] == reverse("jury:session", args=[session.pk])
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.member, declaration.candidacy, declaration.no_conflict) == (
        session.president,
        slot.candidacy,
        True,
    )
    # Once only: the page says it is done.
    again = client.get(declare_url(slot), follow=True)
    assert "Votre déclaration pour ce candidat est déjà enregistrée." in text(again)
    agenda = text(client.get(reverse("jury:session", args=[session.pk])))
    assert "Aucun conflit d'intérêts déclaré" in agenda


def test_a_conflict_needs_its_details_and_keeps_what_was_typed(client, scheduled, session):
    log_in(client, session.president.user)
    response = client.post(declare_url(scheduled[0]), {"knows_candidate": "oui", "details": " "})
    assert response.status_code == 200
    assert "Précisez votre lien avec le candidat." in text(response)
    assert 'value="oui" checked' in text(response) or re.search(
        r'value="oui"[^>]*checked', text(response)
    )
    assert not ConflictDeclaration.objects.exists()


def test_a_too_long_detail_is_refused_and_kept(client, scheduled, session):
    log_in(client, session.president.user)
    details = "x" * 2001
    response = client.post(
        declare_url(scheduled[0]), {"knows_candidate": "oui", "details": details}
    )
    page = text(response)
    assert "raccourcissez-le de 1 caractère" in page
    assert details in page
    assert not ConflictDeclaration.objects.exists()


def test_a_declared_conflict_tells_the_certifiers(
    client, scheduled, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    log_in(client, session.president.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            declare_url(scheduled[0]),
            {"knows_candidate": "oui", "details": "J'ai accompagné sa VAE."},
        )
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.no_conflict, declaration.details) == (False, "J'ai accompagné sa VAE.")
    assert [m.to for m in mailoutbox] == [[certifier.email]]
    assert "Conflit d'intérêts déclaré par un membre du jury" in mailoutbox[0].subject
    assert scheduled[0].candidacy.reference in mailoutbox[0].body
    agenda = text(client.get(reverse("jury:session", args=[session.pk])))
    assert "vous ne siégez pas pour ce candidat" in agenda


# -- the interview or the absence --------------------------------------------------------


@pytest.fixture
def today_slot(referentiel):
    """A candidate convoked to a session sitting today."""
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    return make_slot(candidacy, session, start=dt.time(0, 0))


def outcome_url(slot):
    return reverse("jury:outcome", args=[slot.pk])


def test_outcome_requires_login(client, today_slot):
    url = outcome_url(today_slot)
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.CERTIFIER])
def test_outcome_is_refused_to_other_roles(client, today_slot, role):
    log_in(client, UserFactory(role=role))
    assert client.post(outcome_url(today_slot), {"interview": "1"}).status_code == 403
    today_slot.candidacy.refresh_from_db()
    assert today_slot.candidacy.state == S.JURY_SCHEDULED


def test_a_member_of_another_session_cannot_record(client, today_slot):
    log_in(client, make_session().president.user)
    assert client.post(outcome_url(today_slot), {"interview": "1"}).status_code == 404
    today_slot.candidacy.refresh_from_db()
    assert today_slot.candidacy.state == S.JURY_SCHEDULED


def test_the_interview_recorded_from_the_agenda(client, today_slot):
    session = today_slot.session
    log_in(client, session.president.user)
    agenda = text(client.get(reverse("jury:session", args=[session.pk])))
    assert outcome_url(today_slot) in agenda
    response = client.post(outcome_url(today_slot), {"interview": "1", "comment": "Bien."})
    assert response["Location"] == reverse("jury:session", args=[session.pk])
    today_slot.candidacy.refresh_from_db()
    assert today_slot.candidacy.state == S.INTERVIEWED
    entry = today_slot.candidacy.transitions.get()
    assert (entry.transition, entry.actor, entry.comment) == (
        "record_interview",
        session.president.user,
        "Bien.",
    )


def test_an_excused_absence_needs_its_justification_and_keeps_the_choice(client, today_slot):
    log_in(client, today_slot.session.president.user)
    response = client.post(outcome_url(today_slot), {"absence": "1", "absence-excused": "oui"})
    page = text(response)
    assert "Indiquez la justification de l'absence excusée." in page
    assert re.search(r'value="oui"[^>]*checked', page)
    today_slot.candidacy.refresh_from_db()
    assert today_slot.candidacy.state == S.JURY_SCHEDULED
    client.post(
        outcome_url(today_slot),
        {"absence": "1", "absence-excused": "oui", "absence-justification": "Hospitalisé."},
    )
    today_slot.candidacy.refresh_from_db()
    assert today_slot.candidacy.state == S.REVIEWED
    assert today_slot.candidacy.transitions.get().comment == "Absence excusée : Hospitalisé."


def test_no_interview_before_the_day_says_why(client, scheduled, session):
    log_in(client, session.president.user)
    agenda = text(client.get(reverse("jury:session", args=[session.pk])))
    assert "Enregistrer l'entretien ou l'absence" not in agenda
    response = client.post(outcome_url(scheduled[0]), {"interview": "1", "comment": "Trop tôt"})
    page = text(response)
    assert "L'entretien ne peut être enregistré avant le jour de la session" in page
    assert "Trop tôt" in page
    scheduled[0].candidacy.refresh_from_db()
    assert scheduled[0].candidacy.state == S.JURY_SCHEDULED


def test_a_member_with_a_conflict_cannot_record(client, today_slot):
    member = today_slot.session.president.user
    jury_services.declare(slot=today_slot, by=member, no_conflict=False, details="Mon cousin.")
    log_in(client, member)
    agenda = text(client.get(reverse("jury:session", args=[today_slot.session_id])))
    assert outcome_url(today_slot) not in agenda
    page = text(client.post(outcome_url(today_slot), {"interview": "1"}))
    assert "pas le droit" in page
    today_slot.candidacy.refresh_from_db()
    assert today_slot.candidacy.state == S.JURY_SCHEDULED
