"""The certifier records a candidate's absence from the session page of the back office:
a form per convoked candidate, a confirmation, then ``record_absence``; tested as
anonymous, wrong role, wrong object, wrong state, and for what a refusal keeps."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from jury.enums import ConvocationStatus, SlotStatus
from jury.models import Convocation, Slot
from tests.accounts import admin_login_url, log_in
from tests.factories import CandidacyFactory, UserFactory, make_session, make_slot, schedule
from vae.enums import CandidacyState as S
from vae.enums import Role, Transition
from vae.models import CandidacyTransition


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def convoked(referentiel, session, certifier):
    """A reviewed candidacy convoked to ``session`` through the services."""
    candidacy = CandidacyFactory(state=S.REVIEWED)
    schedule(candidacy, session, start=dt.time(9, 0), by=certifier)
    candidacy.refresh_from_db()
    return candidacy


CHECKED_YES = (
    '<input type="radio" name="absence-{pk}-excused" value="oui" required '
    'id="id_absence-{pk}-excused_0" checked>'
)


def url(session, candidacy):
    return reverse("jury_admin:absence", args=[session.pk, candidacy.pk])


def fields(candidacy, *, excused="oui", justification="Certificat médical reçu le 3.", **extra):
    prefix = f"absence-{candidacy.pk}"
    return {f"{prefix}-excused": excused, f"{prefix}-justification": justification} | extra


def nothing_recorded(candidacy):
    candidacy.refresh_from_db()
    assert candidacy.state == S.JURY_SCHEDULED
    assert Slot.objects.get(candidacy=candidacy).status == SlotStatus.SCHEDULED
    assert not CandidacyTransition.objects.filter(
        candidacy=candidacy, transition=Transition.RECORD_ABSENCE
    ).exists()


def test_the_session_page_offers_the_form_per_convoked_candidate(client, certifier, convoked):
    log_in(client, certifier)
    session = Slot.objects.get(candidacy=convoked).session
    page = text(client.get(reverse("jury_admin:session", args=[session.pk])))
    assert f'action="{url(session, convoked)}"' in page
    assert "<summary>Absent(e)" in page
    assert f'name="absence-{convoked.pk}-excused"' in page
    assert "Enregistrer l'absence…" in page


def test_anonymous_is_sent_to_the_login(client, session, convoked):
    response = client.post(url(session, convoked), fields(convoked, confirm="1"))
    assert response.status_code == 302
    assert response["Location"].startswith(admin_login_url())
    nothing_recorded(convoked)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_are_refused(client, session, convoked, role):
    user = {Role.CANDIDATE: convoked.candidate, Role.JURY_MEMBER: session.president.user}.get(
        role
    ) or UserFactory(role=role)
    log_in(client, user)
    response = client.post(url(session, convoked), fields(convoked, confirm="1"))
    assert response.status_code == 302
    assert response["Location"] != reverse("jury_admin:session", args=[session.pk])
    nothing_recorded(convoked)


def test_a_get_is_not_allowed(client, certifier, session, convoked):
    log_in(client, certifier)
    assert client.get(url(session, convoked)).status_code == 405
    nothing_recorded(convoked)


def test_a_candidacy_of_another_session_is_not_found(client, certifier, session, convoked):
    log_in(client, certifier)
    other = make_session(days_ahead=40)
    assert client.post(url(other, convoked), fields(convoked, confirm="1")).status_code == 404
    nothing_recorded(convoked)


def test_a_candidate_no_longer_convoked_is_refused(client, certifier, referentiel, session):
    heard = CandidacyFactory(state=S.INTERVIEWED)
    make_slot(heard, session, status=SlotStatus.INTERVIEWED)
    log_in(client, certifier)
    response = client.post(url(session, heard), fields(heard, confirm="1"))
    assert response.status_code == 400
    assert "Cette action n'est pas possible : la candidature est à l'état" in text(response)
    heard.refresh_from_db()
    assert heard.state == S.INTERVIEWED
    assert not heard.transitions.filter(transition=Transition.RECORD_ABSENCE).exists()


def test_the_form_asks_for_a_confirmation_first(client, certifier, session, convoked):
    log_in(client, certifier)
    response = client.post(url(session, convoked), fields(convoked))
    page = text(response)
    assert response.status_code == 200
    assert f"Confirmer l'absence de {convoked.candidate.get_full_name()}" in page
    assert "excusée" in page
    assert "Certificat médical reçu le 3." in page
    # What was typed travels with the confirmation.
    assert f'name="absence-{convoked.pk}-justification" value="Certificat médical reçu le 3."' in (
        page
    )
    nothing_recorded(convoked)


def test_an_excused_absence_without_justification_is_refused_and_kept(
    client, certifier, session, convoked
):
    log_in(client, certifier)
    response = client.post(url(session, convoked), fields(convoked, justification="", confirm="1"))
    page = text(response)
    assert response.status_code == 400
    assert "Indiquez la justification de l'absence excusée." in page
    assert "Rien n'a été enregistré" in page
    # The form is open again in its place, the choice kept.
    assert "<details open>" in page
    assert CHECKED_YES.format(pk=convoked.pk) in page
    nothing_recorded(convoked)


def test_a_too_long_justification_is_refused_and_kept(client, certifier, session, convoked):
    log_in(client, certifier)
    long_text = "x" * 2_001
    response = client.post(url(session, convoked), fields(convoked, justification=long_text))
    assert response.status_code == 400
    assert long_text in text(response)
    nothing_recorded(convoked)


def test_modifying_from_the_confirmation_keeps_what_was_typed(client, certifier, session, convoked):
    log_in(client, certifier)
    response = client.post(url(session, convoked), fields(convoked, edit="1"))
    page = text(response)
    assert response.status_code == 200
    assert "<details open>" in page
    assert "Certificat médical reçu le 3." in page
    nothing_recorded(convoked)


@pytest.mark.parametrize(
    ("excused", "justification", "comment"),
    [
        ("oui", "Certificat médical reçu le 3.", "Absence excusée : Certificat médical reçu le 3."),
        ("non", "", "Absence non excusée."),
    ],
)
def test_the_absence_is_recorded(
    client, certifier, session, convoked, excused, justification, comment
):
    log_in(client, certifier)
    slot = Slot.objects.get(candidacy=convoked)
    response = client.post(
        url(session, convoked),
        fields(convoked, excused=excused, justification=justification, confirm="1"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("jury_admin:session", args=[session.pk])
    convoked.refresh_from_db()
    assert convoked.state == S.REVIEWED
    entry = convoked.transitions.get(transition=Transition.RECORD_ABSENCE)
    assert (entry.actor, entry.actor_role, entry.comment) == (certifier, Role.CERTIFIER, comment)
    # The slot is freed as the service does: ended as absent, its convocation cancelled.
    slot.refresh_from_db()
    assert slot.status == SlotStatus.ABSENT
    assert slot.absence_excused is (excused == "oui")
    assert not Slot.objects.occupying().filter(session=session).exists()
    assert not Convocation.objects.filter(
        candidacy=convoked, status=ConvocationStatus.SENT
    ).exists()
    page = text(client.get(response["Location"]))
    assert f"{convoked.reference} : absence enregistrée" in page
    # Absent now: no more form for this candidate.
    assert f'action="{url(session, convoked)}"' not in page


def test_a_certifier_does_not_record_their_own_absence(client, certifier, referentiel, session):
    certifier.groups.add(*UserFactory(role=Role.CANDIDATE).groups.all())
    own = CandidacyFactory(state=S.JURY_SCHEDULED, candidate=certifier)
    make_slot(own, session)
    log_in(client, certifier)
    response = client.post(url(session, own), fields(own, confirm="1"))
    assert response.status_code == 400
    assert "Vous n'avez pas le droit" in text(response)
    nothing_recorded(own)
