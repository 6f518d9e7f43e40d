"""The follow-up surveys through ``send_reminders``, travelled through time: the survey
sent once on its day, reminded once a week after, never for a survey answered, refused,
cancelled or closed, a wave no longer sent, or an account anonymised."""

import datetime as dt
import io
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone

from cohorts import links, services
from cohorts.models import FollowUpSurvey, SurveyWave
from referentiel import french as fr
from tests.cohorts.survey_support import FIRST, REMINDER, at, make_survey, run
from vae import reminders
from vae.models import SentReminder

pytestmark = pytest.mark.django_db

DECIDED_ON = dt.date(2026, 8, 31)
DUE_ON = dt.date(2027, 2, 28)  # 6 months, the day clamped


@pytest.fixture
def survey(referentiel):
    return make_survey(decided_on=DECIDED_ON)


def test_the_survey_is_sent_on_its_day_once(survey, mailoutbox):
    address = survey.candidacy.candidate.email
    assert run(FIRST, at(DUE_ON - dt.timedelta(days=1), 23), mailoutbox) == []
    assert run(FIRST, at(DUE_ON), mailoutbox) == [address]
    survey.refresh_from_db()
    assert survey.sent_at == at(DUE_ON)
    assert survey.reminded_at is None
    # A day later, again: nothing (the registry's row, and sent_at).
    assert run(FIRST, at(DUE_ON + dt.timedelta(days=1)), mailoutbox) == []
    assert SentReminder.objects.filter(kind=FIRST).count() == 1


def test_the_email_has_the_link_the_closing_date_the_refusal_and_who_reads(survey, mailoutbox):
    run(FIRST, at(DUE_ON), mailoutbox)
    message = mailoutbox[0]
    html = unescape(message.alternatives[0][0])
    for body in (message.body, html):
        assert links.survey_url(survey) in body
        assert links.refusal_url(survey) in body
        assert fr.date(survey.closes_on) in body
        assert "France compétences" in body
        assert "Seuls les certificateurs" in body
        assert survey.candidacy.candidate.first_name in body
        # Nothing else of the holder's.
        assert survey.candidacy.candidate.last_name not in body
    assert "6 mois" in message.subject
    assert "Rappel" not in message.subject


def test_the_reminder_goes_once_a_week_after_the_first(survey, mailoutbox):
    address = survey.candidacy.candidate.email
    assert run(REMINDER, at(DUE_ON + dt.timedelta(days=8)), mailoutbox) == []  # never sent
    run(FIRST, at(DUE_ON), mailoutbox)
    assert run(REMINDER, at(DUE_ON + dt.timedelta(days=6), 23), mailoutbox) == []
    assert run(REMINDER, at(DUE_ON + dt.timedelta(days=7)), mailoutbox) == [address]
    assert mailoutbox[0].subject.startswith("[VAE CQP] Rappel")
    survey.refresh_from_db()
    assert survey.reminded_at == at(DUE_ON + dt.timedelta(days=7))
    assert run(REMINDER, at(DUE_ON + dt.timedelta(days=14)), mailoutbox) == []


def test_a_survey_sent_late_is_reminded_a_week_after_it_was_sent(survey, mailoutbox):
    late = DUE_ON + dt.timedelta(days=3)
    run(FIRST, at(late), mailoutbox)
    assert run(REMINDER, at(DUE_ON + dt.timedelta(days=7)), mailoutbox) == []
    assert len(run(REMINDER, at(late + dt.timedelta(days=7)), mailoutbox)) == 1


def answer(survey):
    services.answer(survey, situation="seeking", at=at(DUE_ON + dt.timedelta(days=1)))


def refuse(survey):
    services.refuse(survey, at=at(DUE_ON + dt.timedelta(days=1)))


def cancel(survey):
    FollowUpSurvey.objects.filter(pk=survey.pk).update(cancelled_at=timezone.now())


def stop_wave(survey):
    SurveyWave.objects.filter(pk=survey.wave_id).update(active=False)


def anonymise(survey):
    candidate = survey.candidacy.candidate
    candidate.anonymised_at = timezone.now()
    candidate.save(update_fields=["anonymised_at"])


def deactivate(survey):
    candidate = survey.candidacy.candidate
    candidate.is_active = False
    candidate.save(update_fields=["is_active"])


STOPS = [answer, refuse, cancel, stop_wave, anonymise, deactivate]
STOP_IDS = ["answered", "refused", "cancelled", "wave-stopped", "anonymised", "inactive"]


@pytest.mark.parametrize("stop", STOPS[2:], ids=STOP_IDS[2:])
def test_nothing_is_sent_for_a_survey_that_must_not_be(survey, stop, mailoutbox):
    stop(survey)
    assert run(FIRST, at(DUE_ON), mailoutbox) == []


@pytest.mark.parametrize("stop", STOPS, ids=STOP_IDS)
def test_no_reminder_after_an_answer_a_refusal_or_a_cancel(survey, stop, mailoutbox):
    run(FIRST, at(DUE_ON), mailoutbox)
    survey.refresh_from_db()
    stop(survey)
    assert run(REMINDER, at(DUE_ON + dt.timedelta(days=7)), mailoutbox) == []
    survey.refresh_from_db()
    assert survey.reminded_at is None


def test_nothing_is_sent_once_the_survey_is_closed(survey, mailoutbox):
    assert run(FIRST, at(survey.closes_on), mailoutbox) == []
    # Sent the day before closing: the reminder's day comes after the closing.
    run(FIRST, at(survey.closes_on - dt.timedelta(days=1)), mailoutbox)
    assert run(REMINDER, at(survey.closes_on + dt.timedelta(days=6)), mailoutbox) == []


def test_a_refused_mail_server_leaves_the_survey_unsent(survey, mailoutbox, monkeypatch):
    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    report = reminders.send_reminders(at(DUE_ON), only=[FIRST])
    assert report.sent == [] and len(report.failed) == 1
    survey.refresh_from_db()
    assert survey.sent_at is None
    assert not SentReminder.objects.filter(kind=FIRST).exists()
    monkeypatch.undo()
    assert len(run(FIRST, at(DUE_ON), mailoutbox)) == 1


def test_the_command_sends_the_survey(survey, travel, mailoutbox):
    travel(at(DUE_ON, 10))
    out = io.StringIO()
    call_command("send_reminders", kind=[FIRST], stdout=out)
    assert [message.to for message in mailoutbox] == [[survey.candidacy.candidate.email]]
    survey.refresh_from_db()
    assert survey.sent_at == at(DUE_ON, 10)
