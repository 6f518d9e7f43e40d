"""The candidate's file in the jury's workspace and the interview record: who reads and
writes it, revisions kept, stale saves refused without losing anything, closed after
``record_interview``, and the page's queries independent of the dossier's size."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from jury import interview, permissions, services
from jury.models import InterviewBlocNote, InterviewRecord, RatingRevision
from jury.signals import jury_note_saved
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_session,
    make_slot,
)
from tests.jury.session_support import count_queries, members
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.workflow import TransitionForbidden


def url(slot):
    return reverse("jury:candidate_file", args=[slot.pk])


def a_bloc(slot):
    return slot.candidacy.targeted_blocs.order_by("pk").first()


def a_competence(slot):
    return slot.candidacy.targeted_competences()[0]


def write_note(slot, bloc, by, *, version=0, questions="Q"):
    """A bloc's notes through the service, as the page writes them."""
    return interview.save_bloc_note(
        slot=slot,
        bloc=bloc,
        by=by,
        base_version=version,
        questions=questions,
        answers="R",
        observations="O",
    )


def bloc_post(bloc, version, **texts):
    prefix = f"bloc-{bloc.pk}"
    data = {"part": prefix, f"{prefix}-base_version": str(version)}
    for name in ("questions", "answers", "observations"):
        data[f"{prefix}-{name}"] = texts.get(name, "")
    return data


# -- who reads and who writes ---------------------------------------------------------


def test_a_member_without_conflict_reads_the_file(client, slot):
    log_in(client, members(slot)[0])
    response = client.get(url(slot))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Points à approfondir" in page
    assert "partiellement acquis" in page
    assert a_bloc(slot).code in page
    assert "Résultat provisoire" in page
    assert response.context["writable"]


def test_anonymous_is_sent_to_log_in(client, slot):
    response = client.get(url(slot))
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(slot)}"


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.CERTIFIER])
def test_other_roles_are_refused(client, slot, role):
    log_in(client, UserFactory(role=role))
    assert client.get(url(slot)).status_code == 403
    assert client.post(url(slot), bloc_post(a_bloc(slot), 0, questions="Q")).status_code == 403
    assert not InterviewBlocNote.objects.exists()


def test_a_member_of_another_session_is_not_found(client, slot):
    log_in(client, make_session().president.user)
    assert client.get(url(slot)).status_code == 404
    assert client.post(url(slot), bloc_post(a_bloc(slot), 0, questions="Q")).status_code == 404
    assert not InterviewBlocNote.objects.exists()


def test_a_member_with_a_declared_conflict_is_not_found(referentiel, client):
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0))
    member = session.president.user
    services.declare(slot=slot, by=member, no_conflict=False, details="Ancien collègue.")
    log_in(client, member)
    assert client.get(url(slot)).status_code == 404
    assert client.post(url(slot), bloc_post(a_bloc(slot), 0, questions="Q")).status_code == 404
    assert not permissions.can_write_interview(member, slot)


def test_a_member_who_has_not_declared_yet_is_not_found(referentiel, client):
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0))
    log_in(client, session.president.user)
    assert client.get(url(slot)).status_code == 404


def test_a_cancelled_slot_is_not_found(client, slot):
    slot.end("cancelled")
    log_in(client, members(slot)[0])
    assert client.get(url(slot)).status_code == 404


def test_the_services_refuse_the_wrong_people(slot):
    for user in (AnonymousUser(), UserFactory(role=Role.CERTIFIER), make_session().president.user):
        with pytest.raises(TransitionForbidden):
            write_note(slot, a_bloc(slot), user)
    assert not InterviewBlocNote.objects.exists()


# -- writing the record ---------------------------------------------------------------


def test_both_members_write_a_blocs_notes_and_the_signal_follows_the_commit(
    client, slot, django_capture_on_commit_callbacks
):
    first, second = members(slot)
    bloc = a_bloc(slot)
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    jury_note_saved.connect(receiver)
    try:
        log_in(client, first)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(slot), bloc_post(bloc, 0, questions="Budget ?"))
        assert response.status_code == 302
        log_in(client, second)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url(slot), bloc_post(bloc, 1, questions="Budget ?", answers="Oui."))
    finally:
        jury_note_saved.disconnect(receiver)
    note = InterviewBlocNote.objects.get()
    assert (note.questions, note.answers, note.version, note.updated_by) == (
        "Budget ?",
        "Oui.",
        2,
        second,
    )
    assert [(r["kind"], r["object_id"], r["candidacy_id"]) for r in received] == [
        ("bloc_note", note.pk, slot.candidacy_id)
    ] * 2


def test_a_stale_save_is_refused_in_french_and_loses_nothing(client, slot):
    first, second = members(slot)
    bloc = a_bloc(slot)
    log_in(client, first)
    client.post(url(slot), bloc_post(bloc, 0, questions="Version du premier membre"))
    other_bloc = slot.candidacy.targeted_blocs.exclude(pk=bloc.pk).first()
    client.post(url(slot), bloc_post(other_bloc, 0, questions="Autre bloc"))
    log_in(client, second)
    # Based on version 0: the first member saved meanwhile.
    response = client.post(url(slot), bloc_post(bloc, 0, questions="Texte du second membre"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "L&#x27;autre membre du jury a enregistré ce passage" in page
    assert "Texte du second membre" in page  # what was typed, kept in the form
    # The version saved, beside the refused form only, to compare (the differing passage
    # marked).
    assert page.count("data-theirs-version=") == 1
    [panel] = [item.panel for item in response.context["blocs"] if item.panel.shown]
    assert panel.id == f"bloc-{bloc.pk}-conflict"
    questions = panel.fields[0]
    assert questions.mine == "Texte du second membre"
    assert questions.start + questions.theirs_part + questions.end == "Version du premier membre"
    assert f"<mark>{questions.theirs_part}</mark>" in page
    note = InterviewBlocNote.objects.get(bloc=bloc)
    assert (note.questions, note.version) == ("Version du premier membre", 1)
    # The form now states the current version: saving again, once compared, goes through.
    form = response.context["blocs"][0].form
    assert form["base_version"].value() == "1"
    client.post(url(slot), bloc_post(bloc, 1, questions="Texte du second membre"))
    note.refresh_from_db()
    assert (note.questions, note.version) == ("Texte du second membre", 2)


def test_a_too_long_text_is_refused_and_kept(client, slot):
    log_in(client, members(slot)[0])
    long_text = "x" * 5_001
    response = client.post(url(slot), bloc_post(a_bloc(slot), 0, observations=long_text))
    assert response.status_code == 400
    assert long_text in response.content.decode()
    assert "raccourcissez-le" in response.content.decode()
    assert not InterviewBlocNote.objects.exists()


def test_attendance_and_times(client, slot):
    log_in(client, members(slot)[0])
    data = {
        "part": "presence",
        "presence-attendance": "present",
        "presence-started_at": "10:05",
        "presence-ended_at": "09:50",
        "presence-base_version": "0",
    }
    response = client.post(url(slot), data)
    assert response.status_code == 400
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début." in response.content.decode()
    assert not InterviewRecord.objects.exists()
    client.post(url(slot), data | {"presence-ended_at": "10:40"})
    record = InterviewRecord.objects.get()
    assert (record.attendance, record.started_at, record.ended_at) == (
        "present",
        dt.time(10, 5),
        dt.time(10, 40),
    )


def test_every_revision_is_kept_and_the_consolidated_rating_stays_visible(client, slot):
    first, second = members(slot)
    competence = a_competence(slot)
    prefix = f"revision-{competence.pk}"
    log_in(client, first)
    refused = client.post(url(slot), {"part": prefix, f"{prefix}-rating": "acquis"})
    assert refused.status_code == 400
    assert "Indiquez le motif de la révision." in refused.content.decode()
    assert not RatingRevision.objects.exists()
    client.post(
        url(slot),
        {"part": prefix, f"{prefix}-rating": "acquis", f"{prefix}-reason": "Précis à l'oral."},
    )
    log_in(client, second)
    client.post(
        url(slot),
        {"part": prefix, f"{prefix}-rating": "non_acquis", f"{prefix}-reason": "À revoir."},
    )
    history = list(
        RatingRevision.objects.values_list("from_rating", "to_rating", "reason", "created_by")
    )
    assert history == [
        ("partiel", "acquis", "Précis à l'oral.", first.pk),
        ("acquis", "non_acquis", "À revoir.", second.pk),
    ]
    page = client.get(url(slot))
    line = next(
        line
        for bloc in page.context["blocs"]
        for line in bloc.competences
        if line.row.competence.pk == competence.pk
    )
    assert line.row.consolidated.rating == "partiel"
    assert line.current == "non_acquis"
    assert len(line.revisions) == 2


def test_a_revision_shows_its_date_and_time_in_paris(client, slot):
    member = members(slot)[0]
    competence = a_competence(slot)
    revision = interview.revise_rating(
        slot=slot, competence=competence, by=member, rating="acquis", reason="Précis."
    )
    # 23 h 30 in UTC is already the next day in Paris (UTC+1 in winter).
    RatingRevision.objects.filter(pk=revision.pk).update(
        created_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    )
    log_in(client, member)
    page = client.get(url(slot)).content.decode()
    assert "le 2 décembre 2026 à 0\xa0h\xa030, " in page


def test_the_record_is_closed_after_record_interview(client, slot):
    member = members(slot)[0]
    bloc = a_bloc(slot)
    log_in(client, member)
    client.post(url(slot), bloc_post(bloc, 0, questions="Avant la clôture"))
    services.record_interview(candidacy=slot.candidacy, by=member)
    slot.refresh_from_db()
    assert slot.status == "interviewed"
    response = client.get(url(slot))
    assert response.status_code == 200
    assert not response.context["writable"]
    assert "Le compte rendu de cet entretien est clos" in response.content.decode()
    assert "Avant la clôture" in response.content.decode()
    assert client.post(url(slot), bloc_post(bloc, 1, questions="Après")).status_code == 403
    with pytest.raises(TransitionForbidden):
        write_note(slot, bloc, member, version=1, questions="Après")
    assert InterviewBlocNote.objects.get().questions == "Avant la clôture"


# -- queries ---------------------------------------------------------------------------


def test_the_file_reads_a_constant_number_of_queries(client, slot):
    member = members(slot)[0]
    log_in(client, member)
    blocs = list(slot.candidacy.targeted_blocs.order_by("pk"))
    assert len(blocs) > 1
    # A record begun: one bloc noted.
    write_note(slot, blocs[0], member)
    small = count_queries(client, url(slot))
    # A fuller record: every bloc noted, every compétence revised twice.
    for bloc in blocs[1:]:
        write_note(slot, bloc, member)
    for competence in slot.candidacy.targeted_competences():
        for rating in ("acquis", "non_acquis"):
            interview.revise_rating(
                slot=slot, competence=competence, by=member, rating=rating, reason="Motif."
            )
    assert count_queries(client, url(slot)) == small
