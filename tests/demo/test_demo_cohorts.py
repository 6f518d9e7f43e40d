"""The demo's promotions: two past promotions decided through the services on a clock
moved to the past, and their holders' surveys, so that every table shows something."""

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cohorts import dashboard, promotions
from cohorts.enums import AccessPath, HolderKind
from cohorts.models import FollowUpSurvey
from cohorts.rules import SMALL_NUMBERS
from demo.cohorts import EARLIER, GAVE_UP, LATER
from jury.models import Deliberation
from tests.accounts import log_in
from vae.enums import CandidacyState, Role, Transition
from vae.models import AcquiredBloc, Candidacy, CandidacyTransition, User


def test_two_past_promotions_and_the_current_one(demo):
    today = timezone.localdate()
    table = promotions.promotion_table(1)
    years = [figures.promotion.year for figures in table]
    assert years[:3] == sorted(years[:3], reverse=True)
    past = [f for f in table if f.promotion.year < today.year]
    assert len(past) >= 2
    by_count = {f.path(AccessPath.VAE).presented: f for f in past}
    earlier, later = by_count[len(EARLIER)], by_count[len(LATER)]
    assert earlier.promotion.year < later.promotion.year
    for figures, holders in ((earlier, (5, 1)), (later, (6, 1))):
        vae = figures.path(AccessPath.VAE)
        assert (vae.holders_total, vae.holders_partial) == holders
        assert not figures.path(AccessPath.TRAINING).measured
    six, twenty_four = later.path(AccessPath.VAE).waves
    # One year ago: the 24-month surveys are made (by the decisions), not sent yet.
    assert twenty_four.insertion.counts.sent == 0
    assert str(twenty_four.insertion.counts.employment_rate) == "—"
    counts = six.insertion.counts
    assert (counts.sent, counts.respondents, counts.neutralised) == (7, 6, 1)
    assert counts.without_consent == 1
    assert counts.employment_rate.shown and counts.targeted_job_rate.percent == 80
    earlier_six, earlier_24 = earlier.path(AccessPath.VAE).waves
    assert str(earlier_six.insertion.counts.employment_rate) == SMALL_NUMBERS
    assert earlier_24.insertion.counts.refused == 1


def test_the_history_is_dated_in_the_past_by_the_services(demo):
    today = timezone.localdate()
    for story, days in ((EARLIER[0], 700), (LATER[0], 330)):
        candidacy = Candidacy.objects.get(candidate__email=story.email)
        decision = Deliberation.objects.get(slot__candidacy=candidacy)
        assert timezone.localdate(decision.decided_at) < today - dt.timedelta(days=days)
        decided = CandidacyTransition.objects.get(candidacy=candidacy, transition=Transition.DECIDE)
        assert decided.created_at == decision.decided_at
        acquired = AcquiredBloc.objects.get(candidacy=candidacy)
        assert acquired.acquired_on == timezone.localdate(decision.decided_at)
        # Recevable, reviewed, then convoked and heard: the phases take time.
        first = candidacy.transitions.order_by("created_at").first()
        assert (decision.decided_at - first.created_at).days >= 55


def test_two_candidates_give_up_at_different_steps_months_after_recevability(demo):
    left_from = []
    for story in GAVE_UP:
        candidacy = Candidacy.objects.get(candidate__email=story.email)
        rows = list(candidacy.transitions.order_by("created_at", "pk"))
        accepted = next(row for row in rows if row.transition == Transition.ACCEPT_ELIGIBILITY)
        withdrawn = rows[-1]
        assert withdrawn.transition == Transition.WITHDRAW
        assert withdrawn.actor == candidacy.candidate
        days = timezone.localdate(withdrawn.created_at) - timezone.localdate(accepted.created_at)
        assert days.days >= 45
        left_from.append(withdrawn.source_state)
    assert left_from == [CandidacyState.ELIGIBLE, CandidacyState.DOSSIER_SUBMITTED]


def test_every_holder_has_the_surveys_due_and_no_refused_candidate_has_one(demo):
    stories = (*EARLIER, *LATER)
    surveys = FollowUpSurvey.objects.filter(
        candidacy__candidate__email__in=[s.email for s in stories]
    ).select_related("candidacy__candidate", "wave")
    holders = {s.email for s in stories if s.outcome != "refusal"}
    # Made by the decisions themselves (cohorts.services), one per wave.
    assert {s.candidacy.candidate.email for s in surveys} == holders
    assert surveys.count() == 2 * len(holders)
    today = timezone.localdate()
    due = [survey for survey in surveys if survey.due_on <= today]
    assert {s.holder_kind for s in due} == {HolderKind.TOTAL, HolderKind.PARTIAL}
    for survey in surveys:
        # Sent by send_reminders on its day, never before.
        assert bool(survey.sent_at) == (survey.due_on <= today)
        if survey.sent_at:
            assert timezone.localdate(survey.sent_at) == survey.due_on
        assert survey.decided_on == timezone.localdate(
            Deliberation.objects.get(slot__candidacy=survey.candidacy).decided_at
        )
    assert surveys.filter(refused_at__isnull=False).count() == 1
    silent = surveys.filter(sent_at__isnull=False, answered_at__isnull=True, refused_at=None)
    (reminded,) = silent
    assert (reminded.reminded_at - reminded.sent_at).days == reminded.wave.reminder_after_days


def test_the_certifier_reads_and_downloads_them(client, demo):
    certifier = User.objects.get(email="certificateur@demo.vae.local")
    assert certifier.has_role(Role.CERTIFIER)
    log_in(client, certifier)
    page = client.get(reverse("cohorts_admin:promotions")).content.decode()
    assert "Enquête à 24 mois" in page and "aucune donnée" in page
    download = client.get(reverse("cohorts_admin:promotions_export", args=["insertion.xlsx"]))
    assert download.status_code == 200 and download.content.startswith(b"PK")


def test_running_the_demo_again_changes_nothing(demo):
    before = (
        Candidacy.objects.count(),
        Deliberation.objects.count(),
        sorted(FollowUpSurvey.objects.values_list("pk", "answered_at", "refused_at")),
    )
    call_command("demo", stdout=io.StringIO())
    after = (
        Candidacy.objects.count(),
        Deliberation.objects.count(),
        sorted(FollowUpSurvey.objects.values_list("pk", "answered_at", "refused_at")),
    )
    assert after == before


def test_the_dashboard_reads_how_long_each_phase_takes(demo):
    """Every demo story walks its steps on their days (``demo.timeline``): over the
    dashboard's default period, each phase up to the interview lasts days or weeks, and
    the period's median and 90th percentile of the longest one differ."""
    board = dashboard.dashboard(dashboard.default_filters())
    durations = {(d.source, d.target): d for d in board.overall.durations if d.days}
    S = CandidacyState
    for phase in (
        (S.ELIGIBLE, S.DOSSIER_SUBMITTED),
        (S.DOSSIER_SUBMITTED, S.REVIEWED),
        (S.REVIEWED, S.JURY_SCHEDULED),
        (S.JURY_SCHEDULED, S.INTERVIEWED),
    ):
        assert dashboard.percentile(durations[phase].days, 0.5) >= 5, phase
    writing = durations[(S.ELIGIBLE, S.DOSSIER_SUBMITTED)].days
    assert 60 <= dashboard.percentile(writing, 0.5) < dashboard.percentile(writing, 0.9)
    withdrawn_from = {state for state, count in board.overall.withdrawals.items() if count}
    assert withdrawn_from >= {S.ELIGIBLE, S.DOSSIER_SUBMITTED}
