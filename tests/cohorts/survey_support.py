"""What the follow-up survey tests share: a holder decided by the jury (through the
deliberation's services), a survey written as a row (for the link and form tests), the
moments of the schedule, and the reminder run."""

import datetime as dt

from django.utils import timezone

from cohorts.enums import HolderKind
from cohorts.models import FollowUpSurvey, SurveyWave
from cohorts.services import survey_dates
from tests.factories import CandidacyFactory
from tests.jury.deliberation_support import decide, heard
from vae import reminders
from vae.enums import CandidacyState

FIRST = "follow_up_survey"
REMINDER = "follow_up_survey_reminder"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def wave(months: int) -> SurveyWave:
    """The wave seeded by the migration (6 or 24 months)."""
    return SurveyWave.objects.get(months_after_decision=months)


def decided(*, against=()):
    """A candidate heard and decided today through the jury's services: every bloc
    validated (the certificate) unless ``against`` names blocs voted down. The slot."""
    slot = heard()
    decide(slot, against=against)
    return slot


def make_survey(*, months=6, decided_on=None, candidacy=None, **fields) -> FollowUpSurvey:
    """A survey as a row: a decided candidacy, its ``months`` wave, dates from
    ``decided_on`` (default: seven months ago, so that the 6-month survey is open)."""
    decided_on = decided_on or timezone.localdate() - dt.timedelta(days=7 * 30)
    chosen = wave(months)
    due_on, closes_on = survey_dates(decided_on, chosen)
    return FollowUpSurvey.objects.create(
        candidacy=candidacy or CandidacyFactory(state=CandidacyState.DECIDED),
        wave=chosen,
        holder_kind=fields.pop("holder_kind", HolderKind.TOTAL),
        decided_on=decided_on,
        due_on=due_on,
        closes_on=closes_on,
        **fields,
    )


def run(kind: str, now: dt.datetime, outbox) -> list[str]:
    """Run ``kind`` twice at ``now`` (the second sends nothing); the addresses e-mailed."""
    outbox.clear()
    first = reminders.send_reminders(now, only=[kind])
    assert reminders.send_reminders(now, only=[kind]).sent == []
    return sorted(address for _kind, _key, address in first.sent)
