"""When the follow-up surveys exist: one per active wave for each holder of a signed
decision, due 6 and 24 months after it (the day clamped to the month's end), following a
rectified decision, and the backfill of older decisions."""

import datetime as dt

import pytest
from django.utils import timezone

from cohorts import reminders, services
from cohorts.enums import HolderKind
from cohorts.models import FollowUpSurvey, SurveyWave
from jury import rectification
from jury.models import Deliberation
from tests.cohorts.survey_support import decided, make_survey, wave
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db

REASON = "Erreur de saisie du résultat d'un bloc."


@pytest.mark.parametrize(
    ("decided_on", "months", "due_on"),
    [
        (dt.date(2026, 3, 15), 6, dt.date(2026, 9, 15)),
        (dt.date(2026, 3, 15), 24, dt.date(2028, 3, 15)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 2, 28), 24, dt.date(2028, 2, 28)),
        (dt.date(2026, 12, 31), 6, dt.date(2027, 6, 30)),
    ],
    ids=["6-months", "24-months", "clamped-28-feb", "clamped-leap-29-feb", "24-leap", "dec-jun"],
)
def test_the_survey_is_due_the_waves_months_after_the_decision(db, decided_on, months, due_on):
    chosen = wave(months)
    assert services.survey_dates(decided_on, chosen) == (
        due_on,
        due_on + dt.timedelta(days=chosen.open_for_days),
    )


def test_the_seeded_schedule_is_6_and_24_months():
    assert list(SurveyWave.objects.values_list("months_after_decision", "active")) == [
        (6, True),
        (24, True),
    ]


def surveys_of(candidacy):
    return list(FollowUpSurvey.objects.filter(candidacy=candidacy).order_by("due_on"))


def test_a_certificate_gets_a_survey_per_wave(referentiel):
    slot = decided()
    today = timezone.localdate()
    surveys = surveys_of(slot.candidacy)
    assert [survey.wave.months_after_decision for survey in surveys] == [6, 24]
    assert {survey.holder_kind for survey in surveys} == {HolderKind.TOTAL}
    assert {survey.decided_on for survey in surveys} == {today}
    assert surveys[0].due_on == services.survey_dates(today, wave(6))[0]
    assert all(survey.sent_at is None and survey.cancelled_at is None for survey in surveys)


def test_a_partial_validation_is_a_partial_holder(referentiel):
    slot = decided(against=("BC2",))
    assert {survey.holder_kind for survey in surveys_of(slot.candidacy)} == {HolderKind.PARTIAL}


def test_a_refusal_gets_no_survey(referentiel):
    slot = decided(against=("BC1", "BC2", "BC3"))
    assert surveys_of(slot.candidacy) == []


def test_an_inactive_wave_gets_no_survey(referentiel):
    SurveyWave.objects.filter(months_after_decision=24).update(active=False)
    slot = decided()
    assert [survey.wave.months_after_decision for survey in surveys_of(slot.candidacy)] == [6]


def test_creating_again_changes_nothing(referentiel):
    slot = decided()
    before = [(survey.pk, survey.public_id) for survey in surveys_of(slot.candidacy)]
    assert services.create_surveys_for(slot.candidacy) == []
    assert [(survey.pk, survey.public_id) for survey in surveys_of(slot.candidacy)] == before


def test_the_backfill_skips_the_waves_already_closed(referentiel):
    slot = decided()
    FollowUpSurvey.objects.filter(candidacy=slot.candidacy).delete()
    decided_on = timezone.localdate()
    past_six = services.survey_dates(decided_on, wave(6))[1]
    created = services.create_surveys_for(slot.candidacy, today=past_six)
    assert [survey.wave.months_after_decision for survey in created] == [24]
    # Told a day the 6-month survey is still open, it creates that one too.
    created = services.create_surveys_for(slot.candidacy, today=decided_on)
    assert [survey.wave.months_after_decision for survey in created] == [6]


def test_the_backfill_creates_nothing_without_a_decision(referentiel):
    survey = make_survey()  # a candidacy « decided » as a state, with no deliberation
    assert services.create_surveys_for(survey.candidacy) == []


# -- rectification -------------------------------------------------------------------------


def rectify(slot, **outcomes):
    deliberation = Deliberation.objects.get(slot=slot)
    current = {row.bloc.code: row.validated for row in deliberation.decided_blocs.all()}
    return rectification.rectify_decision(
        candidacy=slot.candidacy,
        by=UserFactory(role=Role.CERTIFIER),
        outcomes=current | outcomes,
        observations="Observations du jury.",
        recommendations="Préconisations du jury.",
        reason=REASON,
    )


def test_a_holder_who_no_longer_holds_anything_has_every_survey_cancelled(referentiel):
    slot = decided(against=("BC2", "BC3"))
    sent_at = timezone.now()
    FollowUpSurvey.objects.filter(candidacy=slot.candidacy, wave=wave(6)).update(
        sent_at=sent_at, situation="employed", answered_at=sent_at
    )
    due = timezone.make_aware(dt.datetime.combine(surveys_of(slot.candidacy)[1].due_on, dt.time(9)))
    assert len(list(reminders.surveys_due(due))) == 1
    rectify(slot, BC1=False)
    six, twenty_four = surveys_of(slot.candidacy)
    # Sent and answered: cancelled too (no longer a holder's), its answers kept.
    assert six.cancelled_at is not None and six.situation == "employed"
    assert twenty_four.cancelled_at is not None
    assert list(reminders.surveys_due(due)) == []


def test_a_sent_survey_gets_no_reminder_once_its_holder_holds_nothing(referentiel):
    slot = decided(against=("BC2", "BC3"))
    sent_at = timezone.now()
    FollowUpSurvey.objects.filter(candidacy=slot.candidacy, wave=wave(6)).update(sent_at=sent_at)
    week_later = sent_at + dt.timedelta(days=8)
    assert len(list(reminders.survey_reminders_due(week_later))) == 1
    rectify(slot, BC1=False)
    assert list(reminders.survey_reminders_due(week_later)) == []
    # A later rectification that validates a bloc again brings the survey back, as sent.
    rectify(slot, BC1=True)
    six, _twenty_four = surveys_of(slot.candidacy)
    assert six.cancelled_at is None and six.sent_at == sent_at
    assert len(list(reminders.survey_reminders_due(week_later))) == 1


def test_a_refusal_become_a_validation_creates_the_surveys(referentiel):
    slot = decided(against=("BC1", "BC2", "BC3"))
    rectify(slot, BC3=True)
    surveys = surveys_of(slot.candidacy)
    assert [survey.wave.months_after_decision for survey in surveys] == [6, 24]
    assert {survey.holder_kind for survey in surveys} == {HolderKind.PARTIAL}


def test_the_unsent_surveys_follow_the_new_result(referentiel):
    slot = decided(against=("BC2",))
    FollowUpSurvey.objects.filter(candidacy=slot.candidacy, wave=wave(6)).update(
        sent_at=timezone.now()
    )
    rectify(slot, BC2=True)
    six, twenty_four = surveys_of(slot.candidacy)
    assert six.holder_kind == HolderKind.PARTIAL  # sent as a partial holder's
    assert twenty_four.holder_kind == HolderKind.TOTAL


def test_a_cancelled_survey_comes_back_when_a_bloc_is_validated_again(referentiel):
    slot = decided(against=("BC2", "BC3"))
    rectify(slot, BC1=False)
    assert all(survey.cancelled_at for survey in surveys_of(slot.candidacy))
    rectify(slot, BC1=True)
    surveys = surveys_of(slot.candidacy)
    assert len(surveys) == 2
    assert all(survey.cancelled_at is None for survey in surveys)
