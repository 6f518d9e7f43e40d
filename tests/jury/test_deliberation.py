"""The deliberation: votes and their motivations, the signatures (password, voided on a
change), ``decide`` run by the last signature and refused before, every write refused
after it, the acquired blocs written with it, the pages and who may see them."""

import datetime as dt
import re
from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from jury import deliberation, interview, selectors, services
from jury.enums import DecisionResult, SlotStatus
from jury.models import BlocVote, Deliberation, DeliberationSignature, RatingRevision
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_consolidation,
    make_session,
    make_slot,
)
from tests.jury.deliberation_support import PASSWORD, heard, members
from tests.vae.personal_data_support import archive_json, download_archive
from vae import services as vae_services
from vae.accounts import reauth
from vae.enums import CandidacyState as S
from vae.enums import Role, Transition
from vae.models import AcquiredBloc, CandidacyTransition
from vae.workflow import TransitionForbidden, TransitionRefused


def blocs_of(slot):
    return list(slot.candidacy.targeted_blocs.order_by("sort_order", "code"))


def vote_all(slot, member, *, against=(), motivation="Motif écrit."):
    """``member`` votes the computed outcome everywhere (all « acquis »: validé), except
    on the bloc codes in ``against`` (non validé, motivated)."""
    return deliberation.save_votes(
        slot=slot,
        by=member.user,
        votes={
            bloc.pk: (False, motivation) if bloc.code in against else (True, "")
            for bloc in blocs_of(slot)
        },
    )


def write_texts(slot, member, version=None):
    if version is None:
        record = Deliberation.objects.filter(slot=slot).first()
        version = record.version if record else 0
    return deliberation.save_texts(
        slot=slot,
        by=member.user,
        base_version=version,
        observations="La paie est maîtrisée ; les déclarations sociales moins.",
        recommendations="Une formation courte aux déclarations sociales.",
    )


@pytest.fixture
def slot(referentiel):
    return heard()


def test_decide_is_refused_until_both_signatures(slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member)
    # Straight through the machine, nobody signed: its guard names who is missing.
    with pytest.raises(TransitionRefused) as refused:
        vae_services.run_transition(
            candidacy=slot.candidacy, name=Transition.DECIDE, by=president.user
        )
    assert sorted(refused.value.problems) == sorted(
        f"{member} n'a pas signé la décision." for member in (president, other)
    )
    signature = deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    assert isinstance(signature, DeliberationSignature)
    slot.candidacy.refresh_from_db()
    assert slot.candidacy.state == S.INTERVIEWED
    with pytest.raises(TransitionRefused) as refused:
        vae_services.run_transition(
            candidacy=slot.candidacy, name=Transition.DECIDE, by=president.user
        )
    assert refused.value.problems == [f"{other} n'a pas signé la décision."]
    assert not AcquiredBloc.objects.exists()
    # The second signature takes the decision: one log row, by the signer, as jury.
    entry = deliberation.sign(slot=slot, by=other.user, password=PASSWORD)
    assert isinstance(entry, CandidacyTransition)
    assert (entry.transition, entry.source_state, entry.target_state) == (
        Transition.DECIDE,
        S.INTERVIEWED,
        S.DECIDED,
    )
    assert (entry.actor, entry.actor_role) == (other.user, Role.JURY_MEMBER)
    slot.candidacy.refresh_from_db()
    assert slot.candidacy.state == S.DECIDED
    record = Deliberation.objects.get(slot=slot)
    assert record.result == DecisionResult.TOTAL
    assert record.decided_at == entry.created_at
    signatures = list(record.signatures.filter(voided_at__isnull=True))
    assert {s.member_id for s in signatures} == {president.pk, other.pk}
    assert all(s.signed_at <= entry.created_at for s in signatures)


def test_a_wrong_password_signs_nothing_and_keeps_the_votes(slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member)
    with pytest.raises(TransitionRefused) as refused:
        deliberation.sign(slot=slot, by=president.user, password="pas le bon")
    assert refused.value.message == "Le mot de passe est incorrect : la décision n'est pas signée."
    assert not DeliberationSignature.objects.exists()
    assert BlocVote.objects.filter(deliberation__slot=slot).count() == 6


def test_wrong_passwords_are_counted_and_then_even_the_right_one_waits(slot, settings):
    settings.VAE_REAUTH_FAILURES = 3
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member)
    for _attempt in range(3):
        with pytest.raises(TransitionRefused):
            deliberation.sign(slot=slot, by=president.user, password="devine")
    with pytest.raises(TransitionRefused) as refused:
        deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    assert refused.value.message.startswith("Trop de mots de passe erronés")
    assert not DeliberationSignature.objects.exists()
    # Counted per account: the other member signs.
    deliberation.sign(slot=slot, by=other.user, password=PASSWORD)
    assert DeliberationSignature.objects.count() == 1


def test_an_incomplete_decision_cannot_be_signed(slot):
    president, _other = members(slot)
    vote_all(slot, president)
    with pytest.raises(TransitionRefused) as refused:
        deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    assert "n'a pas encore voté" in refused.value.problems[0]
    assert not DeliberationSignature.objects.exists()


def test_a_vote_against_the_computed_outcome_needs_its_motivation(slot):
    president, _other = members(slot)
    with pytest.raises(TransitionRefused) as refused:
        vote_all(slot, president, against=("BC2",), motivation="   ")
    assert refused.value.problems == [
        "BC2 : votre vote va contre le résultat calculé ; motivez-le."
    ]
    assert not BlocVote.objects.exists()
    vote_all(slot, president, against=("BC2",))
    vote = BlocVote.objects.get(bloc__code="BC2")
    assert (vote.validated, vote.motivation) == (False, "Motif écrit.")


def test_a_change_after_a_signature_voids_the_signatures_and_keeps_them(slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member)
    deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    # The same votes again change nothing: the signature stands.
    assert vote_all(slot, other) is False
    assert DeliberationSignature.objects.filter(voided_at__isnull=True).count() == 1
    assert vote_all(slot, other, against=("BC1",)) is True
    signature = DeliberationSignature.objects.get()
    assert signature.voided_at is not None
    # Signed again, on what changed: the new signature stands beside the voided one.
    write_texts(slot, other)  # BC1 refused: a partial validation wants its texts
    deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    assert DeliberationSignature.objects.count() == 2
    assert DeliberationSignature.objects.filter(voided_at__isnull=True).count() == 1


def test_a_text_change_after_a_signature_voids_it(slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member)
    deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    write_texts(slot, other)
    assert DeliberationSignature.objects.get().voided_at is not None


def test_partial_validation_writes_exactly_the_validated_blocs(slot, referentiel):
    referentiel.acquired_bloc_validity_months = 60
    referentiel.save(update_fields=["acquired_bloc_validity_months"])
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member, against=("BC2",))
    # Observations and préconisations are required for a partial validation.
    with pytest.raises(TransitionRefused) as refused:
        deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    assert any("observations" in problem for problem in refused.value.problems)
    assert any("préconisations" in problem for problem in refused.value.problems)
    write_texts(slot, president)
    deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    entry = deliberation.sign(slot=slot, by=other.user, password=PASSWORD)
    decided_on = timezone.localdate(entry.created_at)
    rows = AcquiredBloc.objects.filter(candidate=slot.candidacy.candidate).order_by("bloc_code")
    assert [(r.bloc_code, r.acquired_on, r.valid_until, r.candidacy_id) for r in rows] == [
        (code, decided_on, decided_on + relativedelta(months=60), slot.candidacy.pk)
        for code in ("BC1", "BC3")
    ]
    record = Deliberation.objects.get(slot=slot)
    assert record.result == DecisionResult.PARTIAL
    decided = {row.bloc.code: row for row in record.decided_blocs.select_related("bloc")}
    assert {code: row.validated for code, row in decided.items()} == {
        "BC1": True,
        "BC2": False,
        "BC3": True,
    }
    assert decided["BC2"].computed_validated is True
    assert f"{president} : Motif écrit." in decided["BC2"].motivation
    # The follow-up candidacy targets the rest (the core already reads AcquiredBloc).
    follow_up = vae_services.start_candidacy(candidate=slot.candidacy.candidate)
    assert [bloc.code for bloc in follow_up.targeted_blocs.all()] == ["BC2"]


def test_refusal_writes_no_acquired_bloc_and_acquired_blocs_are_for_life_by_default(referentiel):
    slot = heard()
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member, against=("BC1", "BC2", "BC3"))
    write_texts(slot, president)
    deliberation.sign(slot=slot, by=president.user, password=PASSWORD)
    deliberation.sign(slot=slot, by=other.user, password=PASSWORD)
    assert Deliberation.objects.get(slot=slot).result == DecisionResult.REFUSAL
    assert not AcquiredBloc.objects.exists()
    accepted = heard()
    for member in members(accepted):
        vote_all(accepted, member)
    for member in members(accepted):
        deliberation.sign(slot=accepted, by=member.user, password=PASSWORD)
    assert set(AcquiredBloc.objects.values_list("bloc_code", "valid_until")) == {
        ("BC1", None),
        ("BC2", None),
        ("BC3", None),
    }


def test_blocs_acquired_earlier_make_a_validation_totale(referentiel):
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED, blocs=["BC3"])
    make_consolidation(candidacy)
    for code in ("BC1", "BC2"):
        AcquiredBloc.objects.create(
            candidate=candidacy.candidate,
            certification_code=candidacy.certification_code,
            bloc_code=code,
            bloc_title=code,
            acquired_on=dt.date(2025, 6, 30),
        )
    slot = heard(candidacy)
    for member in members(slot):
        vote_all(slot, member)
    state = selectors.deliberation_state(slot)
    assert (state.result, state.previously_acquired) == (DecisionResult.TOTAL, ["BC1", "BC2"])
    for member in members(slot):
        deliberation.sign(slot=slot, by=member.user, password=PASSWORD)
    assert Deliberation.objects.get(slot=slot).result == DecisionResult.TOTAL


def test_the_presidents_casting_vote_decides_a_disagreement(slot):
    president, other = members(slot)
    vote_all(slot, president)
    vote_all(slot, other, against=("BC3",))
    state = selectors.deliberation_state(slot)
    bc3 = next(item for item in state.blocs if item.bloc.code == "BC3")
    assert (bc3.verdict.validated, bc3.verdict.casting_vote) == (True, True)
    for member in (president, other):
        deliberation.sign(slot=slot, by=member.user, password=PASSWORD)
    decided = Deliberation.objects.get(slot=slot).decided_blocs.get(bloc__code="BC3")
    assert (decided.validated, decided.casting_vote) == (True, True)
    assert AcquiredBloc.objects.filter(bloc_code="BC3").exists()


def test_the_computed_outcome_reads_the_jurys_revised_ratings(referentiel):
    slot = heard(interview=False)
    president = members(slot)[0]
    bc3 = [c for c in slot.candidacy.targeted_competences() if c.code.startswith("C3")]
    bc3 = bc3 or [c for c in slot.candidacy.targeted_competences() if c.activity.bloc.code == "BC3"]
    for competence in bc3[:2]:
        interview.revise_rating(
            slot=slot, competence=competence, by=president.user, rating="non_acquis", reason="Vu."
        )
    services.record_interview(candidacy=slot.candidacy, by=president.user)
    slot.refresh_from_db()
    state = selectors.deliberation_state(slot)
    outcomes = {item.bloc.code: item.outcome for item in state.blocs}
    assert outcomes["BC1"].validated and outcomes["BC2"].validated
    assert not outcomes["BC3"].validated
    assert any("non acquises" in reason for reason in outcomes["BC3"].reasons)
    assert RatingRevision.objects.count() == 2
    assert selectors.final_ratings(slot)[bc3[0].pk] == "non_acquis"


@pytest.fixture
def decided(slot):
    for member in members(slot):
        vote_all(slot, member)
    for member in members(slot):
        deliberation.sign(slot=slot, by=member.user, password=PASSWORD)
    slot.candidacy.refresh_from_db()
    return slot


def test_after_the_decision_every_write_is_refused(decided):
    president, _other = members(decided)
    before = (
        list(BlocVote.objects.values_list("pk", "validated", "motivation")),
        list(DeliberationSignature.objects.values_list("pk", "voided_at")),
        Deliberation.objects.get(slot=decided).version,
    )
    attempts = [
        lambda: vote_all(decided, president, against=("BC1",)),
        lambda: write_texts(decided, president),
        lambda: deliberation.sign(slot=decided, by=president.user, password=PASSWORD),
    ]
    for attempt in attempts:
        with pytest.raises(TransitionRefused) as refused:
            attempt()
        assert refused.value.message == deliberation.DECIDED_MESSAGE
    with pytest.raises(TransitionRefused):
        vae_services.run_transition(
            candidacy=decided.candidacy, name=Transition.DECIDE, by=president.user
        )
    assert before == (
        list(BlocVote.objects.values_list("pk", "validated", "motivation")),
        list(DeliberationSignature.objects.values_list("pk", "voided_at")),
        Deliberation.objects.get(slot=decided).version,
    )
    assert AcquiredBloc.objects.count() == 3
    assert decided.candidacy.transitions.filter(transition=Transition.DECIDE).count() == 1


# -- the pages ------------------------------------------------------------------------


def url(slot):
    return reverse("jury:deliberation", args=[slot.pk])


def test_the_page_shows_the_computed_outcome_prefilled_votes_and_the_casting_vote(client, slot):
    president, other = members(slot)
    vote_all(slot, president)
    vote_all(slot, other, against=("BC3",))
    log_in(client, president.user)
    response = client.get(url(slot))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.count("Résultat calculé : <strong>bloc validé</strong>") == 3
    assert "la voix prépondérante du président décide" in html
    # The président's own votes prefilled: « validé » checked on every bloc.
    for bloc in blocs_of(slot):
        radio = re.search(
            rf'<input[^>]*name="vote-{bloc.pk}-validated"[^>]*value="oui"[^>]*>', html
        )
        assert radio and "checked" in radio.group(0)
    assert "Signer la décision" in html
    assert "Validation totale" in html


def test_a_vote_against_without_motivation_is_refused_and_kept(client, slot):
    president, _other = members(slot)
    log_in(client, president.user)
    data = {"part": "votes"}
    for bloc in blocs_of(slot):
        data[f"vote-{bloc.pk}-validated"] = "non" if bloc.code == "BC1" else "oui"
        data[f"vote-{bloc.pk}-motivation"] = ""
    response = client.post(url(slot), data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "BC1 : votre vote va contre le résultat calculé ; motivez-le." in html
    assert not BlocVote.objects.exists()
    bc1 = blocs_of(slot)[0]
    data[f"vote-{bc1.pk}-motivation"] = "Les déclarations sociales restent fragiles."
    response = client.post(url(slot), data)
    assert response.status_code == 302
    assert (
        BlocVote.objects.get(bloc=bc1).motivation == "Les déclarations sociales restent fragiles."
    )


def test_signing_through_the_page(client, slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member)
    log_in(client, president.user)
    response = client.post(url(slot), {"part": "sign", "sign-password": "faux"})
    assert response.status_code == 400
    assert "Le mot de passe est incorrect" in unescape(response.content.decode())
    assert not DeliberationSignature.objects.exists()
    response = client.post(url(slot), {"part": "sign", "sign-password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    log_in(client, other.user)
    response = client.post(url(slot), {"part": "sign", "sign-password": PASSWORD}, follow=True)
    assert "elle est rendue" in unescape(response.content.decode())
    slot.candidacy.refresh_from_db()
    assert slot.candidacy.state == S.DECIDED


def test_the_texts_form_refuses_a_stale_save_and_keeps_the_text(client, slot):
    president, other = members(slot)
    write_texts(slot, other)
    log_in(client, president.user)
    data = {
        "part": "texts",
        "texts-observations": "Mon texte à moi.",
        "texts-recommendations": "",
        "texts-base_version": "0",
    }
    response = client.post(url(slot), data)
    assert response.status_code == 409
    assert "Mon texte à moi.</textarea>" in unescape(response.content.decode())


def test_after_the_decision_the_page_is_read_only_and_posts_are_refused(client, decided):
    president, _other = members(decided)
    log_in(client, president.user)
    html = unescape(client.get(url(decided)).content.decode())
    assert "Décision rendue le" in html
    assert "Signer la décision" not in html
    assert "Enregistrer mes votes" not in html
    response = client.post(url(decided), {"part": "texts", "texts-base_version": "1"})
    assert response.status_code == 403


def test_the_candidate_reads_the_decision(client, slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member, against=("BC2",))
    write_texts(slot, president)
    for member in (president, other):
        deliberation.sign(slot=slot, by=member.user, password=PASSWORD)
    candidate = slot.candidacy.candidate
    client.force_login(candidate)
    html = unescape(
        client.get(reverse("candidacy:detail", args=[slot.candidacy.pk])).content.decode()
    )
    assert "La décision du jury" in html
    assert "validation partielle" in html
    assert "BC2" in html and "bloc non validé" in html
    assert "Motif écrit." in html  # the jury decided against the rule: it says why
    assert "Une formation courte aux déclarations sociales." in html
    dashboard = unescape(client.get(reverse("candidacy:dashboard")).content.decode())
    assert "BC1" in dashboard and "BC3" in dashboard


@pytest.mark.parametrize(
    "who", ["anonymous", "candidate", "evaluator", "certifier", "other_session", "conflicted"]
)
def test_who_may_not_see_the_deliberation(client, referentiel, who):
    candidacy = CandidacyFactory(state=S.INTERVIEWED)
    make_consolidation(candidacy)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0), status=SlotStatus.INTERVIEWED)
    president, other = members(slot)
    services.declare(slot=slot, by=president.user, no_conflict=True)
    services.declare(slot=slot, by=other.user, no_conflict=False, details="Mon ancien assistant.")
    user = {
        "anonymous": None,
        "candidate": candidacy.candidate,
        "evaluator": UserFactory(role=Role.EVALUATOR),
        "certifier": UserFactory(role=Role.CERTIFIER),
        "other_session": make_session().president.user,
        "conflicted": other.user,
    }[who]
    if user is not None:
        log_in(client, user)
    response = client.get(url(slot))
    expected = {"anonymous": 302, "other_session": 404, "conflicted": 404}.get(who, 403)
    assert response.status_code == expected
    response = client.post(url(slot), {"part": "sign", "sign-password": PASSWORD})
    assert response.status_code == expected
    if user is not None and who != "anonymous":
        with pytest.raises(TransitionForbidden):
            deliberation.sign(slot=slot, by=user, password=PASSWORD)
    assert not DeliberationSignature.objects.exists()
    # The member who declared no conflict reads it.
    client.logout()
    log_in(client, president.user)
    assert client.get(url(slot)).status_code == 200


def test_no_deliberation_before_the_interview(client, referentiel):
    slot = heard(interview=False)
    president = members(slot)[0]
    log_in(client, president.user)
    assert client.get(url(slot)).status_code == 404
    with pytest.raises(TransitionForbidden):
        deliberation.sign(slot=slot, by=president.user, password=PASSWORD)


def test_a_vote_left_empty_is_named_in_the_summary(client, slot):
    president, _other = members(slot)
    log_in(client, president.user)
    bc2 = blocs_of(slot)[1]
    data = {"part": "votes"}
    for bloc in blocs_of(slot):
        if bloc != bc2:
            data[f"vote-{bloc.pk}-validated"] = "oui"
    data[f"vote-{bc2.pk}-motivation"] = "Texte gardé."
    response = client.post(url(slot), data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert html.count("BC2, votre vote : Indiquez votre vote sur ce bloc.") == 1
    assert "Texte gardé.</textarea>" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Erreur : " in html
    assert not BlocVote.objects.exists()


def test_the_decision_is_in_the_candidates_archive(client, slot):
    president, other = members(slot)
    for member in (president, other):
        vote_all(slot, member, against=("BC2",))
    write_texts(slot, president)
    candidate = slot.candidacy.candidate
    client.force_login(candidate)
    assert archive_json(download_archive(client))["decision"] == []  # not yet decided
    for member in (president, other):
        deliberation.sign(slot=slot, by=member.user, password=PASSWORD)
    (decision,) = archive_json(download_archive(client))["decision"]
    assert decision["candidature"] == slot.candidacy.reference
    assert decision["décision"] == "Validation partielle"
    assert [(b["bloc"][:3], b["résultat"]) for b in decision["blocs"]] == [
        ("BC1", "validé"),
        ("BC2", "non validé"),
        ("BC3", "validé"),
    ]
    assert "Motif écrit." in decision["blocs"][1]["motivation du jury"]
    assert decision["préconisations"] == "Une formation courte aux déclarations sociales."


def test_a_non_member_is_refused_before_any_password_is_checked(slot, settings):
    settings.VAE_REAUTH_FAILURES = 1
    outsider = UserFactory(role=Role.JURY_MEMBER)
    with pytest.raises(TransitionForbidden):
        deliberation.sign(slot=slot, by=outsider, password="devine")
    # Nothing was counted against the outsider's account: a wrong password was never read.
    assert reauth.confirm_password(outsider, PASSWORD)
