"""Test data of the process dashboard, as rows: a candidacy's transition log with chosen
dates (``journey``), its panel's grids, its consolidation, its interview with the jury's
revisions and its signed decision. Not a test module."""

import datetime as dt
import html
import itertools
import re

from django.utils import timezone

from cohorts import charts, dashboard, paths
from jury.enums import Attendance, DecisionResult, SessionStatus, SlotStatus
from jury.models import DecidedBloc, Deliberation, InterviewRecord, RatingRevision
from review.models import ConsolidatedRating
from tests.factories import CandidacyFactory, make_panel, make_session, make_slot
from tests.factories.review import rate_all
from vae.enums import CandidacyState, Role, Transition
from vae.models import CandidacyTransition

S = CandidacyState
T = Transition

# The workflow's way after the recevabilité: each step's transition and states.
STEPS = (
    (T.SUBMIT_DOSSIER, S.ELIGIBLE, S.DOSSIER_SUBMITTED),
    (T.START_REVIEW, S.DOSSIER_SUBMITTED, S.UNDER_REVIEW),
    (T.COMPLETE_REVIEW, S.UNDER_REVIEW, S.REVIEWED),
    (T.SCHEDULE_JURY, S.REVIEWED, S.JURY_SCHEDULED),
    (T.RECORD_INTERVIEW, S.JURY_SCHEDULED, S.INTERVIEWED),
    (T.DECIDE, S.INTERVIEWED, S.DECIDED),
)
_starts = itertools.count()


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def journey(certifier, *, accepted_on: dt.date, gaps=(), withdraw=False, blocs=None):
    """A candidacy found recevable on ``accepted_on`` that then took the next
    ``len(gaps)`` steps of ``STEPS``, each ``gaps[i]`` days after the previous one, and
    was withdrawn a day after its last step when ``withdraw``; its log as rows, its
    state the last step's. Returns the candidacy and the moment of each row."""
    rows = [(T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, S.ELIGIBLE, moment(accepted_on))]
    when = moment(accepted_on)
    for (transition, source, target), gap in zip(STEPS, gaps, strict=False):
        when += dt.timedelta(days=gap)
        rows.append((transition, source, target, when))
    if withdraw:
        rows.append((T.WITHDRAW, rows[-1][2], S.WITHDRAWN, when + dt.timedelta(days=1)))
    candidacy = CandidacyFactory(state=rows[-1][2], livret=None, dossier=None)
    candidacy.targeted_blocs.set(
        candidacy.certification.blocs.filter(code__in=blocs)
        if blocs
        else candidacy.certification.blocs.all()
    )
    CandidacyTransition.objects.bulk_create(
        CandidacyTransition(
            candidacy=candidacy,
            transition=transition,
            source_state=source,
            target_state=target,
            actor=certifier,
            actor_role=Role.CERTIFIER,
            created_at=created_at,
        )
        for transition, source, target, created_at in rows
    )
    # As a transition's effect does (``cohorts.paths``): the dashboard finds its path
    # ready, the way it finds it after the workflow moved.
    paths.refresh([candidacy.pk])
    return candidacy, [row[3] for row in rows]


def unfolded_row(candidacy, certifier, transition, source, target, created_at):
    """A log row written without a transition: the candidacy's path has not folded it
    (the dashboard finds it behind its log)."""
    return CandidacyTransition.objects.create(
        candidacy=candidacy,
        transition=transition,
        source_state=source,
        target_state=target,
        actor=certifier,
        actor_role=Role.CERTIFIER,
        created_at=created_at,
    )


def grids(candidacy, ratings=("acquis", "acquis", "acquis", "partiel")):
    """The four evaluators' grids in, evaluator i rating every compétence ``ratings[i]``."""
    assignments = make_panel(candidacy)
    competences = candidacy.targeted_competences()
    for assignment, rating in zip(assignments, ratings, strict=True):
        rate_all(assignment, competences, rating)
        type(assignment).objects.filter(pk=assignment.pk).update(grid_submitted_at=timezone.now())


def consolidate(candidacy, certifier, ratings=None):
    """A consolidated rating of every targeted compétence: « acquis » unless ``ratings``
    (compétence code → rating) says otherwise."""
    ratings = ratings or {}
    ConsolidatedRating.objects.bulk_create(
        ConsolidatedRating(
            candidacy=candidacy,
            competence=competence,
            rating=ratings.get(competence.code, "acquis"),
            justification="Constaté dans le livret.",
            decided_by=certifier,
        )
        for competence in candidacy.targeted_competences()
    )


def held_session(certifier, day: dt.date):
    session = make_session(by=certifier, days_ahead=(day - timezone.localdate()).days)
    session.status = SessionStatus.HELD
    session.save(update_fields=["status"])
    return session


def decide(candidacy, session, certifier, *, decided_at, refused=(), revisions=None):
    """The candidacy heard in ``session`` and its decision signed at ``decided_at``: every
    targeted bloc validated but those of ``refused`` (codes); ``revisions`` (compétence
    code → (from, to)) the jury's revised ratings."""
    start = next(_starts)
    slot = make_slot(
        candidacy,
        session,
        start=dt.time(8 + start // 60 % 10, start % 60),
        status=SlotStatus.INTERVIEWED,
    )
    record = InterviewRecord.objects.create(slot=slot, attendance=Attendance.PRESENT)
    competences = {c.code: c for c in candidacy.targeted_competences()}
    for code, (before, after) in (revisions or {}).items():
        RatingRevision.objects.create(
            record=record,
            competence=competences[code],
            from_rating=before,
            to_rating=after,
            reason="Précisé à l'entretien.",
            created_by=certifier,
        )
    blocs = list(candidacy.targeted_blocs.all())
    validated = [bloc for bloc in blocs if bloc.code not in refused]
    deliberation = Deliberation.objects.create(
        slot=slot,
        result=DecisionResult.TOTAL if len(validated) == len(blocs) else DecisionResult.PARTIAL,
        decided_at=decided_at,
    )
    DecidedBloc.objects.bulk_create(
        DecidedBloc(
            deliberation=deliberation,
            bloc=bloc,
            computed_validated=bloc.code not in refused,
            validated=bloc.code not in refused,
        )
        for bloc in blocs
    )
    return slot


def full_journey(certifier, session, *, accepted_on, gaps=(20, 5, 30, 10, 40, 5), **decision):
    """A candidacy taken from its recevabilité to its signed decision, with its grids,
    consolidation, interview (in ``session``) and decision."""
    candidacy, moments = journey(certifier, accepted_on=accepted_on, gaps=gaps)
    grids(candidacy)
    consolidate(candidacy, certifier, decision.pop("ratings", None))
    decide(candidacy, session, certifier, decided_at=moments[-1], **decision)
    return candidacy


def record_computations(monkeypatch) -> list[str]:
    """What the dashboard computes from here on rather than read from the cache, in
    order: the quarters of each workflow computation (« T1 2026, T2 2026 »; none when the
    cache held them all), « _agreement », « _results », and the slug of each chart
    drawn (« graphique-etats »)."""
    computed = []
    for module, name in (
        (dashboard, "_workflows"),
        (dashboard, "_agreement"),
        (dashboard, "_results"),
        (charts._Drawing, "svg"),
    ):
        compute = getattr(module, name)

        def recording(*args, name=name, compute=compute, **kwargs):
            if name == "svg":
                computed.append(args[0].slug)
            elif name != "_workflows":
                computed.append(name)
            elif args[0]:
                computed.append(", ".join(str(quarter) for quarter in args[0]))
            return compute(*args, **kwargs)

        monkeypatch.setattr(module, name, recording)
    return computed


def chart_urls(response) -> list[str]:
    """The addresses of the charts a dashboard page shows as images, in its order."""
    return [
        html.unescape(url)
        for url in re.findall(r'<img class="chart__svg" src="([^"]+)"', response.content.decode())
    ]


def get_charts(client, response) -> list:
    """What the browser does once it has the page: asks for each of its charts."""
    return [client.get(url) for url in chart_urls(response)]
