"""The jury's pure rules: composition, balance, slot length and fit, delays."""

import datetime as dt

import pytest

from jury import rules
from jury.rules import Holder, Period, SeatSpec

SPEC = [
    SeatSpec("employers_college", "Membre du collège employeur", 1),
    SeatSpec("employees_college", "Membre du collège salarié", 1),
]


def holder(member_id, role="employers_college", *, qualified=True, civility="mme", active=True):
    return Holder(member_id, f"Membre {member_id}", role, qualified, civility, active)


VALID = [holder(1), holder(2, "employees_college", civility="m", qualified=False)]


def test_a_valid_jury_has_no_problem():
    assert rules.composition_problems(SPEC, VALID, president_id=1) == []


def test_an_empty_seat_is_named():
    assert rules.composition_problems(SPEC, VALID[:1], 1) == [
        "Il manque 1 « Membre du collège salarié ».",
        "Un jury compte au moins deux membres.",
    ]


def test_too_many_in_a_seat():
    holders = [*VALID, holder(3, "employees_college")]
    assert rules.composition_problems(SPEC, holders, 1) == [
        "Trop de « Membre du collège salarié » : 2 pour 1 siège."
    ]


def test_the_same_member_twice_is_named_once():
    holders = [holder(1), holder(1, "employees_college")]
    problems = rules.composition_problems(SPEC, holders, 1)
    assert problems == [
        "Membre 1 occupe plusieurs sièges : un siège par membre.",
        "Un jury compte au moins deux membres.",
    ]


def test_at_least_one_qualified_member():
    holders = [holder(1, qualified=False), VALID[1]]
    assert rules.composition_problems(SPEC, holders, 1) == [
        "Aucun membre n'est qualifié pour la certification : il en faut un."
    ]


@pytest.mark.parametrize(
    ("president", "problem"),
    [
        (None, "Désignez le président du jury."),
        (9, "Le président doit être l'un des membres de la session."),
    ],
)
def test_a_president_among_the_members(president, problem):
    assert rules.composition_problems(SPEC, VALID, president) == [problem]


def test_a_seat_the_referentiel_does_not_have():
    holders = [*VALID, holder(3, "observer")]
    assert rules.composition_problems(SPEC, holders, 1) == [
        "La composition du référentiel ne prévoit pas de siège « observer » (1)."
    ]


def test_an_inactive_member_cannot_sit():
    holders = [VALID[0], holder(2, "employees_college", active=False)]
    assert rules.composition_problems(SPEC, holders, 1) == [
        "Membre 2 n'est plus membre actif du jury."
    ]


@pytest.mark.parametrize(
    ("civilities", "warned"),
    [
        (["mme", "m"], False),
        (["mme", "mme", "m"], False),
        (["mme"], False),
        (["m", "m"], True),
        (["mme", "mme"], True),
        (["mme", "mme", "mme", "m"], True),
    ],
)
def test_gender_balance_is_a_warning(civilities, warned):
    warning = rules.gender_warning(civilities)
    assert bool(warning) == warned
    if warned:
        assert "équilibré" in warning


def test_slot_length_sums_the_blocs_q_and_a_the_changeover_and_the_extra_time():
    assert rules.slot_minutes([15, 15, 15], changeover=10) == 55
    assert rules.slot_minutes([15], changeover=10, extra=20) == 45
    assert rules.slot_minutes([], changeover=0) == 0
    with pytest.raises(ValueError):
        rules.slot_minutes([15], changeover=10, extra=-5)


def fit(start, minutes, others=()):
    return rules.slot_problems(
        session_start=dt.time(9, 0),
        session_end=dt.time(12, 0),
        start=start,
        minutes=minutes,
        others=others,
    )


def test_a_slot_inside_the_hours_fits_even_to_the_last_minute():
    assert fit(dt.time(9, 0), 55) == []
    assert fit(dt.time(11, 5), 55) == []


@pytest.mark.parametrize(("start", "minutes"), [((8, 59), 10), ((11, 6), 55), ((23, 30), 60)])
def test_a_slot_outside_the_hours(start, minutes):
    problems = fit(dt.time(*start), minutes)
    assert len(problems) == 1
    assert "sort des horaires de la session (9\u00a0h\u00a000 – 12\u00a0h\u00a000)" in problems[0]


def test_slots_that_touch_do_not_overlap():
    others = [Period(dt.time(9, 0), 55, "VAE-2026-00001")]
    assert fit(dt.time(9, 55), 55, others) == []
    problems = fit(dt.time(9, 54), 55, others)
    assert problems == [
        "Le passage chevauche celui de VAE-2026-00001 (9\u00a0h\u00a000, 55\u00a0minutes)."
    ]
    # One slot inside another overlaps too.
    assert fit(dt.time(9, 10), 5, others)


def test_a_zero_length_slot_is_refused():
    assert "La durée du passage doit être positive." in fit(dt.time(9, 0), 0)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 5, 31), 3, dt.date(2026, 8, 31)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), 24, dt.date(2030, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_add_months_keeps_to_the_month(day, months, expected):
    assert rules.add_months(day, months) == expected


NOW = dt.datetime(2026, 12, 1, 10, 0)


@pytest.mark.parametrize(
    ("date", "start", "problem"),
    [
        (dt.date(2026, 12, 1), dt.time(10, 0), "passée"),
        (dt.date(2026, 11, 30), dt.time(14, 0), "passée"),
        (dt.date(2026, 12, 1), dt.time(10, 1), None),
        (dt.date(2028, 12, 1), dt.time(9, 0), None),
        (dt.date(2028, 12, 2), dt.time(9, 0), "plus de 2 ans"),
    ],
)
def test_the_session_is_ahead_and_at_most_two_years_off(date, start, problem):
    problems = rules.date_problems(session_date=date, session_start=start, now=NOW)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


def test_the_three_month_delay_is_a_warning():
    filed = dt.date(2026, 3, 31)
    assert rules.legal_deadline(filed) == dt.date(2026, 6, 30)
    assert rules.delay_warning(filed_on=filed, session_date=dt.date(2026, 6, 30)) == ""
    warning = rules.delay_warning(filed_on=filed, session_date=dt.date(2026, 7, 1))
    assert "31 mars 2026" in warning and "30 juin 2026" in warning
    assert rules.delay_warning(filed_on=None, session_date=dt.date(2030, 1, 1)) == ""


def test_days_waiting():
    assert rules.days_waiting(filed_on=dt.date(2026, 11, 1), today=dt.date(2026, 12, 1)) == 30
    assert rules.days_waiting(filed_on=None, today=dt.date(2026, 12, 1)) is None


def test_no_interview_before_the_session_day():
    day = dt.date(2026, 12, 10)
    assert rules.may_interview(session_date=day, today=day) == []
    assert rules.may_interview(session_date=day, today=dt.date(2026, 12, 11)) == []
    assert (
        "10 décembre 2026" in rules.may_interview(session_date=day, today=dt.date(2026, 12, 9))[0]
    )
