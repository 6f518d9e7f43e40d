"""The process dashboard's read model (cohorts.paths): a candidacy's path folded from its
transition log, kept by every transition, and checked against the log before the
dashboard reads it."""

import datetime as dt

import pytest
from django.utils import timezone

from cohorts import paths
from cohorts.dashboard import Filters, Quarter, dashboard
from cohorts.models import CandidacyPath
from tests.cohorts.dashboard_support import journey, moment, unfolded_row
from tests.factories import CandidacyFactory, UserFactory
from vae import services
from vae.enums import CandidacyState, Role, Transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentiel")]

S = CandidacyState
T = Transition
D = dt.date
TODAY = D(2026, 11, 20)
H1_2026 = Filters(Quarter(2026, 1), Quarter(2026, 2))


def test_fold_tells_the_path_from_the_rows_in_order():
    rows = [
        (1, T.SUBMIT_ELIGIBILITY, S.DRAFT, S.ELIGIBILITY_SUBMITTED, D(2026, 1, 5)),
        (2, T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, S.ELIGIBLE, D(2026, 1, 10)),
        (3, T.SUBMIT_DOSSIER, S.ELIGIBLE, S.DOSSIER_SUBMITTED, D(2026, 3, 1)),
        (4, T.RETURN_DOSSIER, S.DOSSIER_SUBMITTED, S.ELIGIBLE, D(2026, 3, 8)),
        (7, T.SUBMIT_DOSSIER, S.ELIGIBLE, S.DOSSIER_SUBMITTED, D(2026, 3, 20)),
        (6, T.WITHDRAW, S.DOSSIER_SUBMITTED, S.WITHDRAWN, D(2026, 4, 2)),
    ]
    path = paths.fold(rows)
    assert path["last_row"] == 7  # the highest row, whatever the order of the moments
    assert path["accepted_on"] == D(2026, 1, 10)
    assert path["state"] == S.WITHDRAWN
    assert path["withdrawn_from"] == S.DOSSIER_SUBMITTED
    # The phase starts at its first arrival; the legal delay runs from the last filing.
    assert path["eligible_on"] == D(2026, 1, 10)
    assert path["submitted_on"] == D(2026, 3, 1)
    assert path["filed_on"] == D(2026, 3, 20)
    assert path["reviewed_on"] is None and path["decided_on"] is None


def test_fold_of_a_candidacy_never_found_recevable():
    path = paths.fold([(5, T.SUBMIT_ELIGIBILITY, S.DRAFT, S.ELIGIBILITY_SUBMITTED, D(2026, 1, 5))])
    assert path["last_row"] == 5
    assert path["accepted_on"] is None and path["state"] == ""


def test_the_last_recevabilite_gives_the_quarter():
    rows = [
        (1, T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, S.ELIGIBLE, D(2026, 1, 10)),
        (2, T.WITHDRAW, S.ELIGIBLE, S.WITHDRAWN, D(2026, 2, 1)),
        (3, T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, S.ELIGIBLE, D(2026, 5, 4)),
    ]
    path = paths.fold(rows)
    assert path["accepted_on"] == D(2026, 5, 4)
    assert path["state"] == S.ELIGIBLE
    assert path["eligible_on"] == D(2026, 1, 10)


def test_every_transition_moves_the_path_in_its_own_transaction():
    certifier = UserFactory(role=Role.CERTIFIER)
    candidacy = CandidacyFactory(
        state=S.ELIGIBILITY_SUBMITTED,
        eligible_until=timezone.localdate() + dt.timedelta(days=30),
    )
    services.accept_eligibility(candidacy=candidacy, by=certifier)
    path = CandidacyPath.objects.get(candidacy=candidacy)
    assert path.state == S.ELIGIBLE
    assert path.accepted_on == path.eligible_on == timezone.localdate()
    entry = services.withdraw(candidacy=candidacy, by=certifier)
    path.refresh_from_db()
    assert (path.state, path.withdrawn_from, path.last_row) == (S.WITHDRAWN, S.ELIGIBLE, entry.pk)


def test_the_dashboard_folds_again_a_path_its_log_has_left_behind(certifier):
    candidacy, _moments = journey(certifier, accepted_on=D(2026, 2, 2), gaps=(10,))
    assert dashboard(H1_2026, today=TODAY).overall.states == {S.DOSSIER_SUBMITTED: 1}
    # A row the path has not folded (written without a transition), and a path missing.
    entry = unfolded_row(
        candidacy, certifier, T.WITHDRAW, S.DOSSIER_SUBMITTED, S.WITHDRAWN, moment(D(2026, 3, 1))
    )
    other, _moments = journey(certifier, accepted_on=D(2026, 4, 6))
    CandidacyPath.objects.filter(candidacy=other).delete()
    board = dashboard(H1_2026, today=TODAY)
    assert board.overall.states == {S.WITHDRAWN: 1, S.ELIGIBLE: 1}
    assert board.overall.withdrawals == {S.DOSSIER_SUBMITTED: 1}
    assert CandidacyPath.objects.get(candidacy=candidacy).last_row == entry.pk
    assert CandidacyPath.objects.filter(candidacy=other).exists()
    # Nothing left to fold: nothing written.
    assert paths.refresh_stale(CandidacyPath.objects.values("candidacy_id")) == 0


def test_a_recevabilite_just_after_midnight_counts_in_its_local_day_s_quarter(certifier):
    # 31 March 22:30 UTC is 1 April 00:30 in Paris: the second quarter.
    journey(certifier, accepted_on=D(2026, 3, 31))
    late = CandidacyFactory(state=S.ELIGIBLE, livret=None, dossier=None)
    unfolded_row(
        late,
        certifier,
        T.ACCEPT_ELIGIBILITY,
        S.ELIGIBILITY_SUBMITTED,
        S.ELIGIBLE,
        dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),
    )
    first, second = dashboard(H1_2026, today=TODAY).quarters
    assert (first.total, second.total) == (1, 1)
    assert CandidacyPath.objects.get(candidacy=late).accepted_on == D(2026, 4, 1)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 1, 31), D(2026, 3, 1), 29),
        (D(2025, 12, 20), D(2026, 1, 4), 15),
        (D(2026, 3, 28), D(2026, 3, 30), 2),  # over the change to summer time
        (D(2026, 5, 5), D(2026, 5, 5), 0),
        (D(2026, 5, 5), None, None),
    ],
)
def test_days_between_is_told_by_the_database(certifier, start, end, days):
    candidacy, _moments = journey(certifier, accepted_on=start)
    CandidacyPath.objects.filter(candidacy=candidacy).update(submitted_on=end)
    assert (
        CandidacyPath.objects.filter(candidacy=candidacy)
        .values_list(paths.DaysBetween("submitted_on", "eligible_on"), flat=True)
        .get()
        == days
    )
