"""Promotions as rows, for the tables' tests: candidates heard by a jury on a given day
(decided or not), and follow-up surveys with their answers.

The survey rows are written with the ORM (the fields are the shared contract of
``cohorts.models``) until the survey services are on main."""

import datetime as dt
import itertools

from django.utils import timezone

from cohorts.enums import AccessPath, HolderKind, Situation
from cohorts.models import FollowUpSurvey, SurveyWave
from jury.enums import DecisionResult, SlotStatus
from jury.models import Deliberation, JurySession
from tests.factories import CandidacyFactory, make_session, make_slot
from vae.enums import CandidacyState

_starts = itertools.count()


def wave(months: int) -> SurveyWave:
    """The wave ``months`` after the decision (seeded by migration; made again if a
    transactional test flushed it)."""
    found, _created = SurveyWave.objects.get_or_create(
        months_after_decision=months,
        defaults={"code": f"{months}-mois", "label": f"Enquête à {months} mois"},
    )
    return found


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def session_on(day: dt.date) -> JurySession:
    """A session held on ``day`` (one per day: the candidates of a day share it)."""
    existing = JurySession.objects.filter(date=day).first()
    if existing is not None:
        return existing
    session = make_session(start=dt.time(0, 0), end=dt.time(23, 59))
    JurySession.objects.filter(pk=session.pk).update(date=day)
    session.refresh_from_db()
    return session


def presented(day: dt.date, result: str = "", *, decided_on: dt.date | None = None):
    """A candidacy heard by the jury on ``day``; with ``result``, its decision signed on
    ``decided_on`` (the same day by default). Returns the candidacy."""
    state = CandidacyState.DECIDED if result else CandidacyState.INTERVIEWED
    candidacy = CandidacyFactory(state=state, livret=None)
    # A distinct start a minute apart: a session's occupied starts are unique.
    minute = next(_starts) % (24 * 60)
    slot = make_slot(
        candidacy,
        session_on(day),
        start=dt.time(minute // 60, minute % 60),
        minutes=1,
        status=SlotStatus.INTERVIEWED,
    )
    if result:
        Deliberation.objects.create(slot=slot, result=result, decided_at=noon(decided_on or day))
    return candidacy


def survey(
    decided_on: dt.date,
    *,
    months: int = 6,
    kind: str = HolderKind.TOTAL,
    path: str = AccessPath.VAE,
    sent: bool = True,
    refused: bool = False,
    cancelled: bool = False,
    situation: str = "",
    consent: bool = True,
    **job,
) -> FollowUpSurvey:
    """A holder's survey of the wave ``months`` after ``decided_on``, sent unless told,
    answered when ``situation`` is given (``job``: the employed's answers)."""
    due = decided_on + dt.timedelta(days=30 * months)
    candidacy = CandidacyFactory(state=CandidacyState.DECIDED, livret=None)
    answered = noon(due + dt.timedelta(days=3)) if situation else None
    return FollowUpSurvey.objects.create(
        candidacy=candidacy,
        wave=wave(months),
        holder_kind=kind,
        access_path=path,
        decided_on=decided_on,
        due_on=due,
        closes_on=due + dt.timedelta(days=90),
        sent_at=noon(due) if sent else None,
        refused_at=noon(due + dt.timedelta(days=1)) if refused else None,
        cancelled_at=noon(due) if cancelled else None,
        answered_at=answered,
        situation=situation,
        consent=consent if situation else False,
        **job,
    )


def employed(decided_on: dt.date, *, targeted=True, contract="cddu", pay="30_40", **kwargs):
    return survey(
        decided_on,
        situation=Situation.EMPLOYED,
        job_title="Administratrice de production",
        in_targeted_job=targeted,
        sector="audiovisual",
        contract_type=contract,
        working_time="full",
        pay_band=pay,
        **kwargs,
    )


TOTAL = DecisionResult.TOTAL
PARTIAL = DecisionResult.PARTIAL
REFUSAL = DecisionResult.REFUSAL


def a_promotion(day: dt.date) -> None:
    """A promotion on ``day``'s year with figures every table shows: 7 presented (3 total,
    2 partial, 1 refused, 1 not decided yet), and 8 surveys at 6 months: 6 respondents of
    whom 1 neutralised (4 employed, 3 in the targeted job), 1 answer without consent,
    1 silent; so 5 counted: 60 % in the targeted job, 80 % in employment, 6/8 = 75 %."""
    for result in (TOTAL, TOTAL, TOTAL, PARTIAL, PARTIAL, REFUSAL, ""):
        presented(day, result)
    employed(day, contract="cdi", pay="30_40")
    employed(day, contract="cddu", pay="20_30")
    employed(day, contract="cddu", pay="30_40", kind=HolderKind.PARTIAL)
    employed(day, targeted=False, contract="cdd", pay="lt20")
    survey(day, situation=Situation.SEEKING)
    survey(day, situation=Situation.STUDYING)
    survey(day, situation=Situation.SEEKING, consent=False)
    survey(day)
