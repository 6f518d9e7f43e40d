"""The certifier's list of follow-up surveys: where each stands, counted and filtered in
SQL (reads only; the surveys are written by ``cohorts.services``)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Value, When

from cohorts.enums import SurveyState
from cohorts.models import FollowUpSurvey, SurveyWave

S = SurveyState


def state(today: dt.date) -> Case:
    """A survey's state as an SQL expression: a refusal or an answer counts even once the
    survey is closed; a survey closed without either is « close »."""
    return Case(
        When(cancelled_at__isnull=False, then=Value(S.CANCELLED)),
        When(refused_at__isnull=False, then=Value(S.REFUSED)),
        When(answered_at__isnull=False, then=Value(S.ANSWERED)),
        When(closes_on__lte=today, then=Value(S.CLOSED)),
        When(reminded_at__isnull=False, then=Value(S.REMINDED)),
        When(sent_at__isnull=False, then=Value(S.SENT)),
        default=Value(S.SCHEDULED),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class SurveyFilters:
    wave: SurveyWave | None = None
    state: str = ""  # a SurveyState, or every state


def surveys(filters: SurveyFilters, today: dt.date):
    """The surveys the filters keep, the next to send first then the latest decisions,
    with their state (``listed_state``), candidacy and wave."""
    rows = FollowUpSurvey.objects.annotate(listed_state=state(today)).select_related(
        "candidacy", "wave"
    )
    if filters.wave is not None:
        rows = rows.filter(wave=filters.wave)
    if filters.state:
        rows = rows.filter(listed_state=filters.state)
    return rows.order_by("-due_on", "-pk")


def state_counts(filters: SurveyFilters, today: dt.date) -> list[tuple[SurveyState, int]]:
    """Every state with its number of surveys (of the chosen wave): one GROUP BY."""
    rows = FollowUpSurvey.objects.all()
    if filters.wave is not None:
        rows = rows.filter(wave=filters.wave)
    found = dict(
        rows.annotate(listed_state=state(today))
        .order_by()
        .values_list("listed_state")
        .annotate(n=Count("pk"))
    )
    return [(member, found.get(member.value, 0)) for member in SurveyState]
