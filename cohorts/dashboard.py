"""The certifier's process dashboard: how the candidacies found recevables in a period move
through the workflow, quarter of recevabilité by quarter.

What it reads, each section in a fixed number of queries whatever the number of
candidacies (``dashboard`` runs twelve), and cached apart
(``cached_dashboard``):

- the results per bloc and per compétence, the jury sessions held: counted in SQL
  (GROUP BY), a few dozen rows back;
- the current states, the conversions from phase to phase, the days spent in each phase,
  the withdrawals and the legal delays, quarter by quarter: from the candidacies' paths
  (``cohorts.paths``, a row a candidacy folded from its transition log, each phase's
  first day already told), the states and arrivals counted in SQL and each phase's days
  read as whole numbers computed by the database (a percentile is not an aggregate
  SQLite has). Before anything is read, the paths are checked against the log
  (``_fresh``); reading the log itself, 58,000 rows for 10,000 candidacies, each moment
  turned into a local day in Python, took three times longer (``make bench``);
- the evaluators' agreement: the sums of each dossier's Fleiss table, added up per
  quarter (``review.reports.sums_per_dossier``, one query).

A phase's duration runs from the candidacy's first arrival in the phase to its first
arrival in the next one: a dossier returned for correction counts its correction in
« dossier déposé → évalué », and the phases of one candidacy add up to its whole path.
"""

import datetime as dt
import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, pairwise

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts import paths as path_model
from cohorts.caching import cache
from cohorts.models import CandidacyPath
from cohorts.paths import PHASE_FIELDS, PHASES, STATES_AFTER_ELIGIBILITY, DaysBetween
from jury.enums import SessionStatus, SlotStatus
from jury.models import (
    DecidedBloc,
    DecisionRectification,
    Deliberation,
    JurySession,
    RatingRevision,
    SessionStatusChange,
    Slot,
)
from jury.rules import legal_deadline
from referentiel import french as fr
from referentiel.models import Bloc, Competence
from review.models import ConsolidatedRating
from review.reports import (
    NO_TABLE,
    Kappa,
    agreement_version,
    compute_sums,
    ready_candidacies,
    sums_per_dossier,
)
from review.rules import RATING_ORDER
from vae import permissions
from vae.aside import may_read_aside, read_aside
from vae.enums import CandidacyState, Transition
from vae.models import Candidacy, CandidacyTransition

S = CandidacyState

# The dashboard's default period: the last eight quarters, the current one included.
DEFAULT_QUARTERS = 8
# The longest period a page may ask for (ten years): beyond, a table no one reads.
MAX_QUARTERS = 40
# The jury should notify its decision within this many days of the interview (shown, not
# enforced: ARCHITECTURE.md §2).
NOTIFICATION_DELAY_DAYS = 15
# The missed delays listed by name; the counts include them all.
MISSED_SHOWN = 100
# The compétences the chart shows (the table shows them all), worst first.
COMPETENCES_CHARTED = 10

# States in which the dossier is filed and the jury has not sat yet.
AWAITING_JURY = (S.DOSSIER_SUBMITTED, S.UNDER_REVIEW, S.REVIEWED, S.JURY_SCHEDULED)
# ASCII digits only: \d would also read other scripts' digits.
QUARTER_CODE = re.compile(r"^([0-9]{4})-T([1-4])$")


def can_view(user) -> bool:
    """The dashboard and its PDF: the certifier's (cohort statistics, ARCHITECTURE.md §1)."""
    return permissions.is_certifier(user)


# -- the period ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, code: str) -> "Quarter | None":
        """« 2026-T1 » → Quarter(2026, 1); anything else → None."""
        match = QUARTER_CODE.match(code or "")
        if match is None or not 1900 < int(match[1]) < 3000:
            return None
        return cls(int(match[1]), int(match[2]))

    def shift(self, quarters: int) -> "Quarter":
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def until(self, last: "Quarter") -> list["Quarter"]:
        quarters, quarter = [], self
        while quarter <= last:
            quarters.append(quarter)
            quarter = quarter.shift(1)
        return quarters

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def begins(self) -> dt.datetime:
        """The quarter's first moment, in the platform's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def code(self) -> str:
        return f"{self.year}-T{self.number}"

    @property
    def label(self) -> str:
        return f"T{self.number} {self.year}"

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: quarters ``first`` to ``last`` (included), one bloc's
    candidacies (its code) or every candidacy (empty)."""

    first: Quarter
    last: Quarter
    bloc: str = ""

    @property
    def quarters(self) -> list[Quarter]:
        return self.first.until(self.last)

    @property
    def start(self) -> dt.datetime:
        return self.first.begins

    @property
    def end(self) -> dt.datetime:
        return self.last.shift(1).begins

    @property
    def key(self) -> str:
        """A short name of the filters (a document's key, a file name)."""
        return f"{self.first.code}_{self.last.code}_{self.bloc or 'tous'}".lower()

    @property
    def query(self) -> dict:
        """The GET parameters that show these filters."""
        return {"du": self.first.code, "au": self.last.code, "bloc": self.bloc}

    @property
    def label(self) -> str:
        period = _("du %(first)s au %(last)s") % {"first": self.first, "last": self.last}
        if self.first == self.last:
            period = str(self.first)
        blocs = _("bloc %(code)s") % {"code": self.bloc} if self.bloc else _("tous les blocs")
        return f"{period}, {blocs}"


def default_filters(today: dt.date | None = None) -> Filters:
    last = Quarter.of(today or timezone.localdate())
    return Filters(first=last.shift(1 - DEFAULT_QUARTERS), last=last)


def bloc_codes() -> list[tuple[str, str]]:
    """The blocs a filter may name, by code (the same code across the référentiel's
    versions), with the title of their latest version."""
    titles = {}
    for code, title in Bloc.objects.order_by("sort_order", "code", "certification_id").values_list(
        "code", "title"
    ):
        titles[code] = title
    return list(titles.items())


# -- the figures ---------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float | None:
    """The ``fraction`` quantile of sorted ``values``, interpolated between the two nearest
    ranks (the usual definition, numpy's default); None when there is none."""
    if not values:
        return None
    position = (len(values) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage; None when ``whole`` is nothing."""
    return 100 * part / whole if whole else None


def percent_text(value: float | None) -> str:
    return "—" if value is None else fr.percent(value)


def days_text(value: float | None) -> str:
    return "—" if value is None else fr.plural(round(value), "jour")


@dataclass(frozen=True)
class Conversion:
    source: CandidacyState
    target: CandidacyState
    reached: int  # reached ``source``
    converted: int  # and then ``target``

    @property
    def rate(self) -> float | None:
        return share(self.converted, self.reached)

    @property
    def text(self) -> str:
        counts = f"{fr.integer(self.converted)}/{fr.integer(self.reached)}"
        return f"{counts} ({percent_text(self.rate)})"


@dataclass(frozen=True)
class Duration:
    source: CandidacyState
    target: CandidacyState
    days: list[int]  # sorted, calendar days (a change of clock hour is no day)

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return percentile(self.days, 0.5)

    @property
    def p90(self) -> float | None:
        return percentile(self.days, 0.9)

    @property
    def text(self) -> str:
        if not self.days:
            return "—"
        return f"{days_text(self.median)} / {days_text(self.p90)}"


@dataclass(frozen=True)
class QuarterRow:
    """One quarter of recevabilité (or the whole period: ``quarter`` None)."""

    quarter: Quarter | None
    states: dict  # state → candidacies now in it
    conversions: list[Conversion]
    durations: list[Duration]
    withdrawals: dict  # state withdrawn from → candidacies
    kappa: Kappa
    sessions: int

    @property
    def label(self) -> str:
        return self.quarter.label if self.quarter else _("Ensemble de la période")

    @property
    def total(self) -> int:
        return sum(self.states.values())

    @property
    def state_counts(self) -> list[int]:
        return [self.states.get(state, 0) for state in STATES_AFTER_ELIGIBILITY]

    @property
    def withdrawal_counts(self) -> list[int]:
        return [self.withdrawals.get(state, 0) for state in STATES_AFTER_ELIGIBILITY[:-1]]

    @property
    def withdrawn(self) -> int:
        return sum(self.withdrawals.values())


@dataclass(frozen=True)
class BlocResult:
    code: str
    title: str
    validated: int
    refused: int

    @property
    def decided(self) -> int:
        return self.validated + self.refused

    @property
    def rate(self) -> float | None:
        return share(self.validated, self.decided)


@dataclass(frozen=True)
class RatingCounts:
    acquired: int = 0
    partial: int = 0
    not_acquired: int = 0

    @property
    def total(self) -> int:
        return self.acquired + self.partial + self.not_acquired

    @property
    def counts(self) -> list[int]:
        return [self.acquired, self.partial, self.not_acquired]

    @property
    def shares(self) -> list[float | None]:
        return [share(count, self.total) for count in self.counts]

    @property
    def texts(self) -> list[str]:
        return [
            f"{fr.integer(count)} ({percent_text(part)})"
            for count, part in zip(self.counts, self.shares, strict=True)
        ]


@dataclass(frozen=True)
class CompetenceResult:
    code: str
    statement: str
    consolidated: RatingCounts
    after_jury: RatingCounts

    @property
    def failing(self) -> tuple:
        """How badly it fares: the share « non acquis », then « partiel », after the
        consolidation (the larger sample), then after the jury."""
        c, j = self.consolidated, self.after_jury
        return tuple(
            -(share(value, total) or 0)
            for value, total in (
                (c.not_acquired, c.total),
                (c.partial, c.total),
                (j.not_acquired, j.total),
                (j.partial, j.total),
            )
        )


@dataclass(frozen=True)
class DelayCount:
    label: str
    limit: str
    kept: int
    missed: int
    waiting: int  # still within the delay

    @property
    def settled(self) -> int:
        return self.kept + self.missed


@dataclass(frozen=True)
class MissedDelay:
    delay: str
    candidacy_id: int
    reference: str
    started_on: dt.date
    deadline: dt.date
    ended_on: dt.date | None  # None: not done yet, and already late
    days_late: int  # by the end, or by today when not done yet

    @property
    def url(self) -> str:
        return reverse("candidacy_admin:detail", args=[self.candidacy_id])


@dataclass(frozen=True)
class QuarterTable:
    """A table with a row per quarter and a last one for the whole period, its cells
    written out (French numbers): the page and the PDF print it with one template."""

    slug: str
    caption: str
    headers: list[str]
    rows: list[tuple[QuarterRow, list[str]]]


def _integers(values) -> list[str]:
    return [fr.integer(value) for value in values]


def _kappa_reading(kappa: Kappa) -> str:
    return f"{kappa.reading} ({kappa.why_undefined})" if kappa.why_undefined else kappa.reading


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    quarters: list[QuarterRow]
    overall: QuarterRow
    blocs: list[BlocResult]
    competences: list[CompetenceResult]
    delays: list[DelayCount]
    missed: list[MissedDelay]
    missed_total: int
    today: dt.date

    @property
    def rows(self) -> list[QuarterRow]:
        return [*self.quarters, self.overall]

    @property
    def state_labels(self) -> list[str]:
        return [str(state.label) for state in STATES_AFTER_ELIGIBILITY]

    @property
    def withdrawal_labels(self) -> list[str]:
        return self.state_labels[:-1]

    @property
    def steps(self) -> list[str]:
        return [step_label(a, b) for a, b in pairwise(PHASES)]

    @property
    def rating_labels(self) -> list[str]:
        return [str(rating.label) for rating in RATING_ORDER]

    def _table(self, slug, caption, headers, cells) -> QuarterTable:
        return QuarterTable(slug, caption, headers, [(row, cells(row)) for row in self.rows])

    @cached_property
    def tables(self) -> dict[str, QuarterTable]:
        """The per-quarter tables of the sections, by section."""
        return {
            "states": self._table(
                "table-etats",
                _("Candidatures selon leur état actuel"),
                [*self.state_labels, _("Total")],
                lambda row: _integers([*row.state_counts, row.total]),
            ),
            "conversions": self._table(
                "table-conversions",
                _("Candidatures passées à l'étape suivante, sur celles arrivées à l'étape"),
                self.steps,
                lambda row: [conversion.text for conversion in row.conversions],
            ),
            "durations": self._table(
                "table-durees",
                _("Jours passés dans chaque étape : médiane / 90e centile (candidatures)"),
                self.steps,
                lambda row: [
                    f"{d.text} ({fr.integer(d.count)})" if d.count else d.text
                    for d in row.durations
                ],
            ),
            "withdrawals": self._table(
                "table-abandons",
                _("Abandons selon l'état quitté"),
                [*self.withdrawal_labels, _("Total")],
                lambda row: _integers([*row.withdrawal_counts, row.withdrawn]),
            ),
            "agreement": self._table(
                "table-accord",
                _("Kappa de Fleiss par trimestre"),
                [_("Dossiers × compétences"), _("Kappa"), _("Lecture")],
                lambda row: [
                    fr.integer(row.kappa.subjects),
                    row.kappa.display,
                    _kappa_reading(row.kappa),
                ],
            ),
            "sessions": self._table(
                "table-sessions",
                _("Sessions du jury tenues"),
                [_("Sessions tenues")],
                lambda row: [fr.integer(row.sessions)],
            ),
        }

    @property
    def charted_competences(self) -> list[CompetenceResult]:
        return [row for row in self.competences if row.consolidated.total][:COMPETENCES_CHARTED]


PHASE_NAMES = {
    S.ELIGIBLE: "recevable",
    S.DOSSIER_SUBMITTED: "dossier déposé",
    S.REVIEWED: "évalué",
    S.JURY_SCHEDULED: "convoqué",
    S.INTERVIEWED: "entretien passé",
    S.DECIDED: "décidé",
}


def step_label(source, target) -> str:
    return f"{PHASE_NAMES[source]} → {PHASE_NAMES[target]}"


# -- the queries ------------------------------------------------------------------------


def _accepted_ids(filters: Filters):
    """The candidacies with a recevabilité in the period, of the bloc's candidacies, as a
    subquery: those whose path ``_fresh`` checks."""
    rows = CandidacyTransition.objects.filter(
        transition=Transition.ACCEPT_ELIGIBILITY,
        created_at__gte=filters.start,
        created_at__lt=filters.end,
    )
    if filters.bloc:
        rows = rows.filter(candidacy__targeted_blocs__code=filters.bloc)
    return rows.values("candidacy_id")


def _fresh(filters: Filters) -> None:
    """The paths of the period's candidacies made to agree with their log, before any
    section reads them (``cohorts.paths``): one query when they all do, as they do after
    every transition."""
    path_model.refresh_stale(_accepted_ids(filters))


def _quarters_paths(quarters: list[Quarter], bloc: str):
    """The paths of the candidacies whose last recevabilité falls in one of ``quarters``,
    of the bloc's candidacies: a candidacy found recevable again later counts in the
    later quarter only, or in none of them."""
    # Quarters that follow each other make one range of days (the whole period, one).
    ranges = []
    for quarter in sorted(quarters):
        if ranges and ranges[-1][1] == quarter.start:
            ranges[-1][1] = quarter.shift(1).start
        else:
            ranges.append([quarter.start, quarter.shift(1).start])
    within = Q()
    for first, end in ranges:
        within |= Q(accepted_on__gte=first, accepted_on__lt=end)
    rows = CandidacyPath.objects.filter(within)
    if bloc:
        rows = rows.filter(
            candidacy_id__in=Candidacy.objects.filter(targeted_blocs__code=bloc).values("pk")
        )
    return rows.order_by()


def _period_paths(filters: Filters):
    """The paths of the period's candidacies (``_quarters_paths``)."""
    return _quarters_paths(filters.quarters, filters.bloc)


def _period_ids(filters: Filters):
    """The candidacies of ``_period_paths(filters)``, as a subquery."""
    return _period_paths(filters).values("candidacy_id")


def _quarter_index(quarters: list[Quarter]) -> Case:
    """The index in ``quarters`` (in order) of a path's quarter of recevabilité, told in
    SQL by the quarters' first days; None before them and after them (between two that do
    not follow each other, the later one's: the paths read are those of ``quarters``)."""
    return Case(
        When(accepted_on__lt=quarters[0].start, then=Value(None)),
        *(
            When(accepted_on__lt=quarter.shift(1).start, then=Value(index))
            for index, quarter in enumerate(quarters)
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def _quartered(queryset, moment: str):
    return queryset.annotate(year=ExtractYear(moment), number=ExtractQuarter(moment))


STEPS = tuple(pairwise(PHASES))


@dataclass(frozen=True)
class _Tally:
    """What the rows of a group of candidacies (a quarter, the period) say about their
    paths, counted in one pass over them."""

    states: dict
    conversions: list[Conversion]
    durations: list[Duration]
    withdrawals: dict


def _tallies(paths, count: int) -> tuple[list[_Tally], list[list[tuple]]]:
    """The tally of each group of ``paths`` (a ``CandidacyPath`` queryset, annotated with
    its group's index ``which`` below ``count``), and each path's (candidacy, state, last
    filing, decision day) for the legal delays: two queries. The states, the withdrawals
    and the arrivals in each phase are counted in SQL; each phase's days are read, a
    percentile not being an aggregate SQLite has."""
    states = [Counter() for _group in range(count)]
    withdrawals = [Counter() for _group in range(count)]
    reached = [[0] * len(STEPS) for _group in range(count)]
    arrivals = {
        f"reached_{index}": Count(PHASE_FIELDS[source])
        for index, (source, _target) in enumerate(STEPS)
    }
    for row in paths.values("which", "state", "withdrawn_from").annotate(n=Count("pk"), **arrivals):
        group = row["which"]
        states[group][row["state"]] += row["n"]
        if row["withdrawn_from"]:
            withdrawals[group][row["withdrawn_from"]] += row["n"]
        for index in range(len(STEPS)):
            reached[group][index] += row[f"reached_{index}"]
    days = [[[] for _step in STEPS] for _group in range(count)]
    delays = [[] for _group in range(count)]
    durations = (
        DaysBetween(PHASE_FIELDS[target], PHASE_FIELDS[source]) for source, target in STEPS
    )
    for group, candidacy_id, state, filed_on, decided_on, *spent in paths.values_list(
        "which", "candidacy_id", "state", "filed_on", "decided_on", *durations
    ):
        delays[group].append((candidacy_id, state, filed_on, decided_on))
        for index, value in enumerate(spent):
            if value is not None:
                days[group][index].append(value)
    tallies = [
        _Tally(
            states=dict(states[group]),
            conversions=[
                Conversion(source, target, reached[group][index], len(days[group][index]))
                for index, (source, target) in enumerate(STEPS)
            ],
            durations=[
                Duration(source, target, sorted(days[group][index]))
                for index, (source, target) in enumerate(STEPS)
            ],
            withdrawals=dict(withdrawals[group]),
        )
        for group in range(count)
    ]
    return tallies, delays


def _sessions_held(filters: Filters) -> Counter:
    rows = (
        _quartered(
            JurySession.objects.filter(
                status__in=(SessionStatus.HELD, SessionStatus.CLOSED),
                date__gte=filters.first.start,
                date__lt=filters.last.shift(1).start,
            ).order_by(),
            "date",
        )
        .values("year", "number")
        .annotate(n=Count("pk"))
    )
    return Counter({Quarter(row["year"], row["number"]): row["n"] for row in rows})


def _bloc_results(candidacy_ids, filters: Filters) -> list[BlocResult]:
    rows = DecidedBloc.objects.filter(
        deliberation__decided_at__isnull=False,
        deliberation__slot__candidacy_id__in=candidacy_ids,
    )
    if filters.bloc:
        rows = rows.filter(bloc__code=filters.bloc)
    results = [
        BlocResult(row["bloc__code"], row["title"], row["n_validated"], row["n_refused"])
        for row in rows.order_by()
        .values("bloc__code")
        .annotate(
            title=F("bloc__title"),
            n_validated=Count("pk", filter=Q(validated=True)),
            n_refused=Count("pk", filter=Q(validated=False)),
        )
    ]
    merged = {}
    # A code may come from several versions of the référentiel (one row each).
    for row in results:
        seen = merged.get(row.code)
        merged[row.code] = (
            row
            if seen is None
            else BlocResult(
                row.code, row.title, seen.validated + row.validated, seen.refused + row.refused
            )
        )
    # Worst first: the lowest share validated.
    return sorted(merged.values(), key=lambda row: (row.rate or 0, row.code))


def _rating_columns(prefix: str, condition: Q | None = None) -> dict:
    return {
        f"{prefix}{rating.value}": Count(
            "pk", filter=Q(rating=rating) & condition if condition else Q(rating=rating)
        )
        for rating in RATING_ORDER
    }


def _competence_results(candidacy_ids, filters: Filters) -> list[CompetenceResult]:
    """Per compétence: the consolidated ratings of every dossier, and the final ratings
    (the jury's revision where there is one) of the decided ones."""
    consolidated = ConsolidatedRating.objects.filter(candidacy_id__in=candidacy_ids)
    revisions = RatingRevision.objects.filter(
        record__slot__candidacy_id__in=candidacy_ids,
        record__slot__candidacy__state=S.DECIDED,
    )
    if filters.bloc:
        consolidated = consolidated.filter(competence__activity__bloc__code=filters.bloc)
        revisions = revisions.filter(competence__activity__bloc__code=filters.bloc)
    decided = Q(candidacy__state=S.DECIDED)
    # Grouped by the compétence's id, and its code and statement read apart for the few
    # compétences: grouping 165,000 ratings by two text columns took 2.5 times longer.
    rows = (
        consolidated.order_by()
        .values("competence_id")
        .annotate(**_rating_columns("c_"), **_rating_columns("j_", decided))
    )
    counts = defaultdict(lambda: {"c": Counter(), "j": Counter()})
    for row in rows:
        entry = counts[row["competence_id"]]
        for rating in RATING_ORDER:
            entry["c"][rating] += row[f"c_{rating.value}"]
            entry["j"][rating] += row[f"j_{rating.value}"]
    # The jury's revisions move a decided dossier's rating from the consolidated one
    # (the first revision's ``from_rating``) to the last revision's ``to_rating``.
    revised = {}
    for key, competence_id, before, after in (
        revisions.order_by("record__slot__candidacy_id", "competence_id", "created_at", "pk")
        .values_list("record__slot__candidacy_id", "competence_id", "from_rating", "to_rating")
        .iterator()
    ):
        first = revised.get((key, competence_id))
        revised[(key, competence_id)] = (first[0] if first else before, after)
    for (_candidacy, competence_id), (before, after) in revised.items():
        entry = counts[competence_id]
        if before:
            entry["j"][before] -= 1
        entry["j"][after] += 1
    # A code may come from several versions of the référentiel (one id each): one row.
    by_code = defaultdict(lambda: {"c": Counter(), "j": Counter(), "statement": ""})
    for pk, code, statement in Competence.objects.filter(pk__in=list(counts)).values_list(
        "pk", "code", "statement"
    ):
        merged = by_code[code]
        merged["statement"] = merged["statement"] or statement
        merged["c"].update(counts[pk]["c"])
        merged["j"].update(counts[pk]["j"])
    results = [
        CompetenceResult(
            code,
            entry["statement"],
            RatingCounts(*(entry["c"][rating] for rating in RATING_ORDER)),
            RatingCounts(*(entry["j"][rating] for rating in RATING_ORDER)),
        )
        for code, entry in by_code.items()
    ]
    return sorted(results, key=lambda row: (row.failing, row.code))


def _delays(paths: list[tuple], interviews: dict, today: dt.date):
    """The two legal delays of each candidacy of ``paths`` (candidacy, state, last filing,
    decision day): kept, missed (late already, done or not), or still running."""
    jury_limit = _("3 mois")
    notice_limit = fr.plural(NOTIFICATION_DELAY_DAYS, "jour")
    jury = {"kept": 0, "missed": 0, "waiting": 0}
    notice = {"kept": 0, "missed": 0, "waiting": 0}
    missed = []
    jury_label = _("Dépôt du dossier → jury")
    notice_label = _("Jury → notification de la décision")
    for candidacy_id, state, filed_on, decided_on in paths:
        session_date = interviews.get(candidacy_id)
        if filed_on is not None and (session_date or state in AWAITING_JURY):
            deadline = legal_deadline(filed_on)
            end = session_date
            if end is None and today <= deadline:
                jury["waiting"] += 1
            elif end is not None and end <= deadline:
                jury["kept"] += 1
            else:
                jury["missed"] += 1
                missed.append((jury_label, candidacy_id, filed_on, deadline, end))
        if session_date is not None and state in (S.INTERVIEWED, S.DECIDED):
            deadline = session_date + dt.timedelta(days=NOTIFICATION_DELAY_DAYS)
            end = decided_on
            if end is None and today <= deadline:
                notice["waiting"] += 1
            elif end is not None and end <= deadline:
                notice["kept"] += 1
            else:
                notice["missed"] += 1
                missed.append((notice_label, candidacy_id, session_date, deadline, end))
    counts = [
        DelayCount(jury_label, jury_limit, **jury),
        DelayCount(notice_label, notice_limit, **notice),
    ]
    # The latest first: what the certifier can still act on.
    missed.sort(key=lambda row: (row[3], row[1]), reverse=True)
    return counts, missed


def _missed_rows(shown: list, created: dict, today: dt.date) -> list[MissedDelay]:
    """The missed delays ``shown``, with their file numbers (``created``: each candidacy's
    creation moment)."""
    rows = []
    for delay, candidacy_id, started_on, deadline, ended_on in shown:
        # The file number as ``Candidacy.reference`` writes it.
        year = created[candidacy_id].year if candidacy_id in created else started_on.year
        rows.append(
            MissedDelay(
                delay,
                candidacy_id,
                f"VAE-{year}-{candidacy_id:05d}",
                started_on,
                deadline,
                ended_on,
                ((ended_on or today) - deadline).days,
            )
        )
    return rows


# -- the sections: each computed, and cached, apart --------------------------------------
#
# A transition (the most frequent write) changes what the workflow section reads, and only
# for the quarter of its candidacy: not the agreement's sums nor the results per bloc and
# compétence, which cost about half of the computation on 10,000 candidacies. The workflow
# is computed and cached quarter by quarter, the two others for the whole period, each
# under a token of what it reads (``_versions``): after a write, the page computes again
# only the pieces that write changed.


@dataclass(frozen=True)
class _QuarterWorkflow:
    """The workflow of the candidacies whose (last) recevabilité falls in one quarter."""

    tally: _Tally
    delays: list[DelayCount]
    missed: list[MissedDelay]  # the latest ``MISSED_SHOWN``
    missed_total: int


@dataclass(frozen=True)
class _Results:
    blocs: list[BlocResult]
    competences: list[CompetenceResult]


def _workflows(quarters: list[Quarter], bloc: str, today: dt.date) -> dict:
    """States, conversions, durations, withdrawals and legal delays of the candidacies of
    each of ``quarters`` (in order; those the cache lacks, not always following each
    other), from their paths: a ``_QuarterWorkflow`` by quarter, in four queries whatever
    the number of quarters."""
    if not quarters:
        return {}
    paths = _quarters_paths(quarters, bloc)
    tallies, dossiers = _tallies(paths.annotate(which=_quarter_index(quarters)), len(quarters))
    interviews = dict(
        Slot.objects.filter(
            candidacy_id__in=paths.values("candidacy_id"), status=SlotStatus.INTERVIEWED
        )
        .order_by("session__date")
        .values_list("candidacy_id", "session__date")
    )
    delays = [_delays(rows, interviews, today) for rows in dossiers]
    shown = [missed[:MISSED_SHOWN] for _counts, missed in delays]
    created = dict(
        Candidacy.objects.filter(pk__in={row[1] for rows in shown for row in rows}).values_list(
            "pk", "created_at"
        )
    )
    return {
        quarter: _QuarterWorkflow(
            tally=tally,
            delays=counts,
            missed=_missed_rows(rows, created, today),
            missed_total=len(missed),
        )
        for quarter, tally, (counts, missed), rows in zip(
            quarters, tallies, delays, shown, strict=True
        )
    }


def _merged_tally(tallies: list[_Tally]) -> _Tally:
    """The tally of several groups of candidacies, from theirs (the whole period's)."""
    states, withdrawals = Counter(), Counter()
    for tally in tallies:
        states.update(tally.states)
        withdrawals.update(tally.withdrawals)
    return _Tally(
        states=dict(states),
        conversions=[
            Conversion(
                source,
                target,
                sum(tally.conversions[index].reached for tally in tallies),
                sum(tally.conversions[index].converted for tally in tallies),
            )
            for index, (source, target) in enumerate(STEPS)
        ],
        durations=[
            Duration(
                source,
                target,
                # Sorted runs put end to end: Timsort merges them in C, where heapq.merge
                # steps through each value in Python (10,000 candidacies: 16 -> 2 ms).
                sorted(chain.from_iterable(tally.durations[index].days for tally in tallies)),
            )
            for index, (source, target) in enumerate(STEPS)
        ],
        withdrawals=dict(withdrawals),
    )


def _merged_delays(pieces: list[_QuarterWorkflow]) -> list[DelayCount]:
    return [
        DelayCount(
            same[0].label,
            same[0].limit,
            kept=sum(count.kept for count in same),
            missed=sum(count.missed for count in same),
            waiting=sum(count.waiting for count in same),
        )
        for same in zip(*(piece.delays for piece in pieces), strict=True)
    ]


def _agreement(filters: Filters) -> dict:
    """The sums of the Fleiss tables of each quarter's dossiers (``TableSums`` by quarter):
    two queries. A candidacy's quarter is that of its path (its last recevabilité)."""
    paths = _period_paths(filters)
    quarters = filters.quarters
    quarter_of = dict(
        paths.annotate(which=_quarter_index(quarters)).values_list("candidacy_id", "which")
    )
    per_dossier = sums_per_dossier(
        ready_candidacies().filter(pk__in=paths.values("candidacy_id")).values("pk")
    )
    sums = defaultdict(lambda: NO_TABLE)
    for candidacy_id, table in per_dossier.items():
        sums[quarters[quarter_of[candidacy_id]]] += table
    return dict(sums)


def _results(filters: Filters) -> _Results:
    """The results per bloc and per compétence: four queries."""
    candidacy_ids = _period_ids(filters)
    return _Results(
        blocs=_bloc_results(candidacy_ids, filters),
        competences=_competence_results(candidacy_ids, filters),
    )


def _row(quarter, tally: _Tally, kappa_sums, sessions) -> QuarterRow:
    return QuarterRow(
        quarter=quarter,
        states=tally.states,
        conversions=tally.conversions,
        durations=tally.durations,
        withdrawals=tally.withdrawals,
        kappa=compute_sums(kappa_sums),
        sessions=sessions,
    )


def _assemble(
    filters: Filters, today: dt.date, workflow: dict, agreement: dict, results: _Results
) -> Dashboard:
    """The dashboard from its pieces: ``workflow`` is a ``_QuarterWorkflow`` by quarter."""
    sessions = _sessions_held(filters)
    pieces = [workflow[quarter] for quarter in filters.quarters]
    rows = [
        _row(quarter, piece.tally, agreement.get(quarter, NO_TABLE), sessions[quarter])
        for quarter, piece in zip(filters.quarters, pieces, strict=True)
    ]
    overall = _row(
        None,
        _merged_tally([piece.tally for piece in pieces]),
        sum((agreement.get(quarter, NO_TABLE) for quarter in filters.quarters), NO_TABLE),
        sum(sessions.values()),
    )
    # The latest deadlines first, as ``_delays`` orders each quarter's.
    missed = sorted(
        (row for piece in pieces for row in piece.missed),
        key=lambda row: (row.deadline, row.candidacy_id),
        reverse=True,
    )
    return Dashboard(
        filters=filters,
        quarters=rows,
        overall=overall,
        blocs=results.blocs,
        competences=results.competences,
        delays=_merged_delays(pieces),
        missed=missed[:MISSED_SHOWN],
        missed_total=sum(piece.missed_total for piece in pieces),
        today=today,
    )


def dashboard(filters: Filters, *, today: dt.date | None = None) -> Dashboard:
    """Every section of the dashboard for ``filters``: twelve queries."""
    today = today or timezone.localdate()
    _fresh(filters)
    return _assemble(
        filters,
        today,
        workflow=_workflows(filters.quarters, filters.bloc, today),
        agreement=_agreement(filters),
        results=_results(filters),
    )


# -- the cache ------------------------------------------------------------------------------

# Keyed by the version of what it reads: the timeout only bounds an unused entry.
CACHE_TIMEOUT = 24 * 60 * 60


def _last(queryset, field: str = "pk"):
    # One ordered read each: a query with several MAX() is a full scan on SQLite.
    return queryset.order_by(f"-{field}").values_list(field, flat=True).first()


def _token(state) -> str:
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def _quarter_versions(filters: Filters, today: dt.date) -> dict[Quarter, str]:
    """A token per quarter of what its workflow reads: the last transition of each of its
    candidacies (every state change writes one, a new recevabilité included), the slots
    and sessions (the interviews' dates), and the day (the delays run until today). One
    query for the quarters, a row each."""
    jury = (
        _last(Slot.objects),
        _last(Slot.objects, "ended_at"),
        _last(JurySession.objects),
        _last(SessionStatusChange.objects),
    )
    # The paths are fresh (``_fresh``): a transition moves its candidacy's ``last_row``,
    # a new recevabilité its quarter, each quarter's count and highest row with them.
    counted = {
        row["which"]: (row["n"], row["latest"])
        for row in _period_paths(filters)
        .annotate(which=_quarter_index(filters.quarters))
        .values("which")
        .annotate(n=Count("pk"), latest=Max("last_row"))
    }
    return {
        quarter: _token((quarter, filters.bloc, today, counted.get(index), jury))
        for index, quarter in enumerate(filters.quarters)
    }


def _versions() -> dict[str, str]:
    """A token for each of the two sections computed for the whole period, of everything
    it reads, from a few narrow ordered reads: a write it reads gives it another token.

    - agreement: the candidacies of the period (a recevabilité) and the grids;
    - results: the candidacies of the period, the consolidations, the jury's revisions,
      decisions and rectifications, and a candidacy reaching or leaving « décidé » (the
      final ratings are those of the decided dossiers).
    """
    accepted = _last(CandidacyTransition.objects.filter(transition=Transition.ACCEPT_ELIGIBILITY))
    return {
        "agreement": _token((accepted, agreement_version())),
        "results": _token(
            (
                accepted,
                _last(
                    CandidacyTransition.objects.filter(
                        Q(target_state=S.DECIDED) | Q(source_state=S.DECIDED)
                    )
                ),
                _last(ConsolidatedRating.objects),
                _last(ConsolidatedRating.objects, "decided_at"),
                _last(RatingRevision.objects),
                _last(Deliberation.objects, "decided_at"),
                _last(DecidedBloc.objects),
                _last(DecisionRectification.objects),
            )
        ),
    }


def cached_dashboard(filters: Filters) -> Dashboard:
    """``dashboard(filters)``, each piece computed again only once something it reads has
    changed (``_quarter_versions``, ``_versions``): the page is read far more often than
    the workflow moves, and a full computation reads every candidacy of the period."""
    today = timezone.localdate()
    _fresh(filters)
    versions = _versions()

    # Every piece in one read of the cache (a table by default: ``cohorts.caching``).
    keys = {
        quarter: f"cohorts-dashboard:workflow:{version}"
        for quarter, version in _quarter_versions(filters, today).items()
    }
    agreement_key = f"cohorts-dashboard:agreement:{filters.key}:{versions['agreement']}"
    results_key = f"cohorts-dashboard:results:{filters.key}:{versions['results']}"
    found = cache.get_many([*keys.values(), agreement_key, results_key])

    workflow = {quarter: found[key] for quarter, key in keys.items() if key in found}
    missing = [quarter for quarter in filters.quarters if quarter not in workflow]
    sections = {
        key: compute
        for key, compute in ((agreement_key, _agreement), (results_key, _results))
        if key not in found
    }
    # Two sections or more to compute (the first view of a period, of the day): the
    # agreement and the results each read on their own connection while this one reads
    # the workflow (``vae.aside``); each is mostly SQLite's time, which runs at once.
    aside = {}
    if len(sections) + bool(missing) > 1 and may_read_aside():
        aside = {key: read_aside(compute, filters) for key, compute in sections.items()}
    # The quarters' workflows the cache lacks, computed together.
    computed = _workflows(missing, filters.bloc, today)
    for key, compute in sections.items():
        found[key] = aside[key].result() if key in aside else compute(filters)
    cache.set_many(
        {keys[quarter]: piece for quarter, piece in computed.items()}
        | {key: found[key] for key in sections},
        CACHE_TIMEOUT,
    )
    return _assemble(
        filters,
        today,
        workflow=workflow | computed,
        agreement=found[agreement_key],
        results=found[results_key],
    )
