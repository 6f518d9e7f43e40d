"""The writes of the follow-up surveys: creating them for the holders of a decision,
following a rectified decision, the holder's answers and refusal.

A holder is a candidacy whose signed decision validated at least one bloc; each gets
one survey per active wave (``SurveyWave``), due the wave's months after the decision.
Creating is idempotent (one survey per candidacy and wave: the database's constraint),
so the decision's effect, a rectification and the backfill of older decisions may all
run on the same candidacy.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.enums import HolderKind
from cohorts.forms import NOT_ASKED, SurveyForm
from cohorts.models import FollowUpSurvey, SurveyWave
from jury import selectors as jury_selectors
from jury.enums import DecisionResult
from jury.rules import add_months
from vae.workflow import TransitionRefused

CLOSED_MESSAGE = "Cette enquête est close : les réponses ne peuvent plus être modifiées."


def survey_dates(decided_on: dt.date, wave) -> tuple[dt.date, dt.date]:
    """(due, closes) of ``wave``'s survey for a decision of ``decided_on``: the same day
    of the month, or the month's last day when it is shorter (31 August + 6 months =
    28 or 29 February)."""
    due_on = add_months(decided_on, wave.months_after_decision)
    return due_on, due_on + dt.timedelta(days=wave.open_for_days)


def _decision(candidacy):
    """(holder kind or None, decision date) of ``candidacy``'s signed decision, or None."""
    deliberation = jury_selectors.decided_deliberations(candidacy).first()
    if deliberation is None:
        return None
    decided_on = timezone.localdate(deliberation.decided_at)
    if not deliberation.decided_blocs.filter(validated=True).exists():
        return None, decided_on
    total = deliberation.result == DecisionResult.TOTAL
    return (HolderKind.TOTAL if total else HolderKind.PARTIAL), decided_on


def _create(candidacy, holder_kind, decided_on, today) -> list[FollowUpSurvey]:
    created = []
    for wave in SurveyWave.objects.filter(active=True):
        due_on, closes_on = survey_dates(decided_on, wave)
        if closes_on <= today:
            # Could never be sent nor answered: an older decision's past wave.
            continue
        survey, was_created = FollowUpSurvey.objects.get_or_create(
            candidacy=candidacy,
            wave=wave,
            defaults={
                "holder_kind": holder_kind,
                "decided_on": decided_on,
                "due_on": due_on,
                "closes_on": closes_on,
            },
        )
        if was_created:
            created.append(survey)
    return created


@transaction.atomic
def create_surveys_for(candidacy, *, today: dt.date | None = None) -> list[FollowUpSurvey]:
    """The surveys of ``candidacy``'s holder that do not exist yet (the ones created are
    returned): one per active wave still open at ``today`` (default: now). Nothing for a
    candidacy without a signed decision or whose decision validated no bloc. Also the
    backfill of decisions signed before this app existed (the demo's history passes the
    day its story stands at)."""
    decision = _decision(candidacy)
    if decision is None or decision[0] is None:
        return []
    holder_kind, decided_on = decision
    return _create(candidacy, holder_kind, decided_on, today or timezone.localdate())


def create_on_decide(*, candidacy, entry) -> None:
    """``decide``'s effect (registered after the jury's, which stores the decision)."""
    create_surveys_for(candidacy, today=timezone.localdate(entry.created_at))


def follow_rectification(*, candidacy, rectification) -> None:
    """A rectified decision's effect on the surveys.

    When the person no longer holds anything, every survey of theirs is cancelled, sent
    or not, answered or not: the insertion tables are about holders, and a survey sent to
    a holder who is one no longer would get its reminder and count among the « sent »
    (and its answers among the rates) of a promotion that no longer counts them. Their
    answers are kept. When they hold something, the surveys cancelled by an earlier
    rectification come back, the unsent ones follow the new result (``holder_kind``; the
    sent ones stay as they were sent), and the missing ones are created (a refusal
    become a validation)."""
    decision = _decision(candidacy)
    if decision is None:
        return
    holder_kind, decided_on = decision
    surveys = FollowUpSurvey.objects.filter(candidacy=candidacy)
    if holder_kind is None:
        surveys.filter(cancelled_at__isnull=True).update(cancelled_at=timezone.now())
        return
    surveys.filter(cancelled_at__isnull=False).update(cancelled_at=None)
    surveys.filter(sent_at__isnull=True).update(holder_kind=holder_kind)
    _create(candidacy, holder_kind, decided_on, timezone.localdate())


# -- the holder's answers ---------------------------------------------------------------


def is_closed(survey, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) >= survey.closes_on


def is_open_to_answers(survey, today: dt.date | None = None) -> bool:
    """Whether the holder may answer (or correct, or refuse) now: not cancelled, not
    closed."""
    return survey.cancelled_at is None and not is_closed(survey, today)


def _locked(survey, at) -> FollowUpSurvey:
    survey = FollowUpSurvey.objects.select_for_update().get(pk=survey.pk)
    if not is_open_to_answers(survey, timezone.localdate(at)):
        raise TransitionRefused(_(CLOSED_MESSAGE))
    return survey


def save_answers(survey, cleaned: dict, *, at: dt.datetime | None = None) -> FollowUpSurvey:
    """Store a valid form's answers (``SurveyForm.cleaned_data``). Answering a refused
    survey before it closes withdraws the refusal: the holder changed their mind."""
    at = at or timezone.now()
    with transaction.atomic():
        survey = _locked(survey, at)
        for name, value in cleaned.items():
            setattr(survey, name, value)
        survey.answered_at = survey.answered_at or at
        survey.answers_updated_at = at
        survey.refused_at = None
        survey.save()
    return survey


def answer(survey, *, at: dt.datetime | None = None, **answers) -> FollowUpSurvey:
    """Answer ``survey`` with keyword answers (``situation="employed"``,
    ``in_targeted_job=True``, ``consent=True``…), validated as the form validates them:
    ``TransitionRefused`` with the form's messages when they are not valid, or when the
    survey is closed at ``at`` (default: now)."""
    form = SurveyForm(data=SurveyForm.data_of(answers))
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label} : {message}" if name in form.fields else message
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise TransitionRefused(_("Les réponses ne sont pas valables."), problems=problems)
    return save_answers(survey, form.cleaned_data, at=at)


NOT_ANSWERED = {"situation": "", **NOT_ASKED, "consent": False}


def refuse(survey, *, at: dt.datetime | None = None) -> FollowUpSurvey:
    """The holder declines the survey: any answer is erased and the reminder is not
    sent. Refusing twice changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        survey = _locked(survey, at)
        if survey.refused_at is not None:
            return survey
        for name, value in NOT_ANSWERED.items():
            setattr(survey, name, value)
        survey.answered_at = survey.answers_updated_at = None
        survey.refused_at = at
        survey.save()
    return survey
