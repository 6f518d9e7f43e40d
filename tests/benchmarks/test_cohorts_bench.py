"""Figures for the certifier's process dashboard (issue 16) on 10,000 candidacies found
recevables over the last eight quarters, with their transition logs (about 70,000 rows),
their decisions, consolidated ratings, grids and jury revisions. Target: the page (test
client, certifier) renders in under 1 s; its query count is printed. The page is measured
with everything computed (cache emptied), as it is read most of the time (cached), and
just after one transition and after one consolidation (the sections that write changed,
computed again). The page draws no chart: each is an image at its own URL, timed apart
(drawn, and read from the cache), and with the page that links to them.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). Not collected by ``make test``. The data are rows written in bulk (fixed seed),
not walked through the services: what the dashboard reads, at the issue's scale.
"""

import datetime as dt
import os
import random
import statistics
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from cohorts import paths, report_document
from cohorts.charts import dashboard_charts
from cohorts.dashboard import dashboard, default_filters
from config.worker import ready_to_serve
from jury.enums import DecisionResult, Modality, SessionStatus, SlotStatus
from jury.models import (
    DecidedBloc,
    Deliberation,
    InterviewRecord,
    JurySession,
    RatingRevision,
    Slot,
)
from referentiel.enums import Rating
from referentiel.models import Certification
from review.enums import AssignmentStatus
from review.models import Assignment, CompetenceRating, ConsolidatedRating
from tests.accounts import log_in
from tests.cohorts.dashboard_support import chart_urls, get_charts
from tests.factories import PANEL, EvaluatorFactory
from vae.enums import CandidacyState, Role, Transition
from vae.models import Candidacy, CandidacyTransition, User

# Committed, as in production: the first view of a period reads its sections each on its
# own connection (vae.aside), which sees only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)

SEED = 20261216
CANDIDACIES = int(os.environ.get("VAE_BENCH_COHORTS", "10000"))
GRIDS = 800  # dossiers with their four evaluators' grids (the kappa's data)
BATCH = 2000
RUNS = 7
S = CandidacyState
T = Transition
STEPS = (
    (T.SUBMIT_DOSSIER, S.ELIGIBLE, S.DOSSIER_SUBMITTED, (20, 120)),
    (T.START_REVIEW, S.DOSSIER_SUBMITTED, S.UNDER_REVIEW, (1, 10)),
    (T.COMPLETE_REVIEW, S.UNDER_REVIEW, S.REVIEWED, (15, 40)),
    (T.SCHEDULE_JURY, S.REVIEWED, S.JURY_SCHEDULED, (5, 20)),
    (T.RECORD_INTERVIEW, S.JURY_SCHEDULED, S.INTERVIEWED, (10, 45)),
    (T.DECIDE, S.INTERVIEWED, S.DECIDED, (0, 25)),
)
# How far each candidacy goes after its recevabilité (steps taken), by weight.
DEPTHS = (0, 1, 2, 3, 4, 5, 6)
DEPTH_WEIGHTS = (10, 8, 7, 6, 5, 4, 60)
WITHDRAWN = 0.2  # of those that stop before the decision
RATINGS = (Rating.ACQUIRED, Rating.PARTIAL, Rating.NOT_ACQUIRED)
# Justifications as long as the evaluators write them (a sentence or two): the rating
# tables' rows are read as wide as they are in use.
JUSTIFICATIONS = (
    "Le candidat décrit le montage du budget prévisionnel d'un long métrage et le suivi du "
    "coût définitif ; le budget et le plan de trésorerie joints le confirment.",
    "Les bulletins de paie et les DPAE fournis montrent une gestion régulière des "
    "intermittents ; les congés spectacles restent à approfondir en entretien.",
    "Le récit reste général sur le crédit d'impôt : aucune pièce ne montre le dossier "
    "d'agrément du CNC ni le suivi des dépenses éligibles.",
    "Clôture des comptes d'une série de huit épisodes décrite pas à pas, avec le "
    "rapprochement bancaire et l'état des dépenses remis au diffuseur.",
)


def _at(day: dt.date, minutes: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9))) + dt.timedelta(minutes=minutes)


def _generate(certifier) -> dict:
    """The candidacies and everything the dashboard reads, in bulk; returns counts."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    certification = Certification.objects.current()
    blocs = list(certification.blocs.order_by("code"))
    competences = [
        (competence, bloc)
        for bloc in blocs
        for activity in bloc.activities.all()
        for competence in activity.competences.all()
    ]
    # Some compétences fail more often than others: what the table puts first.
    weakness = {c.pk: rng.choice((0.02, 0.05, 0.1, 0.2)) for c, _bloc in competences}
    users = User.objects.bulk_create(
        (
            User(email=f"cohorte-{i}@exemple.fr", password="!", last_name=f"Cohorte{i}")
            for i in range(CANDIDACIES)
        ),
        batch_size=BATCH,
    )
    # Sessions every fortnight over the dashboard's default period, held when past.
    first_day = default_filters(today).first.start
    span = (today - first_day).days
    sessions = JurySession.objects.bulk_create(
        JurySession(
            certification=certification,
            date=first_day + dt.timedelta(days=14 * n),
            start_time=dt.time(8),
            end_time=dt.time(20),
            modality=Modality.ON_SITE,
            address="CPNEF de l'audiovisuel, 75009 Paris",
            status=SessionStatus.HELD
            if first_day + dt.timedelta(days=14 * n) < today
            else SessionStatus.PLANNED,
            created_by=certifier,
        )
        for n in range(span // 14 + 10)
    )
    plans = []
    for user in users:
        accepted = first_day + dt.timedelta(days=rng.randrange(0, span))
        depth = rng.choices(DEPTHS, DEPTH_WEIGHTS)[0]
        moments = [_at(accepted - dt.timedelta(days=rng.randrange(5, 40))), _at(accepted)]
        rows = [
            (T.SUBMIT_ELIGIBILITY, S.DRAFT, S.ELIGIBILITY_SUBMITTED),
            (T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, S.ELIGIBLE),
        ]
        session = None
        for transition, source, target, (low, high) in STEPS[:depth]:
            when = moments[-1] + dt.timedelta(days=rng.randint(low, high))
            if transition == T.RECORD_INTERVIEW:
                # The interview on the next session's day.
                index = (when.date() - first_day).days // 14 + 1
                session = sessions[min(index, len(sessions) - 1)]
                when = _at(session.date, 60)
            if when.date() >= today:
                break
            rows.append((transition, source, target))
            moments.append(when)
        if len(rows) < 8 and rng.random() < WITHDRAWN:
            rows.append((T.WITHDRAW, rows[-1][2], S.WITHDRAWN))
            moments.append(moments[-1] + dt.timedelta(days=rng.randint(1, 30)))
        plans.append((user, rows, moments, session if len(rows) >= 7 else None))
    candidacies = Candidacy.objects.bulk_create(
        (
            Candidacy(
                candidate=user,
                certification=certification,
                certification_code=certification.code,
                state=rows[-1][2],
                state_changed_at=moments[-1],
                eligible_until=moments[1].date() + dt.timedelta(days=1095),
            )
            for user, rows, moments, _session in plans
        ),
        batch_size=BATCH,
    )
    Candidacy.targeted_blocs.through.objects.bulk_create(
        (
            Candidacy.targeted_blocs.through(candidacy_id=c.pk, bloc_id=bloc.pk)
            for c in candidacies
            for bloc in blocs
        ),
        batch_size=BATCH,
    )
    CandidacyTransition.objects.bulk_create(
        (
            CandidacyTransition(
                candidacy=candidacy,
                transition=transition,
                source_state=source,
                target_state=target,
                actor=certifier if transition not in (T.SUBMIT_ELIGIBILITY,) else plan[0],
                actor_role=Role.CANDIDATE
                if transition in (T.SUBMIT_ELIGIBILITY, T.SUBMIT_DOSSIER, T.WITHDRAW)
                else Role.CERTIFIER,
                created_at=moment,
            )
            for candidacy, plan in zip(candidacies, plans, strict=True)
            for (transition, source, target), moment in zip(plan[1], plan[2], strict=True)
        ),
        batch_size=BATCH,
    )
    reviewed = [
        (candidacy, plan)
        for candidacy, plan in zip(candidacies, plans, strict=True)
        if any(row[2] == S.REVIEWED for row in plan[1])
    ]
    consolidated = {}
    rows = []
    for candidacy, _plan in reviewed:
        for competence, _bloc in competences:
            draw = rng.random()
            weak = weakness[competence.pk]
            rating = (
                Rating.NOT_ACQUIRED
                if draw < weak / 2
                else Rating.PARTIAL
                if draw < weak * 2
                else Rating.ACQUIRED
            )
            consolidated[(candidacy.pk, competence.pk)] = rating
            rows.append(
                ConsolidatedRating(
                    candidacy=candidacy,
                    competence=competence,
                    rating=rating,
                    justification=rng.choice(JUSTIFICATIONS),
                    decided_by=certifier,
                )
            )
    ConsolidatedRating.objects.bulk_create(rows, batch_size=BATCH)
    evaluators = [EvaluatorFactory(category=category) for category in PANEL]
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(
                candidacy=candidacy,
                evaluator=evaluator,
                category=category,
                status=AssignmentStatus.ACTIVE,
                assigned_by=certifier,
                declared_at=timezone.now(),
                grid_submitted_at=timezone.now(),
            )
            for candidacy, _plan in reviewed[:GRIDS]
            for evaluator, category in zip(evaluators, PANEL, strict=True)
        ),
        batch_size=BATCH,
    )
    CompetenceRating.objects.bulk_create(
        (
            CompetenceRating(
                assignment=assignment,
                competence=competence,
                # Mostly the consolidated rating, sometimes one step off.
                rating=consolidated[(assignment.candidacy_id, competence.pk)]
                if rng.random() < 0.8
                else rng.choice(RATINGS),
                justification=rng.choice(JUSTIFICATIONS),
            )
            for assignment in assignments
            for competence, _bloc in competences
        ),
        batch_size=BATCH,
    )
    heard = [
        (candidacy, plan) for candidacy, plan in zip(candidacies, plans, strict=True) if plan[3]
    ]
    starts = {}
    slots = []
    for candidacy, plan in heard:
        session = plan[3]
        k = starts[session.pk] = starts.get(session.pk, -1) + 1
        slots.append(
            Slot(
                session=session,
                candidacy=candidacy,
                start=dt.time(8 + k // 60, k % 60),
                duration_minutes=1,
                status=SlotStatus.INTERVIEWED,
                created_by=certifier,
            )
        )
    slots = Slot.objects.bulk_create(slots, batch_size=BATCH)
    decided = [
        (slot, plan)
        for slot, (_candidacy, plan) in zip(slots, heard, strict=True)
        if plan[1][-1][2] == S.DECIDED
    ]
    deliberations = Deliberation.objects.bulk_create(
        (
            Deliberation(slot=slot, result=DecisionResult.TOTAL, decided_at=plan[2][-1])
            for slot, plan in decided
        ),
        batch_size=BATCH,
    )
    DecidedBloc.objects.bulk_create(
        (
            DecidedBloc(
                deliberation=deliberation,
                bloc=bloc,
                computed_validated=(ok := rng.random() < (0.7 if bloc.code == "BC2" else 0.88)),
                validated=ok,
            )
            for deliberation in deliberations
            for bloc in blocs
        ),
        batch_size=BATCH,
    )
    revised = [slot for slot, _plan in decided if rng.random() < 0.15]
    records = InterviewRecord.objects.bulk_create(
        (InterviewRecord(slot=slot, attendance="present") for slot in revised), batch_size=BATCH
    )
    RatingRevision.objects.bulk_create(
        (
            RatingRevision(
                record=record,
                competence=competence,
                from_rating=consolidated.get((record.slot.candidacy_id, competence.pk), ""),
                to_rating=rng.choice(RATINGS),
                reason="Précisé à l'entretien.",
                created_by=certifier,
            )
            for record in records
            for competence, _bloc in rng.sample(competences, 2)
        ),
        batch_size=BATCH,
    )
    return {
        "candidacies": len(candidacies),
        "transitions": CandidacyTransition.objects.count(),
        "consolidated ratings": len(rows),
        "evaluator ratings": len(assignments) * len(competences),
        "decisions": len(deliberations),
        "jury revisions": RatingRevision.objects.count(),
    }


def _withdraw(candidacy_id: int, certifier):
    """One step of the workflow, as the service writes it: a transition row and the state."""
    CandidacyTransition.objects.create(
        candidacy_id=candidacy_id,
        transition=T.WITHDRAW,
        source_state=S.UNDER_REVIEW,
        target_state=S.WITHDRAWN,
        actor=certifier,
        actor_role=Role.CERTIFIER,
    )
    Candidacy.objects.filter(pk=candidacy_id).update(state=S.WITHDRAWN)


def _reconsolidate(pk: int):
    """The certifier settles one compétence of a dossier again."""
    ConsolidatedRating.objects.filter(pk=pk).update(
        rating=Rating.PARTIAL, decided_at=timezone.now()
    )


def _clear_caches():
    # The dashboard's (shared, a table by default) and the process's own.
    for alias in caches:
        caches[alias].clear()


def _timed(func, runs=RUNS, before=None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def _print(label, times):
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]
    print(
        f"{label:<55} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms"
        f"   ({len(times)} runs)"
    )


def test_dashboard_figures(client, referentiel, certifier):
    print(f"\nload average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    start = time.perf_counter()
    counts = _generate(certifier)
    print(f"{'data generated in':<55} {time.perf_counter() - start:8.1f} s")
    if connection.vendor == "postgresql":
        # The rows are written inside the test's transaction, which autovacuum never sees:
        # without statistics PostgreSQL takes each table for empty and plans nested loops
        # (one quarter's read: 306 s). A production database is analysed by autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("ANALYZE run (PostgreSQL: what autovacuum does in production)")
    for label, count in counts.items():
        print(f"  {label:<53} {count:8d}")
    # The rows were written in bulk, not by transitions: no path is folded yet. Folding
    # them all is what the first dashboard read does once after the upgrade that brings
    # the read model; from then on each transition folds its own.
    start = time.perf_counter()
    folded = paths.refresh_stale(Candidacy.objects.values("pk"))
    print(
        f"{'paths folded from the log, once':<55} {time.perf_counter() - start:8.1f} s ({folded})"
    )
    # What every web worker does before its first request (config.wsgi): its start-up
    # objects frozen, so that a full collection inside a request walks only what requests
    # made. Here they include the generated rows' leftovers, which a worker never holds.
    print(f"{'objects frozen, as a worker does at start-up':<55} {ready_to_serve():8d}")
    log_in(client, certifier)
    url = reverse("cohorts_admin:dashboard")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    print(f"{'queries of the dashboard page':<55} {len(queries):8d}")
    filters = default_filters()
    board = dashboard(filters)
    assert board.overall.total == CANDIDACIES
    with CaptureQueriesContext(connection) as computed:
        dashboard(filters)
    print(f"{'queries of the computation (cohorts.dashboard.dashboard)':<55} {len(computed):8d}")
    for query in sorted(computed.captured_queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:90]}")
    _print("dashboard selectors (cohorts.dashboard.dashboard)", _timed(lambda: dashboard(filters)))
    _print(
        "the nine charts, drawn (cache emptied)",
        _timed(lambda: dashboard_charts(board), before=_clear_caches, runs=3),
    )
    # The page computes its figures and draws no chart: each chart is an image at its
    # own URL, which the browser asks for once it has the page (cohorts.charts).
    _print(
        "GET the dashboard, figures computed (cache emptied), < 1 s",
        _timed(lambda: client.get(url), before=_clear_caches),
    )
    with override_settings(VAE_READERS=0):
        _print(
            "  the same, its sections read in turn (VAE_READERS=0)",
            _timed(lambda: client.get(url), before=_clear_caches),
        )
    chart_requests, whole = [], []
    for _ in range(RUNS):
        _clear_caches()
        start = time.perf_counter()
        page = client.get(url)
        for chart_url in chart_urls(page):
            begun = time.perf_counter()
            assert client.get(chart_url).status_code == 200
            chart_requests.append((time.perf_counter() - begun) * 1000)
        whole.append((time.perf_counter() - start) * 1000)
    _print("  then one chart's request (figures cached, chart drawn)", sorted(chart_requests))
    _print("  the page and its nine charts, one request after another", sorted(whole))
    # The figures and the charts are cached by the version of what they read: the page as
    # it is read most of the time (the workflow moves a few times a day).
    _print("GET the dashboard, figures cached, < 1 s", _timed(lambda: client.get(url)))
    urls = chart_urls(client.get(url))
    _print(
        "  one chart's request at its version (cached)",
        sorted(t for chart_url in urls for t in _timed(lambda u=chart_url: client.get(u), runs=3)),
    )
    # The page as the certifier finds it after the workflow moved: each section is cached
    # apart and each chart by its data, so a write costs the sections and charts it changes.
    moving = iter(
        Candidacy.objects.filter(state=S.UNDER_REVIEW).order_by("pk").values_list("pk", flat=True)
    )
    _print(
        "GET the dashboard after one transition, < 1 s",
        _timed(lambda: client.get(url), before=lambda: _withdraw(next(moving), certifier)),
    )
    consolidations = iter(ConsolidatedRating.objects.order_by("pk").values_list("pk", flat=True))
    _print(
        "GET the dashboard after one consolidation, < 1 s",
        _timed(lambda: client.get(url), before=lambda: _reconsolidate(next(consolidations))),
    )
    _print(
        "the page and its nine charts after one transition",
        _timed(
            lambda: get_charts(client, client.get(url)),
            before=lambda: _withdraw(next(moving), certifier),
        ),
    )
    bloc = {"du": filters.first.code, "au": filters.last.code, "bloc": "BC2"}
    client.get(url, bloc)
    _print("GET the dashboard, bloc BC2, cached", _timed(lambda: client.get(url, bloc)))
    document = report_document.request_report(filters)
    _print(
        "render the PDF report (in its task, figures cached)",
        _timed(lambda: report_document.render(document), runs=1),
    )
