"""Inter-rater agreement: how far the four evaluators of a panel rate alike.

Fleiss' kappa (``review.rules.fleiss_kappa``) over the ratings of the dossiers whose
grids are all in: per dossier (the compétences are the subjects), over all dossiers (each
dossier × compétence is a subject), and per compétence across dossiers (the dossiers are
the subjects).

A kappa needs only the sums of its table (``review.rules.fleiss_kappa_from_sums``): the
database counts the ratings per dossier × compétence and adds these rows up per
compétence, or per dossier for the page of dossiers shown, so the report reads a few
dozen rows and costs a fixed number of queries, however many dossiers were rated.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referentiel import french as fr
from referentiel.enums import Panel, Rating
from referentiel.models import Competence, CompositionSeat
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.models import Assignment, CompetenceRating
from review.rules import RATING_ORDER, fleiss_kappa, fleiss_kappa_from_sums
from vae.models import Candidacy
from vae.pagination import PageOf, paginate

# How many compétences the report singles out as the least agreed upon.
LOWEST_SHOWN = 3
DOSSIERS_PER_PAGE = 25
# The aggregates are keyed by what they read; the timeout only bounds an unused entry.
AGGREGATES_TIMEOUT = 24 * 60 * 60

# Landis & Koch (1977): the usual reading of a kappa, upper bound included.
# Below 0: « désaccord ».
READINGS = (
    (0.20, gettext_lazy("accord très faible")),
    (0.40, gettext_lazy("accord faible")),
    (0.60, gettext_lazy("accord modéré")),
    (0.80, gettext_lazy("accord substantiel")),
    (1.0, gettext_lazy("accord presque parfait")),
)


def reading(kappa: float | None) -> str:
    """Landis & Koch's words for ``kappa``, read on the value as displayed (2 decimals)."""
    if kappa is None:
        return _("non calculable")
    value = round(kappa, 2)
    if value < 0:
        return _("désaccord")
    for upper, label in READINGS:
        if value <= upper:
            return str(label)
    return str(READINGS[-1][1])


@dataclass(frozen=True)
class Kappa:
    """One kappa with what it was computed on."""

    subjects: int  # n: compétences, dossiers × compétences, or dossiers
    raters: int
    value: float | None
    totals: list[int]  # ratings given per category: acquis, partiel, non acquis
    why_undefined: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return _("non calculable")
        # « -0,00 » would read as a disagreement that is not there.
        value = round(self.value, 2) + 0.0
        return fr.number(value, 2)

    @property
    def reading(self) -> str:
        return reading(self.value)

    @property
    def ratings(self) -> int:
        return sum(self.totals)


def compute(table: list[list[int]]) -> Kappa:
    """Kappa of a subjects × (acquis, partiel, non acquis) table, never raising."""
    rows = [row for row in table if sum(row)]
    totals = [sum(column) for column in zip(*rows, strict=True)] if rows else [0, 0, 0]
    raters = sum(rows[0]) if rows else 0
    why = ""
    try:
        value = fleiss_kappa(rows)
    except ValueError:
        value, why = None, _("nombre d'évaluateurs différent selon les dossiers")
    if value is None and not why:
        if not rows:
            why = _("aucun dossier")
        elif sum(1 for total in totals if total) == 1:
            why = _("toutes les appréciations sont identiques")
    return Kappa(subjects=len(rows), raters=raters, value=value, totals=totals, why_undefined=why)


@dataclass(frozen=True)
class DossierAgreement:
    candidacy: object
    kappa: Kappa
    # Where the viewer follows its ratings ("" when they may not: their own candidacy).
    url: str = ""


@dataclass(frozen=True)
class CompetenceAgreement:
    competence: object
    kappa: Kappa
    lowest: bool = False

    @property
    def certification(self):
        return self.competence.activity.bloc.certification


@dataclass(frozen=True)
class AgreementReport:
    dossiers: list[DossierAgreement]
    overall: Kappa
    competences: list[CompetenceAgreement]
    # Several versions of the référentiel: the compétences then show their version.
    several_versions: bool = False
    lowest: list[CompetenceAgreement] = field(default_factory=list)
    # The page of dossiers shown (``dossiers`` are its rows); its count is every dossier.
    pages: PageOf | None = None

    @property
    def dossier_count(self) -> int:
        return self.pages.count if self.pages else len(self.dossiers)

    @property
    def rating_labels(self) -> list[str]:
        return [Rating.ACQUIRED.label, Rating.PARTIAL.label, Rating.NOT_ACQUIRED.label]


def ready_candidacies():
    """Candidacies whose panel is the référentiel's composition, every grid of it in and
    no seat still held without one (a replacement awaiting their declaration included):
    the dossiers of this report, decided in SQL."""
    submitted = Assignment.objects.filter(
        status=AssignmentStatus.ACTIVE, grid_submitted_at__isnull=False
    )
    pending = Assignment.objects.filter(
        candidacy=OuterRef("pk"), status__in=HOLDING_STATUSES, grid_submitted_at__isnull=True
    )
    seats = CompositionSeat.objects.filter(panel=Panel.EVALUATORS)

    def counted(queryset, group, aggregate):
        return Subquery(
            queryset.order_by().values(group).annotate(n=aggregate).values("n"),
            output_field=IntegerField(),
        )

    # A seat role the panel does not fill exactly (the seats of a role may be several rows).
    unfilled = (
        seats.filter(certification=OuterRef("certification"))
        .annotate(
            have=Coalesce(
                counted(
                    submitted.filter(candidacy=OuterRef(OuterRef("pk")), category=OuterRef("role")),
                    "candidacy",
                    Count("pk"),
                ),
                0,
            ),
            want=counted(
                seats.filter(certification=OuterRef("certification"), role=OuterRef("role")),
                "role",
                Sum("count"),
            ),
        )
        .exclude(have=F("want"))
    )
    return (
        # From the grids in, not from every candidacy: the dossiers under review are few.
        Candidacy.objects.filter(pk__in=submitted.values("candidacy"))
        .exclude(Exists(pending))
        .annotate(
            panel_size=counted(
                submitted.filter(candidacy=OuterRef("pk")), "candidacy", Count("pk")
            ),
            seat_total=counted(
                seats.filter(certification=OuterRef("certification")), "certification", Sum("count")
            ),
        )
        # As many grids as seats, and every role filled: no evaluator outside the seats.
        .filter(panel_size=F("seat_total"))
        .exclude(Exists(unfilled))
    )


def _subjects(candidacies):
    """One row per dossier × compétence: the ratings given per category (a row of a
    Fleiss table) and how many, grouped in SQL."""
    return (
        CompetenceRating.objects.filter(
            assignment__status=AssignmentStatus.ACTIVE,
            assignment__grid_submitted_at__isnull=False,
            assignment__candidacy__in=candidacies,
        )
        .order_by()
        .values(
            subject_candidacy=F("assignment__candidacy_id"),
            subject_competence=F("competence_id"),
        )
        .annotate(
            **{
                column: Count("pk", filter=Q(rating=rating))
                for column, rating in zip(CATEGORY_COLUMNS, RATING_ORDER, strict=True)
            },
            raters=Count("pk"),
        )
    )


def _panels(candidacies):
    """The size of each panel: its grids in."""
    return (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            grid_submitted_at__isnull=False,
            candidacy__in=candidacies,
        )
        .order_by()
        .values(panel_candidacy=F("candidacy_id"))
        .annotate(panel_size=Count("pk"))
    )


CATEGORY_COLUMNS = ("acquired", "partial", "not_acquired")


def _table_sums(candidacies, group: str) -> dict:
    """Per ``group`` (``subject_candidacy`` or ``subject_competence``): the sums of its
    Fleiss table (subjects, least and most raters, totals per category, Σ n_ij²), in one
    query whatever the number of dossiers."""
    subjects, subject_params = _subjects(candidacies).query.sql_with_params()
    panels, panel_params = _panels(candidacies).query.sql_with_params()
    q = connection.ops.quote_name
    squares = " + ".join(f"{q(c)} * {q(c)}" for c in CATEGORY_COLUMNS)
    totals = ", ".join(f"SUM({q(c)})" for c in CATEGORY_COLUMNS)
    # A compétence rated by fewer than the whole panel cannot enter a Fleiss table.
    query = (
        f"SELECT {q(group)}, COUNT(*), MIN({q('raters')}), MAX({q('raters')}), {totals}, "
        f"SUM({squares}) FROM ({subjects}) subjects INNER JOIN ({panels}) panels "
        f"ON {q('panel_candidacy')} = {q('subject_candidacy')} "
        f"WHERE {q('raters')} = {q('panel_size')} GROUP BY {q(group)}"
    )
    params = (*subject_params, *panel_params)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {
            key: TableSums(subjects, low, high, [int(t) for t in (a, p, n)], int(sq))
            for key, subjects, low, high, a, p, n, sq in cursor.fetchall()
        }


def sums_per_dossier(candidacies) -> dict:
    """The sums of each dossier's Fleiss table (``TableSums`` by candidacy id), in one
    query: what a caller adds up over its own groups of dossiers (the cohorts'
    dashboard, per quarter of recevabilité)."""
    return _table_sums(candidacies, "subject_candidacy")


@dataclass(frozen=True)
class TableSums:
    subjects: int
    fewest_raters: int
    most_raters: int
    totals: list[int]
    squares: int

    def __add__(self, other: "TableSums") -> "TableSums":
        if not (self.subjects and other.subjects):
            return self if self.subjects else other
        return TableSums(
            self.subjects + other.subjects,
            min(self.fewest_raters, other.fewest_raters),
            max(self.most_raters, other.most_raters),
            [a + b for a, b in zip(self.totals, other.totals, strict=True)],
            self.squares + other.squares,
        )


NO_TABLE = TableSums(0, 0, 0, [0, 0, 0], 0)


def compute_sums(sums: TableSums) -> Kappa:
    """``compute`` from the sums of a table (``TableSums``), never raising."""
    why = ""
    value = None
    if sums.subjects:
        try:
            if sums.fewest_raters != sums.most_raters:
                raise ValueError
            value = fleiss_kappa_from_sums(
                subjects=sums.subjects,
                raters=sums.most_raters,
                totals=sums.totals,
                squares=sums.squares,
            )
        except ValueError:
            why = _("nombre d'évaluateurs différent selon les dossiers")
    if value is None and not why:
        if not sums.subjects:
            why = _("aucun dossier")
        elif sum(1 for total in sums.totals if total) == 1:
            why = _("toutes les appréciations sont identiques")
    return Kappa(
        subjects=sums.subjects,
        raters=sums.most_raters,
        value=value,
        totals=list(sums.totals),
        why_undefined=why,
    )


def _review_version() -> str:
    """A token of everything the report is computed from: the assignments (seats, statuses,
    grids in), the ratings, and the evaluator seats of the référentiel versions, where the
    report's own aggregation reads every rating of every rated dossier.

    The ratings count through their last id and last change, which indexes answer without
    reading them: a rating is only written before its grid is in (``services.rate``), and
    a grid taken back changes the assignments' figures."""
    state = (
        Assignment.objects.aggregate(
            count=Count("pk"),
            last=Max("pk"),
            active=Count("pk", filter=Q(status=AssignmentStatus.ACTIVE)),
            holding=Count("pk", filter=Q(status__in=HOLDING_STATUSES)),
            grids=Count("grid_submitted_at"),
            last_grid=Max("grid_submitted_at"),
        ),
        # One ordered read each: a query with two MAX() is a full scan on SQLite.
        CompetenceRating.objects.order_by("-pk").values_list("pk", flat=True).first(),
        CompetenceRating.objects.order_by("-updated_at").values_list("updated_at").first(),
        CompositionSeat.objects.filter(panel=Panel.EVALUATORS).aggregate(
            rows=Count("pk"), last=Max("pk"), seats=Sum("count")
        ),
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def agreement_version() -> str:
    """A token of everything the agreement is computed from (``_review_version``), for a
    caller that caches what it computes from the ratings (the cohorts' dashboard)."""
    return _review_version()


@dataclass(frozen=True)
class _Aggregates:
    """What the report computes over every rated dossier: the dossiers in their order,
    and the sums of each compétence's table."""

    ready_ids: list[int]
    per_competence: dict


def _aggregates() -> _Aggregates:
    ready = ready_candidacies()
    return _Aggregates(
        ready_ids=list(ready.order_by("created_at", "pk").values_list("pk", flat=True)),
        per_competence=_table_sums(ready.values("pk"), "subject_competence"),
    )


def agreement_report(page=1) -> AgreementReport:
    """The agreement over every dossier whose grids are all in, the dossiers shown by
    pages (``page`` as read from the query string), in a fixed number of queries.

    The aggregation over every rated dossier is kept in the cache under the version of
    what it reads (``_review_version``): it is computed again only once a grid, a rating,
    a seat or an assignment changed, so reading the report costs the same however many
    dossiers were rated; only the page of dossiers shown is read each time."""
    aggregates = cache.get_or_set(
        f"agreement-report:{_review_version()}", _aggregates, AGGREGATES_TIMEOUT
    )
    pages = paginate(aggregates.ready_ids, page, per_page=DOSSIERS_PER_PAGE)
    shown_ids = list(pages.rows)
    by_id = Candidacy.objects.select_related("candidate", "certification").in_bulk(shown_ids)
    shown = [by_id[pk] for pk in shown_ids if pk in by_id]
    per_dossier = _table_sums(shown_ids, "subject_candidacy") if shown_ids else {}
    dossiers = [
        DossierAgreement(
            candidacy=candidacy, kappa=compute_sums(per_dossier.get(candidacy.pk, NO_TABLE))
        )
        for candidacy in shown
    ]
    per_competence = aggregates.per_competence
    overall = compute_sums(sum(per_competence.values(), NO_TABLE))
    competences = {
        c.pk: c
        for c in Competence.objects.filter(pk__in=list(per_competence)).select_related(
            "activity__bloc__certification"
        )
    }
    kappas = sorted(
        ((competences[pk], compute_sums(sums)) for pk, sums in per_competence.items()),
        key=lambda pair: _competence_order(pair[0]),
    )
    computable = sorted(
        (pair for pair in kappas if pair[1].value is not None),
        key=lambda pair: (pair[1].value, _competence_order(pair[0])),
    )
    lowest_ids = {competence.pk for competence, _kappa in computable[:LOWEST_SHOWN]}
    competence_rows = [
        CompetenceAgreement(competence=competence, kappa=kappa, lowest=competence.pk in lowest_ids)
        for competence, kappa in kappas
    ]
    lowest = sorted(
        (row for row in competence_rows if row.lowest),
        key=lambda row: (row.kappa.value, _competence_order(row.competence)),
    )
    versions = {row.certification.pk for row in competence_rows}
    return AgreementReport(
        dossiers=dossiers,
        overall=overall,
        competences=competence_rows,
        several_versions=len(versions) > 1,
        lowest=lowest,
        pages=pages,
    )


def _competence_order(competence):
    activity = competence.activity
    return (
        activity.bloc.certification.code,
        activity.bloc.certification.version,
        activity.bloc.sort_order,
        activity.bloc.code,
        activity.sort_order,
        activity.code,
        competence.sort_order,
        competence.code,
    )
