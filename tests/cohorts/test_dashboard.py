"""The process dashboard's figures on hand-built candidacies (cohorts.dashboard)."""

import datetime as dt

import pytest
from django.utils import timezone

from cohorts.dashboard import (
    Filters,
    Quarter,
    cached_dashboard,
    dashboard,
    default_filters,
    percentile,
)
from cohorts.models import CandidacyPath
from tests.cohorts.dashboard_support import (
    full_journey,
    held_session,
    journey,
    moment,
    unfolded_row,
)
from vae.enums import CandidacyState, Transition

S = CandidacyState
TODAY = dt.date(2026, 12, 2)
H1_2026 = Filters(Quarter(2026, 1), Quarter(2026, 2))

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(referentiel, certifier):
    session = held_session(certifier, dt.date(2026, 4, 25))
    decided = full_journey(
        certifier,
        session,
        accepted_on=dt.date(2026, 1, 10),
        refused=("BC2",),
        ratings={"C1.1": "partiel"},
        revisions={"C1.1": ("partiel", "non_acquis")},
    )
    withdrawn, _ = journey(certifier, accepted_on=dt.date(2026, 2, 15), gaps=(10,), withdraw=True)
    late, _ = journey(certifier, accepted_on=dt.date(2026, 4, 5), gaps=(30, 1, 60, 5))
    journey(certifier, accepted_on=dt.date(2026, 3, 1))
    journey(certifier, accepted_on=dt.date(2025, 12, 20), gaps=(10,))  # before the period
    return {"decided": decided, "withdrawn": withdrawn, "late": late}


def test_states_per_quarter_of_recevabilite(cohort):
    board = dashboard(H1_2026, today=TODAY)
    first, second = board.quarters
    assert first.states == {S.DECIDED: 1, S.WITHDRAWN: 1, S.ELIGIBLE: 1}
    assert second.states == {S.JURY_SCHEDULED: 1}
    assert board.overall.total == 4


def test_conversions_follow_each_phase_to_the_next(cohort):
    first, second = dashboard(H1_2026, today=TODAY).quarters
    assert [(c.reached, c.converted) for c in first.conversions] == [
        (3, 2),  # recevable → dossier déposé: the decided one and the withdrawn one
        (2, 1),
        (1, 1),
        (1, 1),
        (1, 1),
    ]
    assert first.conversions[0].text == "2/3 (67\u202f%)"
    assert [(c.reached, c.converted) for c in second.conversions][:3] == [(1, 1), (1, 1), (1, 1)]
    assert second.conversions[3].reached == 1 and second.conversions[3].converted == 0


def test_median_and_90th_percentile_days_in_each_phase(cohort):
    first = dashboard(H1_2026, today=TODAY).quarters[0]
    filing = first.durations[0]
    assert filing.days == [10.0, 20.0]
    assert filing.median == 15.0
    assert filing.p90 == pytest.approx(19.0)
    # dossier déposé → évalué: 5 + 30 days (the review started 5 days after the filing).
    assert first.durations[1].days == [35.0]
    assert first.durations[1].text == "35 jours / 35 jours"
    assert [d.days for d in first.durations[2:]] == [[10.0], [40.0], [5.0]]


def test_percentile_interpolates_between_ranks():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([float(n) for n in range(1, 11)], 0.9) == pytest.approx(9.1)


def test_withdrawals_say_where_they_happen(cohort):
    board = dashboard(H1_2026, today=TODAY)
    assert board.quarters[0].withdrawals == {S.DOSSIER_SUBMITTED: 1}
    assert board.quarters[1].withdrawals == {}
    assert board.overall.withdrawn == 1


def test_results_per_bloc_worst_first(cohort):
    blocs = dashboard(H1_2026, today=TODAY).blocs
    assert [(b.code, b.validated, b.refused) for b in blocs] == [
        ("BC2", 0, 1),
        ("BC1", 1, 0),
        ("BC3", 1, 0),
    ]


def test_results_per_competence_after_consolidation_and_after_the_jury(cohort):
    competences = dashboard(H1_2026, today=TODAY).competences
    worst = competences[0]
    assert worst.code == "C1.1"
    assert worst.consolidated.counts == [0, 1, 0]
    assert worst.after_jury.counts == [0, 0, 1]
    others = {row.code: row for row in competences[1:]}
    assert len(others) == 25
    assert others["C1.2"].consolidated.counts == [1, 0, 0] == others["C1.2"].after_jury.counts


def test_evaluator_agreement_per_quarter(cohort):
    first, second = dashboard(H1_2026, today=TODAY).quarters
    # Three evaluators say « acquis », one « partiel », on every compétence.
    assert first.kappa.subjects == 26
    assert first.kappa.value == pytest.approx(-1 / 3)
    assert first.kappa.reading == "désaccord"
    assert second.kappa.value is None and second.kappa.why_undefined == "aucun dossier"


def test_a_candidacy_found_recevable_again_after_the_period_counts_in_none_of_its_quarters(
    cohort, certifier
):
    # Its last recevabilité decides its quarter, for its workflow and for the agreement
    # alike (the agreement's grids are those of the decided dossier).
    unfolded_row(
        cohort["decided"],
        certifier,
        Transition.ACCEPT_ELIGIBILITY,
        S.ELIGIBILITY_SUBMITTED,
        S.ELIGIBLE,
        moment(dt.date(2026, 8, 3)),
    )
    first, second = dashboard(H1_2026, today=TODAY).quarters
    assert first.states == {S.WITHDRAWN: 1, S.ELIGIBLE: 1}
    assert first.kappa.value is None and first.kappa.why_undefined == "aucun dossier"
    assert second.kappa.value is None


def test_sessions_held_and_legal_delays(cohort):
    board = dashboard(H1_2026, today=TODAY)
    assert [row.sessions for row in board.quarters] == [0, 1]
    jury, notice = board.delays
    assert (jury.kept, jury.missed, jury.waiting) == (1, 1, 0)
    assert (notice.kept, notice.missed, notice.waiting) == (1, 0, 0)
    [missed] = board.missed
    assert missed.candidacy_id == cohort["late"].pk
    assert missed.reference == cohort["late"].reference
    assert missed.ended_on is None
    assert missed.deadline == dt.date(2026, 8, 5)
    assert missed.days_late == (TODAY - dt.date(2026, 8, 5)).days
    assert missed.url.endswith(f"/candidatures/{cohort['late'].pk}/")


def test_a_late_decision_misses_the_notification_delay(referentiel, certifier):
    session = held_session(certifier, dt.date(2026, 4, 25))
    # The decision signed 20 days after the interview.
    late = full_journey(
        certifier, session, accepted_on=dt.date(2026, 1, 10), gaps=(20, 5, 30, 10, 40, 20)
    )
    board = dashboard(H1_2026, today=TODAY)
    assert (board.delays[1].kept, board.delays[1].missed) == (0, 1)
    assert [(row.candidacy_id, row.ended_on) for row in board.missed] == [
        (late.pk, dt.date(2026, 5, 15))
    ]
    assert board.missed[0].days_late == 5


def test_the_bloc_filter_keeps_the_candidacies_that_target_it(cohort, certifier):
    journey(certifier, accepted_on=dt.date(2026, 2, 1), blocs=["BC3"])
    board = dashboard(Filters(Quarter(2026, 1), Quarter(2026, 2), bloc="BC3"), today=TODAY)
    assert board.overall.total == 5
    board = dashboard(Filters(Quarter(2026, 1), Quarter(2026, 2), bloc="BC1"), today=TODAY)
    assert board.overall.total == 4
    assert [b.code for b in board.blocs] == ["BC1"]
    assert {row.code[:3] for row in board.competences} == {"C1."}


def test_default_period_is_the_last_eight_quarters():
    filters = default_filters(TODAY)
    assert (filters.first, filters.last) == (Quarter(2025, 1), Quarter(2026, 4))
    assert len(filters.quarters) == 8
    assert Quarter.parse("2026-T3") == Quarter(2026, 3)
    assert Quarter.parse("2026-T5") is None
    assert Quarter.parse("T1 2026") is None
    assert Quarter.parse("\u0662\u0660\u0662\u0666-T1") is None  # Arabic-Indic digits


def test_the_quarters_the_cache_lacks_are_computed_together_as_one_by_one(cohort, certifier):
    period = Filters(Quarter(2025, 4), Quarter(2026, 2))
    before = cached_dashboard(period)
    # The workflow moves in the first and the last quarter, not in the one between.
    late = cohort["late"]
    state = CandidacyPath.objects.get(candidacy=late).state
    unfolded_row(
        late, certifier, Transition.WITHDRAW, state, S.WITHDRAWN, moment(dt.date(2026, 6, 1))
    )
    journey(certifier, accepted_on=dt.date(2025, 11, 3), gaps=(5,))
    again = cached_dashboard(period)
    assert again.quarters == dashboard(period, today=timezone.localdate()).quarters
    assert [row.total for row in again.quarters] == [2, 3, 1]
    assert again.quarters[1] == before.quarters[1]
    assert again.quarters[2].withdrawals == {state: 1}
