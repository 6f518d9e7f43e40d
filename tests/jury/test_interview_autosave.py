"""The interview notes' autosave endpoint (static/js/autosave.js): the page's checks
(anonymous, wrong role, member of another session, member with a conflict, closed record),
the same service, and a stale save answered with both versions while nothing is
overwritten."""

import json

import pytest
from django.urls import reverse

from jury import services
from jury.models import InterviewBlocNote
from tests.accounts import log_in
from tests.factories import UserFactory, make_session
from tests.jury.session_support import convoked_today, members
from vae.enums import Role


def endpoint(slot, bloc):
    return reverse("jury:bloc_note_autosave", args=[slot.pk, bloc.pk])


def a_bloc(slot):
    return slot.candidacy.targeted_blocs.order_by("pk").first()


def post(client, slot, bloc, version=0, **texts):
    body = {"questions": "", "answers": "", "observations": "", "base_version": version, **texts}
    return client.post(endpoint(slot, bloc), json.dumps(body), content_type="application/json")


def test_a_member_saves_and_gets_the_new_version(client, slot):
    log_in(client, members(slot)[0])
    response = post(client, slot, a_bloc(slot), questions="Comment suivez-vous le budget ?")
    assert response.status_code == 200
    answer = response.json()
    assert (answer["status"], answer["version"], answer["changed"]) == ("saved", 1, True)
    assert answer["saved_label"].startswith("Enregistré à ")
    note = InterviewBlocNote.objects.get()
    assert (note.questions, note.version) == ("Comment suivez-vous le budget ?", 1)
    # The same texts again (an answer lost on the way): nothing changes, whatever the base.
    again = post(client, slot, a_bloc(slot), questions="Comment suivez-vous le budget ?")
    assert (again.status_code, again.json()["version"], again.json()["changed"]) == (
        200,
        1,
        False,
    )


def test_a_stale_save_answers_both_versions_and_overwrites_nothing(client, slot):
    first, second = members(slot)
    bloc = a_bloc(slot)
    log_in(client, first)
    post(client, slot, bloc, questions="Version du premier membre", answers="Oui.")
    log_in(client, second)
    response = post(client, slot, bloc, version=0, questions="Texte du second membre")
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    assert "L'autre membre du jury a enregistré ce passage" in answer["message"]
    assert answer["mine"] == {
        "questions": "Texte du second membre",
        "answers": "",
        "observations": "",
    }
    theirs = answer["theirs"]
    assert (theirs["questions"], theirs["answers"], theirs["version"]) == (
        "Version du premier membre",
        "Oui.",
        1,
    )
    assert theirs["saved_label"].startswith("Enregistrée à ")
    note = InterviewBlocNote.objects.get()
    assert (note.questions, note.answers, note.version, note.updated_by) == (
        "Version du premier membre",
        "Oui.",
        1,
        first,
    )
    # Once compared, the save based on the version now stored goes through.
    kept = post(client, slot, bloc, version=1, questions="Texte du second membre")
    assert (kept.status_code, kept.json()["version"]) == (200, 2)


def test_anonymous_is_sent_to_log_in(client, slot):
    response = post(client, slot, a_bloc(slot), questions="Q")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not InterviewBlocNote.objects.exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.CERTIFIER])
def test_other_roles_are_refused(client, slot, role):
    log_in(client, UserFactory(role=role))
    assert post(client, slot, a_bloc(slot), questions="Q").status_code == 403
    assert not InterviewBlocNote.objects.exists()


def test_the_candidate_themself_is_refused(client, slot):
    client.force_login(slot.candidacy.candidate)
    assert post(client, slot, a_bloc(slot), questions="Q").status_code == 403
    assert not InterviewBlocNote.objects.exists()


def test_a_member_of_another_session_is_not_found(client, slot):
    log_in(client, make_session().president.user)
    assert post(client, slot, a_bloc(slot), questions="Q").status_code == 404
    assert not InterviewBlocNote.objects.exists()


def test_a_member_with_a_declared_conflict_is_not_found(referentiel, client):
    slot = convoked_today(declared=False)
    member = slot.session.president.user
    services.declare(slot=slot, by=member, no_conflict=False, details="Ancien collègue.")
    log_in(client, member)
    assert post(client, slot, a_bloc(slot), questions="Q").status_code == 404
    assert not InterviewBlocNote.objects.exists()


def test_a_bloc_the_candidate_does_not_present_is_not_found(referentiel, client):
    slot = convoked_today(blocs=["BC3"])
    member = slot.session.president.user
    other = type(a_bloc(slot)).objects.exclude(code="BC3").order_by("pk").first()
    log_in(client, member)
    assert post(client, slot, other, questions="Q").status_code == 404
    assert post(client, slot, a_bloc(slot), questions="Q").status_code == 200
    assert InterviewBlocNote.objects.get().bloc.code == "BC3"


def test_a_closed_record_is_refused_in_french_and_unchanged(client, slot):
    member = members(slot)[0]
    bloc = a_bloc(slot)
    log_in(client, member)
    post(client, slot, bloc, questions="Avant la clôture")
    services.record_interview(candidacy=slot.candidacy, by=member)
    response = post(client, slot, bloc, version=1, questions="Après")
    assert response.status_code == 403
    assert response.json() == {
        "status": "forbidden",
        "message": "Le compte rendu de cet entretien est clos : il n'est plus modifiable.",
    }
    assert InterviewBlocNote.objects.get().questions == "Avant la clôture"


def test_a_too_long_or_unreadable_save_is_refused_and_nothing_stored(client, slot):
    log_in(client, members(slot)[0])
    too_long = post(client, slot, a_bloc(slot), observations="x" * 5_001)
    assert too_long.status_code == 400
    assert too_long.json()["status"] == "invalid"
    assert "raccourcissez-le" in too_long.json()["message"]
    unreadable = client.post(
        endpoint(slot, a_bloc(slot)), "{pas du json", content_type="application/json"
    )
    assert unreadable.status_code == 400
    assert unreadable.json()["message"] == "La requête d'enregistrement est illisible."
    not_text = post(client, slot, a_bloc(slot), questions=["une", "liste"])
    assert not_text.status_code == 400
    assert not InterviewBlocNote.objects.exists()


def test_only_post_is_answered(client, slot):
    log_in(client, members(slot)[0])
    assert client.get(endpoint(slot, a_bloc(slot))).status_code == 405


def test_the_page_names_each_blocs_endpoint_and_panel(client, slot):
    log_in(client, members(slot)[0])
    page = client.get(reverse("jury:candidate_file", args=[slot.pk])).content.decode()
    for bloc in slot.candidacy.targeted_blocs.all():
        assert f'data-autosave-url="{endpoint(slot, bloc)}"' in page
        assert f'data-autosave-panel="bloc-{bloc.pk}-conflict"' in page
        assert f'id="bloc-{bloc.pk}-conflict"' in page
    assert "js/autosave.js" in page
