"""The candidacies' paths through the workflow (``CandidacyPath``): the process dashboard's
read model of the transition log, a row a candidacy.

- ``fold`` tells a path from a candidacy's log rows (pure);
- ``refresh`` folds the logs of some candidacies again and stores their paths;
- ``follow_transition`` is an effect of every transition (``cohorts.apps``): the path
  moves in the transition's own atomic block;
- ``refresh_stale`` is what the dashboard runs before it reads: the candidacies whose log
  has a row their path has not folded (a path never built, a log written by other means
  than a transition) are folded again. The log stays the one truth; a path is never
  edited.
"""

from collections.abc import Iterable

from django.db.models import F, Func, IntegerField, Max, OuterRef, Q, Subquery
from django.utils import timezone

from cohorts.models import CandidacyPath
from vae.enums import DOSSIER_STATES, CandidacyState, Transition
from vae.models import Candidacy, CandidacyTransition

S = CandidacyState

# The milestones of a candidacy after its recevabilité, in order, and the path's field
# holding its first arrival in each.
PHASE_FIELDS = {
    S.ELIGIBLE: "eligible_on",
    S.DOSSIER_SUBMITTED: "submitted_on",
    S.REVIEWED: "reviewed_on",
    S.JURY_SCHEDULED: "scheduled_on",
    S.INTERVIEWED: "interviewed_on",
    S.DECIDED: "decided_on",
}
PHASES = tuple(PHASE_FIELDS)
# The states a candidacy found recevable can be in, in the workflow's order: those in
# which it has a dossier.
STATES_AFTER_ELIGIBILITY = DOSSIER_STATES
# Candidacies folded a batch at a time: a bounded IN list, a bounded memory.
BATCH = 2000
FOLDED_FIELDS = (
    "last_row",
    "accepted_on",
    "state",
    "withdrawn_from",
    "filed_on",
    *PHASE_FIELDS.values(),
)


def fold(rows: Iterable[tuple]) -> dict:
    """A path's fields from its candidacy's log rows in order, each (pk, transition,
    source, target, local day).

    Only the rows into a state after the recevabilité tell the path: its last state, its
    last recevabilité (the candidacy's quarter), the state a withdrawal left, the last
    filing of the dossier and the first arrival in each phase. A dossier returned for
    correction keeps its first filing as the phase's start, so that the phases of one
    candidacy add up to its whole path.
    """
    path = dict.fromkeys(FOLDED_FIELDS)
    path.update(last_row=0, state="", withdrawn_from="")
    for pk, transition, source, target, day in rows:
        path["last_row"] = max(path["last_row"], pk)
        if target not in STATES_AFTER_ELIGIBILITY:
            continue
        path["state"] = target
        if transition == Transition.ACCEPT_ELIGIBILITY:
            path["accepted_on"] = day
        if target == S.WITHDRAWN:
            path["withdrawn_from"] = source
        elif target in PHASE_FIELDS and path[PHASE_FIELDS[target]] is None:
            path[PHASE_FIELDS[target]] = day
        if target == S.DOSSIER_SUBMITTED:
            path["filed_on"] = day
    return path


def _logs(candidacy_ids: list[int]) -> dict[int, list[tuple]]:
    local = timezone.get_current_timezone()
    logs = {pk: [] for pk in candidacy_ids}
    rows = (
        CandidacyTransition.objects.filter(candidacy_id__in=candidacy_ids)
        .order_by("candidacy_id", "created_at", "pk")
        .values_list(
            "candidacy_id", "pk", "transition", "source_state", "target_state", "created_at"
        )
    )
    for candidacy_id, pk, transition, source, target, moment in rows.iterator(chunk_size=BATCH):
        logs[candidacy_id].append((pk, transition, source, target, moment.astimezone(local).date()))
    return logs


def refresh(candidacy_ids: Iterable[int]) -> int:
    """Fold the logs of ``candidacy_ids`` again and store their paths (a candidacy with no
    log row gets none); returns how many paths were stored."""
    candidacy_ids = sorted(set(candidacy_ids))
    stored = 0
    for start in range(0, len(candidacy_ids), BATCH):
        logs = _logs(candidacy_ids[start : start + BATCH])
        paths = [
            CandidacyPath(candidacy_id=candidacy_id, **fold(rows))
            for candidacy_id, rows in logs.items()
            if rows
        ]
        CandidacyPath.objects.bulk_create(
            paths,
            update_conflicts=True,
            unique_fields=["candidacy"],
            update_fields=FOLDED_FIELDS,
        )
        stored += len(paths)
    return stored


def follow_transition(*, candidacy, entry) -> None:
    """The effect of every transition: the candidacy's path, folded with its new row."""
    refresh([candidacy.pk])


def refresh_stale(candidacy_ids) -> int:
    """Fold again the candidacies of ``candidacy_ids`` (a subquery) whose path is missing or
    has not folded their log's last row; returns how many. One query when none is."""
    # MAX over the candidacy's rows, not ORDER BY id DESC LIMIT 1: PostgreSQL would walk
    # the primary key backwards for each candidacy (40 s on 10,000 candidacies).
    latest_row = (
        CandidacyTransition.objects.filter(candidacy_id=OuterRef("pk"))
        .order_by()
        .values("candidacy_id")
        .annotate(latest=Max("pk"))
        .values("latest")
    )
    stale = (
        Candidacy.objects.filter(pk__in=candidacy_ids)
        .annotate(latest=Subquery(latest_row))
        .filter(Q(cohort_path__isnull=True) | Q(cohort_path__last_row__lt=F("latest")))
        .values_list("pk", flat=True)
    )
    return refresh(list(stale))


class DaysBetween(Func):
    """Whole days from the date ``start`` to the date ``end`` (None when either is), told
    by the database: no date crosses into Python for a duration."""

    arity = 2
    output_field = IntegerField()
    # PostgreSQL: date - date is a number of days.
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    @property
    def convert_value(self):
        # Both databases return a whole number already (or NULL): no int() per row, which
        # took a fifth of the dashboard's read of 10,000 paths.
        return self._convert_value_noop

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )
