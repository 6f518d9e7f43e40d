"""The demo's clock: each step of a story on the day it would have happened.

A candidacy takes months in real life: found recevable, livret 2 written for weeks, the
panel named, the evaluators reading, the jury. Stories told on one day would make the
certifier's dashboard read 0 days for every phase. So the demo moves the platform's clock
(``time_machine``) to each step's day, and every row the services write (transition log,
review, decision, certificate) carries the date it would have had; nothing is dated back
by hand. The real clock is back at the end of each story, before today's steps.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import time_machine
from django.utils import timezone


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def days_ago(days: int) -> dt.date:
    """``days`` before today: today as the clock says, moved or not."""
    return timezone.localdate() - dt.timedelta(days=days)


@contextmanager
def clock(day: dt.date, hour: int = 10) -> Iterator[Callable[[dt.date], None]]:
    """The platform's clock at ``day`` (``hour``), ticking; yields ``to(day)``, which moves
    it on to that day at 10:00. Steps go forward only, and never past today: a row written
    in the future would come after the ones the real clock writes next."""
    with time_machine.travel(moment(day, hour), tick=True) as traveller:
        yield lambda later: traveller.move_to(moment(later))


def steps(index: int) -> dict[str, int]:
    """Days before the jury session of each step of the ``index``-th candidate's path, a
    few days apart from one candidate to the next, so that each phase of the dashboard
    lasts what it lasts in real life and its median and 90th percentile differ: found
    recevable (« recevable »), then what ``demo.reviews.review_completed`` paces. Livret 2
    is filed within the three months before the jury that the rules allow, the review
    closed before the convocation (30 days before the session)."""
    return {
        "recevable": 170 + 4 * index,
        "submitted": 85 - 3 * index,
        "review": 79 - 3 * index - 3 * (index % 3),
        "rated": 43 - index,
        "reviewed": 40 - index,
    }


def step_day(session_day: dt.date, index: int, step: str) -> dt.date:
    """The day of ``step`` (``steps``) for the ``index``-th candidate of a jury on
    ``session_day``."""
    return session_day - dt.timedelta(days=steps(index)[step])


@contextmanager
def path_to_session(session_day: dt.date, index: int) -> Iterator[Callable[[str], None]]:
    """The clock at the ``index``-th candidate's recevabilité for a jury on
    ``session_day``; yields ``pace(step)``, which moves the clock to the step's day
    (``step_day``)."""
    with clock(step_day(session_day, index, "recevable")) as to:
        yield lambda step: to(step_day(session_day, index, step))
