"""The candidacy state machine: every (transition, source state) pair, guards, actors,
the append-only log and concurrent decisions."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import RestrictedError
from django.utils import timezone

from jury.models import Convocation, DecidedBloc, Deliberation, Slot
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_consolidation,
    make_panel,
    make_session,
    make_slot,
)
from tests.jury.deliberation_support import heard_as_rows, signed_by_all
from vae import services
from vae.enums import CandidacyState as S
from vae.enums import Role, Transition
from vae.models import AcquiredBloc, Candidacy, CandidacyTransition
from vae.workflow import (
    AppendOnlyError,
    ConcurrentDecision,
    TransitionForbidden,
    TransitionRefused,
)

FINAL = {S.INELIGIBLE, S.DECIDED, S.WITHDRAWN}

# The machine as ARCHITECTURE.md §2 specifies it, written out independently of the code:
# transition -> {source: target}.
EXPECTED = {
    Transition.SUBMIT_ELIGIBILITY: {S.DRAFT: S.ELIGIBILITY_SUBMITTED},
    Transition.RETURN_ELIGIBILITY: {S.ELIGIBILITY_SUBMITTED: S.DRAFT},
    Transition.ACCEPT_ELIGIBILITY: {S.ELIGIBILITY_SUBMITTED: S.ELIGIBLE},
    Transition.REJECT_ELIGIBILITY: {S.ELIGIBILITY_SUBMITTED: S.INELIGIBLE},
    Transition.SUBMIT_DOSSIER: {S.ELIGIBLE: S.DOSSIER_SUBMITTED},
    Transition.RETURN_DOSSIER: {S.DOSSIER_SUBMITTED: S.ELIGIBLE},
    Transition.START_REVIEW: {S.DOSSIER_SUBMITTED: S.UNDER_REVIEW},
    Transition.COMPLETE_REVIEW: {S.UNDER_REVIEW: S.REVIEWED},
    Transition.SCHEDULE_JURY: {S.REVIEWED: S.JURY_SCHEDULED},
    Transition.RESCHEDULE_JURY: {S.JURY_SCHEDULED: S.JURY_SCHEDULED},
    Transition.RECORD_ABSENCE: {S.JURY_SCHEDULED: S.REVIEWED},
    Transition.RECORD_INTERVIEW: {S.JURY_SCHEDULED: S.INTERVIEWED},
    Transition.DECIDE: {S.INTERVIEWED: S.DECIDED},
    Transition.WITHDRAW: {state: S.WITHDRAWN for state in S if state not in FINAL},
}
CANDIDATE_ACTS = {Transition.SUBMIT_ELIGIBILITY, Transition.SUBMIT_DOSSIER}
NEEDS_COMMENT = {
    Transition.RETURN_ELIGIBILITY,
    Transition.REJECT_ELIGIBILITY,
    Transition.RETURN_DOSSIER,
    Transition.RESCHEDULE_JURY,
}
# Performed by a member of the session (record_absence also by a certifier).
JURY_ACTS = {Transition.RECORD_ABSENCE, Transition.RECORD_INTERVIEW}
JURY_TRANSITIONS = {Transition.SCHEDULE_JURY, Transition.RESCHEDULE_JURY, *JURY_ACTS}
# The jury's own acts that no certifier performs.
JURY_ONLY = {Transition.RECORD_INTERVIEW, Transition.DECIDE}
ALL_PAIRS = [(name, state) for name in Transition for state in S]


def make(state, name=None, **kwargs):
    """A candidacy in ``state`` whose guards hold for the transitions leaving it (for
    ``name`` when given: the interview needs a session already begun, the others one
    ahead)."""
    kwargs.setdefault("eligible_until", timezone.localdate() + datetime.timedelta(days=30))
    candidacy = CandidacyFactory(state=state, **kwargs)
    if state == S.DOSSIER_SUBMITTED:
        make_panel(candidacy)  # start_review needs the full, declared panel
    if state == S.UNDER_REVIEW:
        make_consolidation(candidacy)  # complete_review needs every compétence consolidated
    # schedule_jury and the jury's transitions need a live slot in a valid session; it is
    # given in every state, so that the state alone refuses them where they do not apply.
    if state in (S.REVIEWED, S.JURY_SCHEDULED) or name in JURY_TRANSITIONS:
        days = 0 if name == Transition.RECORD_INTERVIEW else 30
        start = datetime.time(0, 0) if days == 0 else datetime.time(9, 0)
        make_slot(candidacy, make_session(days_ahead=days, start=start), start=start)
    # decide needs a heard slot and a complete decision signed by both members: given in
    # every state too, the state alone refusing it elsewhere.
    if name == Transition.DECIDE:
        signed_by_all(heard_as_rows(candidacy))
    return candidacy


def member_of_session(candidacy, status="scheduled"):
    return Slot.objects.get(candidacy=candidacy, status=status).session.president.user


def actors(name, candidacy, certifier):
    """Who may perform ``name``: the candidate, a certifier, a member of the session, or
    either of two."""
    if name == Transition.WITHDRAW:
        return [("candidat", candidacy.candidate), ("certificateur", certifier)]
    if name in CANDIDATE_ACTS:
        return [("candidat", candidacy.candidate)]
    if name == Transition.RECORD_INTERVIEW:
        return [("jury", member_of_session(candidacy))]
    if name == Transition.DECIDE:
        return [("jury", member_of_session(candidacy, "interviewed"))]
    if name == Transition.RECORD_ABSENCE:
        return [("jury", member_of_session(candidacy)), ("certificateur", certifier)]
    return [("certificateur", certifier)]


def jury_rows(candidacy):
    """What the jury's effects write: every slot's status, every convocation's, the
    decision's outcome per bloc and result, the acquired blocs."""
    return (
        sorted(Slot.objects.filter(candidacy=candidacy).values_list("pk", "status")),
        sorted(Convocation.objects.filter(candidacy=candidacy).values_list("pk", "status")),
        sorted(Deliberation.objects.filter(slot__candidacy=candidacy).values_list("pk", "result")),
        DecidedBloc.objects.filter(deliberation__slot__candidacy=candidacy).count(),
        AcquiredBloc.objects.filter(candidacy=candidacy).count(),
    )


@pytest.mark.parametrize(("name", "source"), ALL_PAIRS)
def test_every_pair(referentiel, certifier, name, source):
    allowed = source in EXPECTED[name]
    for index in range(len(actors(name, make(source, name), certifier))):
        candidacy = make(source, name)
        role, actor = actors(name, candidacy, certifier)[index]
        comment = "Pièces à compléter." if name in NEEDS_COMMENT else ""
        before = jury_rows(candidacy)
        if allowed:
            entry = services.run_transition(
                candidacy=candidacy, name=name, by=actor, comment=comment
            )
            candidacy.refresh_from_db()
            assert candidacy.state == EXPECTED[name][source]
            rows = list(CandidacyTransition.objects.filter(candidacy=candidacy))
            assert rows == [entry]
            assert (rows[0].transition, rows[0].source_state, rows[0].target_state) == (
                name,
                source,
                EXPECTED[name][source],
            )
            assert rows[0].actor == actor
            assert rows[0].actor_role == role
            assert rows[0].comment == comment
            if name == Transition.DECIDE:
                acquired = AcquiredBloc.objects.filter(candidacy=candidacy)
                assert sorted(acquired.values_list("bloc_code", flat=True)) == [
                    "BC1",
                    "BC2",
                    "BC3",
                ]
        else:
            with pytest.raises(TransitionRefused) as refused:
                services.run_transition(candidacy=candidacy, name=name, by=actor, comment=comment)
            assert "n'est pas possible" in refused.value.message
            candidacy.refresh_from_db()
            assert candidacy.state == source
            assert not CandidacyTransition.objects.filter(candidacy=candidacy).exists()
            assert jury_rows(candidacy) == before


def test_the_machine_has_exactly_the_expected_transitions():
    declared = {
        (t.name, t.source, t.target)
        for t in Candidacy._meta.get_field("state").get_all_transitions(Candidacy)
    }
    expected = {
        (name, source, target)
        for name, pairs in EXPECTED.items()
        for source, target in pairs.items()
    }
    assert declared == expected


@pytest.mark.parametrize("name", [n for n in Transition if n != Transition.WITHDRAW])
def test_wrong_actor_is_refused_and_nothing_written(referentiel, certifier, name):
    source = next(iter(EXPECTED[name]))
    candidacy = make(source, name)
    other_candidate = UserFactory(role=Role.CANDIDATE)
    evaluator = UserFactory(role=Role.EVALUATOR)
    # A member of another session: sitting somewhere is not sitting for this candidate.
    other_member = make_session().president.user
    wrong = [other_candidate, evaluator, other_member]
    wrong.append(certifier if name in CANDIDATE_ACTS else candidacy.candidate)
    if name in JURY_ONLY:
        wrong.append(certifier)  # the interview and the decision are the jury's own
    for actor in wrong:
        with pytest.raises(TransitionForbidden) as refused:
            services.run_transition(candidacy=candidacy, name=name, by=actor, comment="x")
        assert "pas le droit" in refused.value.message
        candidacy.refresh_from_db()
        assert candidacy.state == source
    assert not candidacy.transitions.exists()


@pytest.mark.parametrize("actor_kind", ["anonymous", "inactive", "other_candidate", "jury"])
def test_withdraw_by_someone_else_is_refused(referentiel, actor_kind):
    from django.contrib.auth.models import AnonymousUser

    candidacy = make(S.ELIGIBLE)
    actor = {
        "anonymous": lambda: AnonymousUser(),
        "inactive": lambda: UserFactory(role=Role.CERTIFIER, is_active=False),
        "other_candidate": lambda: UserFactory(role=Role.CANDIDATE),
        "jury": lambda: UserFactory(role=Role.JURY_MEMBER),
    }[actor_kind]()
    with pytest.raises(TransitionForbidden):
        services.withdraw(candidacy=candidacy, by=actor)
    candidacy.refresh_from_db()
    assert candidacy.state == S.ELIGIBLE
    assert not candidacy.transitions.exists()


def test_a_certifier_never_decides_on_their_own_candidacy(referentiel):
    certifier_candidate = UserFactory(role=Role.CERTIFIER)
    from vae.roles import assign_role

    assign_role(certifier_candidate, Role.CANDIDATE)
    candidacy = make(S.ELIGIBILITY_SUBMITTED, candidate=certifier_candidate)
    with pytest.raises(TransitionForbidden):
        services.accept_eligibility(candidacy=candidacy, by=certifier_candidate)
    # ...but they may still withdraw it, as its candidate.
    entry = services.withdraw(candidacy=candidacy, by=certifier_candidate)
    assert entry.actor_role == Role.CANDIDATE


@pytest.mark.parametrize("name", sorted(NEEDS_COMMENT))
@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_comment_is_required(referentiel, certifier, name, comment):
    source = next(iter(EXPECTED[name]))
    candidacy = make(source)
    with pytest.raises(TransitionRefused) as refused:
        services.run_transition(candidacy=candidacy, name=name, by=certifier, comment=comment)
    assert refused.value.message  # the French sentence from COMMENT_REQUIRED
    assert "candidat" in refused.value.message
    candidacy.refresh_from_db()
    assert candidacy.state == source
    assert not candidacy.transitions.exists()


def test_comment_is_stripped_and_kept(referentiel, certifier):
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    entry = services.reject_eligibility(
        candidacy=candidacy, by=certifier, comment="  Aucune expérience dans le secteur.  "
    )
    assert entry.comment == "Aucune expérience dans le secteur."


def test_submit_eligibility_needs_a_complete_livret(referentiel):
    candidacy = CandidacyFactory(livret="empty")
    with pytest.raises(TransitionRefused) as refused:
        services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    problems = refused.value.problems
    assert any(p.startswith("Identité") for p in problems)
    assert any("au moins une expérience" in p for p in problems)
    assert any("déclaration sur l'honneur" in p for p in problems)
    candidacy.refresh_from_db()
    assert candidacy.state == S.DRAFT
    assert not candidacy.transitions.exists()


def test_submit_eligibility_without_any_livret(referentiel):
    candidacy = CandidacyFactory(livret=None)
    with pytest.raises(TransitionRefused) as refused:
        services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    assert refused.value.problems == ["Le livret 1 n'a pas été commencé."]


def test_accept_sets_the_validity_period(referentiel, certifier, settings):
    settings.VAE_ELIGIBILITY_VALIDITY_DAYS = 100
    candidacy = make(S.ELIGIBILITY_SUBMITTED, eligible_until=None)
    services.accept_eligibility(candidacy=candidacy, by=certifier)
    candidacy.refresh_from_db()
    assert candidacy.eligible_until == timezone.localdate() + datetime.timedelta(days=100)


def test_submit_dossier_refused_once_eligibility_expired(referentiel):
    candidacy = make(S.ELIGIBLE, eligible_until=timezone.localdate() - datetime.timedelta(1))
    with pytest.raises(TransitionRefused) as refused:
        services.submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    assert "expiré" in refused.value.problems[0]
    candidacy.refresh_from_db()
    assert candidacy.state == S.ELIGIBLE


def test_state_cannot_be_assigned(referentiel):
    candidacy = make(S.DRAFT)
    with pytest.raises(AttributeError):
        candidacy.state = S.ELIGIBLE


def test_state_changed_at_follows_transitions(referentiel, certifier):
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    before = candidacy.state_changed_at
    entry = services.accept_eligibility(candidacy=candidacy, by=certifier)
    candidacy.refresh_from_db()
    assert candidacy.state_changed_at == entry.created_at
    assert candidacy.state_changed_at >= before


# -- the log is append-only -----------------------------------------------------------------


@pytest.fixture
def entry(referentiel, certifier):
    return services.accept_eligibility(candidacy=make(S.ELIGIBILITY_SUBMITTED), by=certifier)


def test_log_rows_cannot_be_updated(entry):
    entry.comment = "réécrit"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        CandidacyTransition.objects.filter(pk=entry.pk).update(comment="réécrit")
    entry.refresh_from_db()
    assert entry.comment == ""


def test_log_rows_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        CandidacyTransition.objects.all().delete()
    assert CandidacyTransition.objects.filter(pk=entry.pk).exists()


def test_an_actor_with_history_cannot_be_deleted(entry):
    with pytest.raises(RestrictedError):
        entry.actor.delete()


def test_a_candidacy_with_history_cannot_be_deleted(entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.candidacy.delete()


# -- concurrent decisions -----------------------------------------------------------------


def test_two_certifiers_deciding_at_once_one_wins(referentiel, certifier):
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    seen_by_first = Candidacy.objects.get(pk=candidacy.pk)
    seen_by_second = Candidacy.objects.get(pk=candidacy.pk)
    services.accept_eligibility(candidacy=seen_by_first, by=certifier)
    with pytest.raises(ConcurrentDecision) as lost:
        services.reject_eligibility(
            candidacy=seen_by_second, by=UserFactory(role=Role.CERTIFIER), comment="Motif."
        )
    assert "Recevable" in lost.value.message
    assert seen_by_second.state == S.ELIGIBLE  # reloaded, shows the winner's decision
    assert candidacy.transitions.count() == 1
    candidacy.refresh_from_db()
    assert candidacy.state == S.ELIGIBLE


def test_the_same_decision_twice_writes_one_row(referentiel, certifier):
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    first = Candidacy.objects.get(pk=candidacy.pk)
    second = Candidacy.objects.get(pk=candidacy.pk)
    services.accept_eligibility(candidacy=first, by=certifier)
    with pytest.raises(ConcurrentDecision):
        services.accept_eligibility(candidacy=second, by=certifier)
    assert candidacy.transitions.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
def test_truly_simultaneous_decisions_on_postgresql():
    from django.db import connections

    from referentiel.management.commands.load_referentiel import DEFAULT_FILE
    from referentiel.services import load_referentiel_text

    load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8"))
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    deciders = [UserFactory(role=Role.CERTIFIER) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, name, comment):
        try:
            seen = Candidacy.objects.get(pk=candidacy.pk)
            barrier.wait(timeout=10)
            services.run_transition(candidacy=seen, name=name, by=user, comment=comment)
            outcomes.append("won")
        except ConcurrentDecision:
            outcomes.append("lost")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(deciders[0], Transition.ACCEPT_ELIGIBILITY, "")),
        threading.Thread(
            target=decide, args=(deciders[1], Transition.REJECT_ELIGIBILITY, "Motif.")
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["lost", "won"]
    assert CandidacyTransition.objects.filter(candidacy_id=candidacy.pk).count() == 1


# -- opening a candidacy ------------------------------------------------------------------


def test_start_pins_the_published_version_and_targets_all_blocs(referentiel):
    candidate = UserFactory(role=Role.CANDIDATE)
    candidacy = services.start_candidacy(candidate=candidate)
    assert candidacy.certification == referentiel
    assert candidacy.certification_code == referentiel.code
    assert candidacy.state == S.DRAFT
    assert [b.code for b in candidacy.targeted_blocs.all()] == ["BC1", "BC2", "BC3"]
    assert candidacy.eligibility_request.birth_name == candidate.last_name


def test_a_new_published_version_does_not_move_existing_candidacies(referentiel):
    from referentiel.services import create_draft_from, publish_version

    candidacy = services.start_candidacy(candidate=UserFactory(role=Role.CANDIDATE))
    draft = create_draft_from(referentiel)
    publish_version(draft)
    candidacy.refresh_from_db()
    assert candidacy.certification == referentiel
    newcomer = services.start_candidacy(candidate=UserFactory(role=Role.CANDIDATE))
    assert newcomer.certification == draft


def test_one_open_candidacy_per_certification(referentiel):
    candidate = UserFactory(role=Role.CANDIDATE)
    first = services.start_candidacy(candidate=candidate)
    with pytest.raises(TransitionRefused) as refused:
        services.start_candidacy(candidate=candidate)
    assert "déjà une candidature en cours" in refused.value.message
    services.withdraw(candidacy=first, by=candidate)
    second = services.start_candidacy(candidate=candidate)
    assert second.pk != first.pk


def test_the_database_refuses_a_second_open_candidacy(referentiel):
    candidacy = make(S.ELIGIBLE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidacy.objects.create(
            candidate=candidacy.candidate, certification=candidacy.certification
        )
    # A closed one does not count.
    Candidacy.objects.create(
        candidate=candidacy.candidate, certification=candidacy.certification, state=S.WITHDRAWN
    )


def test_acquired_blocs_are_not_targeted_again(referentiel):
    candidate = UserFactory(role=Role.CANDIDATE)
    AcquiredBloc.objects.create(
        candidate=candidate,
        certification_code=referentiel.code,
        bloc_code="BC1",
        bloc_title="Gestion administrative",
        acquired_on=datetime.date(2025, 6, 30),
    )
    candidacy = services.start_candidacy(candidate=candidate)
    assert [b.code for b in candidacy.targeted_blocs.all()] == ["BC2", "BC3"]


def test_nothing_left_to_target(referentiel):
    candidate = UserFactory(role=Role.CANDIDATE)
    for bloc in referentiel.blocs.all():
        AcquiredBloc.objects.create(
            candidate=candidate,
            certification_code=referentiel.code,
            bloc_code=bloc.code,
            bloc_title=bloc.title,
            acquired_on=datetime.date(2025, 6, 30),
        )
    with pytest.raises(TransitionRefused) as refused:
        services.start_candidacy(candidate=candidate)
    assert "déjà validé tous les blocs" in refused.value.message
    assert not Candidacy.objects.exists()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER, Role.CERTIFIER])
def test_only_candidates_start_candidacies(referentiel, role):
    with pytest.raises(TransitionForbidden):
        services.start_candidacy(candidate=UserFactory(role=role))
    assert not Candidacy.objects.exists()


def test_no_published_version_no_candidacy(db):
    with pytest.raises(TransitionRefused) as refused:
        services.start_candidacy(candidate=UserFactory(role=Role.CANDIDATE))
    assert "Aucune version du référentiel" in refused.value.message
