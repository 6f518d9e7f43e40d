"""A session's life (planned → held → closed) through its services: the (transition,
status) table, the guards, who may, and the back office's buttons. Every refusal changes
nothing and writes no log row."""

import datetime as dt
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from jury import rules, selectors, services
from jury.enums import SESSION_TRANSITIONS, SessionStatus, SessionTransition, SlotStatus
from jury.models import JurySession, SessionStatusChange
from tests.accounts import admin_login_url, log_in
from tests.factories import CandidacyFactory, UserFactory, make_session, make_slot
from tests.jury.deliberation_support import decide, heard
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.workflow import TransitionForbidden, TransitionRefused


def text(response) -> str:
    return unescape(response.content.decode())


def in_status(session, status) -> JurySession:
    JurySession.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    return session


def unchanged(session, status):
    session.refresh_from_db()
    assert session.status == status
    assert not SessionStatusChange.objects.filter(session=session).exists()


@pytest.fixture
def past(referentiel, certifier):
    """A session of yesterday, nobody convoked to it any more."""
    return make_session(days_ahead=-1, by=certifier)


# -- the table ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(SessionStatus))
@pytest.mark.parametrize("name", list(SessionTransition))
def test_every_transition_from_every_status(past, certifier, name, status):
    session = in_status(past, status)
    rule = SESSION_TRANSITIONS[name]
    if status in rule.sources:
        change = services.change_session_status(session=session, name=name, by=certifier)
        session.refresh_from_db()
        assert session.status == rule.target
        assert (change.transition, change.source_status, change.target_status, change.actor) == (
            name,
            status,
            rule.target,
            certifier,
        )
        assert list(SessionStatusChange.objects.filter(session=session)) == [change]
    else:
        with pytest.raises(TransitionRefused) as refused:
            services.change_session_status(session=session, name=name, by=certifier)
        assert f"« {name.label} » n'est pas possible" in refused.value.message
        unchanged(session, status)


def test_the_table_is_planned_then_held_then_closed():
    assert {name: (rule.sources, rule.target) for name, rule in SESSION_TRANSITIONS.items()} == {
        SessionTransition.HOLD: ((SessionStatus.PLANNED,), SessionStatus.HELD),
        SessionTransition.CLOSE: ((SessionStatus.HELD,), SessionStatus.CLOSED),
    }


# -- the guards ---------------------------------------------------------------------------


def test_a_session_is_not_held_before_its_day(referentiel, certifier):
    session = make_session(days_ahead=1, by=certifier)
    with pytest.raises(TransitionRefused) as refused:
        services.hold_session(session=session, by=certifier)
    assert refused.value.problems == [
        "La session ne peut être marquée comme tenue avant son jour "
        f"({rules.fr.date(session.date)})."
    ]
    unchanged(session, SessionStatus.PLANNED)


def test_a_session_is_held_from_the_first_moment_of_its_day(referentiel, certifier, travel):
    session = make_session(days_ahead=1, by=certifier)
    travel(session.at(dt.time.min) - dt.timedelta(seconds=1))
    with pytest.raises(TransitionRefused):
        services.hold_session(session=session, by=certifier)
    travel(session.at(dt.time.min))
    services.hold_session(session=session, by=certifier)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_a_session_with_a_candidate_still_convoked_does_not_close(past, certifier):
    session = in_status(past, SessionStatus.HELD)
    waiting = CandidacyFactory(state=S.JURY_SCHEDULED)
    make_slot(waiting, session, start=dt.time(10, 0))
    heard = CandidacyFactory(state=S.INTERVIEWED)
    make_slot(heard, session, start=dt.time(9, 0), status=SlotStatus.INTERVIEWED)
    with pytest.raises(TransitionRefused) as refused:
        services.close_session(session=session, by=certifier)
    assert refused.value.message == "Le statut de la session n'a pas changé."
    assert refused.value.problems == [
        f"1 candidat est encore convoqué ({waiting.reference}) : enregistrez l'entretien "
        "ou l'absence de chacun."
    ]
    unchanged(session, SessionStatus.HELD)


def test_a_session_closes_once_each_candidate_was_heard_or_absent(past, certifier):
    session = in_status(past, SessionStatus.HELD)
    make_slot(CandidacyFactory(state=S.INTERVIEWED), session, status=SlotStatus.INTERVIEWED)
    make_slot(CandidacyFactory(state=S.REVIEWED), session, start=dt.time(11, 0), status="absent")
    services.close_session(session=session, by=certifier)
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_close_problems_name_each_candidate_in_french():
    assert rules.close_problems([]) == []
    assert rules.close_problems(["VAE-1", "VAE-2"]) == [
        "2 candidats sont encore convoqués (VAE-1, VAE-2) : enregistrez l'entretien ou "
        "l'absence de chacun."
    ]


def test_hold_problems_compare_with_the_day_s_start():
    start = timezone.make_aware(dt.datetime(2026, 12, 1))
    assert rules.hold_problems(day_starts=start, now=start) == []
    assert rules.hold_problems(day_starts=start, now=start - dt.timedelta(seconds=1)) == [
        "La session ne peut être marquée comme tenue avant son jour (1er décembre 2026)."
    ]


# -- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "candidate", "evaluator", "member"])
@pytest.mark.parametrize("name", list(SessionTransition))
def test_only_certifiers_move_a_session(past, name, who):
    status = SESSION_TRANSITIONS[name].sources[0]
    session = in_status(past, status)
    user = {
        "anonymous": AnonymousUser(),
        "candidate": UserFactory(role=Role.CANDIDATE),
        "evaluator": UserFactory(role=Role.EVALUATOR),
        "member": session.president.user,
    }[who]
    with pytest.raises(TransitionForbidden):
        services.change_session_status(session=session, name=name, by=user)
    unchanged(session, status)


# -- the back office ------------------------------------------------------------------------


def page(client, session) -> str:
    return text(client.get(reverse("jury_admin:session", args=[session.pk])))


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        (SessionStatus.PLANNED, ["Marquer la session comme tenue"]),
        (SessionStatus.HELD, ["Clore la session"]),
        (SessionStatus.CLOSED, []),
    ],
)
def test_the_session_page_offers_the_next_status(client, certifier, past, status, buttons):
    log_in(client, certifier)
    shown = page(client, in_status(past, status))
    for name, rule in SESSION_TRANSITIONS.items():
        action = f'action="{reverse(f"jury_admin:{name}", args=[past.pk])}"'
        assert (action in shown) is (rule.button in buttons)
        assert (f">{rule.button}</button>" in shown) is (rule.button in buttons)


def test_the_certifier_holds_then_closes_a_session(client, certifier, past):
    log_in(client, certifier)
    response = client.post(reverse("jury_admin:hold", args=[past.pk]))
    assert response["Location"] == reverse("jury_admin:session", args=[past.pk])
    assert "Session tenue." in page(client, past)
    client.post(reverse("jury_admin:close", args=[past.pk]))
    past.refresh_from_db()
    assert past.status == SessionStatus.CLOSED
    assert list(
        SessionStatusChange.objects.filter(session=past)
        .order_by("pk")
        .values_list("transition", "actor")
    ) == [("hold", certifier.pk), ("close", certifier.pk)]


def test_a_refused_button_says_why_and_changes_nothing(client, certifier, referentiel):
    session = make_session(days_ahead=3, by=certifier)
    log_in(client, certifier)
    response = client.post(reverse("jury_admin:hold", args=[session.pk]))
    assert response["Location"] == reverse("jury_admin:session", args=[session.pk])
    assert "Le statut de la session n'a pas changé. La session ne peut être marquée" in page(
        client, session
    )
    # The wrong status: closing a planned session.
    client.post(reverse("jury_admin:close", args=[session.pk]))
    assert "« Session close » n'est pas possible" in page(client, session)
    unchanged(session, SessionStatus.PLANNED)


def test_the_buttons_take_no_get_nor_unknown_session(client, certifier, past):
    log_in(client, certifier)
    for name in ("jury_admin:hold", "jury_admin:close"):
        assert client.get(reverse(name, args=[past.pk])).status_code == 405
        assert client.post(reverse(name, args=[99999])).status_code == 404
    unchanged(past, SessionStatus.PLANNED)


@pytest.mark.parametrize("role", [None, Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_people_never_press_the_buttons(client, past, role):
    if role == Role.JURY_MEMBER:
        log_in(client, past.president.user)
    elif role is not None:
        log_in(client, UserFactory(role=role))
    for name in ("jury_admin:hold", "jury_admin:close"):
        response = client.post(reverse(name, args=[past.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())
    unchanged(past, SessionStatus.PLANNED)


def test_sessions_to_close_say_what_keeps_them_open(referentiel):
    slot = heard()  # heard today, the decision not signed
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    (session,) = selectors.staff_sessions(today=tomorrow)["to_close"]
    assert (session.pk, session.undecided, session.unrecorded) == (slot.session_id, 1, 0)
    decide(slot)
    (session,) = selectors.staff_sessions(today=tomorrow)["to_close"]
    assert (session.undecided, session.unrecorded) == (0, 0)
    certifier = UserFactory(role=Role.CERTIFIER)
    session = JurySession.objects.get(pk=slot.session_id)
    if session.status == SessionStatus.PLANNED:
        services.change_session_status(session=session, name=SessionTransition.HOLD, by=certifier)
    services.change_session_status(session=session, name=SessionTransition.CLOSE, by=certifier)
    assert selectors.staff_sessions(today=tomorrow)["to_close"] == []
    # Today the session is not past yet: nothing to close.
    assert selectors.staff_sessions()["to_close"] == []
