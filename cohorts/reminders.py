"""The follow-up surveys' e-mails (``vae.reminders``), registered by ``cohorts.apps``:

- ``follow_up_survey``: to the holder (the candidacy's candidate), due at the survey's
  ``due_on``, keyed on the survey;
- ``follow_up_survey_reminder``: once, ``reminder_after_days`` after the first was sent,
  while the survey is unanswered and not refused.

Neither goes for a cancelled, refused or closed survey, a wave no longer sent, or an
account anonymised or inactive. The survey's ``sent_at`` / ``reminded_at`` are set by the
e-mail's builder: the registry calls it inside the transaction that records the
reminder (``send_once``), just before sending, so the date and the registry's row are
written, or rolled back when the mail server refuses, together.
"""

import datetime as dt

from django.utils import timezone

from cohorts import links
from cohorts.models import FollowUpSurvey
from referentiel import french as fr
from vae.emails import templated_email
from vae.reminders import Due, register_kind, start_of_day


def _pending(today: dt.date):
    return FollowUpSurvey.objects.filter(
        cancelled_at__isnull=True,
        refused_at__isnull=True,
        answered_at__isnull=True,
        wave__active=True,
        closes_on__gt=today,
        candidacy__candidate__is_active=True,
        candidacy__candidate__anonymised_at__isnull=True,
    ).select_related("wave", "candidacy__candidate")


def surveys_due(now: dt.datetime):
    today = timezone.localdate(now)
    for survey in _pending(today).filter(sent_at__isnull=True, due_on__lte=today):
        yield Due(
            recipient=survey.candidacy.candidate,
            key=f"survey:{survey.public_id}",
            due_at=start_of_day(survey.due_on),
            build=lambda survey=survey: _sending(survey, "sent_at", now),
        )


def survey_reminders_due(now: dt.datetime):
    today = timezone.localdate(now)
    for survey in _pending(today).filter(sent_at__lte=now, reminded_at__isnull=True):
        sent_on = timezone.localdate(survey.sent_at)
        yield Due(
            recipient=survey.candidacy.candidate,
            key=f"survey:{survey.public_id}",
            due_at=start_of_day(sent_on + dt.timedelta(days=survey.wave.reminder_after_days)),
            build=lambda survey=survey: _sending(survey, "reminded_at", now),
        )


def _sending(survey, field: str, now: dt.datetime):
    FollowUpSurvey.objects.filter(pk=survey.pk, **{f"{field}__isnull": True}).update(**{field: now})
    return survey_email(survey, reminder=field == "reminded_at")


def survey_email(survey, *, reminder: bool):
    candidate = survey.candidacy.candidate
    return templated_email(
        "emails/cohorts/survey",
        {
            "first_name": candidate.first_name,
            "reminder": reminder,
            "months": fr.plural(survey.wave.months_after_decision, "mois", "mois"),
            "decided_on": fr.date(survey.decided_on),
            "closes_on": fr.date(survey.closes_on),
            "link": links.survey_url(survey),
            "refusal_link": links.refusal_url(survey),
        },
    )


def register():
    register_kind(
        "follow_up_survey",
        label="Enquête de suivi des certifiés (titulaire)",
        find=surveys_due,
    )
    register_kind(
        "follow_up_survey_reminder",
        label="Relance de l'enquête de suivi sans réponse (titulaire)",
        find=survey_reminders_due,
    )
