"""Inter-rater agreement: how far the four evaluators of a panel rate alike.

Fleiss' kappa (``review.rules.fleiss_kappa``) over the ratings of the dossiers whose
grids are all in: per dossier (the compétences are the subjects), over all dossiers (each
dossier × compétence is a subject), and per compétence across dossiers (the dossiers are
the subjects). The whole report costs a fixed number of queries, however many dossiers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from french import format as fr
from referentiel.enums import Panel, Rating
from referentiel.models import Competence, CompositionSeat
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.models import Assignment, CompetenceRating
from review.rules import fleiss_kappa, rating_counts
from vae.models import Candidacy

# How many compétences the report singles out as the least agreed upon.
LOWEST_SHOWN = 3

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

    @property
    def rating_labels(self) -> list[str]:
        return [Rating.ACQUIRED.label, Rating.PARTIAL.label, Rating.NOT_ACQUIRED.label]


def _complete_panels(assignments, seats_by_certification) -> dict[int, list]:
    """Candidacy id → its active assignments, for panels full and all submitted."""
    by_candidacy = defaultdict(list)
    for assignment in assignments:
        by_candidacy[assignment.candidacy_id].append(assignment)
    complete = {}
    for candidacy_id, panel in by_candidacy.items():
        certification_id = panel[0].candidacy.certification_id
        wanted = seats_by_certification.get(certification_id, Counter())
        if wanted and Counter(a.category for a in panel) == wanted:
            complete[candidacy_id] = panel
    return complete


def agreement_report() -> AgreementReport:
    """The agreement of every dossier whose grids are all in (5 queries, always)."""
    # A seat still held without a submitted grid (a replacement awaiting their
    # declaration included) means the dossier is not ready for this report.
    pending = Assignment.objects.filter(
        candidacy=OuterRef("candidacy"),
        status__in=HOLDING_STATUSES,
        grid_submitted_at__isnull=True,
    )
    submitted = (
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, grid_submitted_at__isnull=False)
        .exclude(Exists(pending))
        .order_by("candidacy_id", "pk")
    )
    assignments = list(submitted.select_related("candidacy"))
    seats = defaultdict(Counter)
    for seat in CompositionSeat.objects.filter(
        panel=Panel.EVALUATORS,
        certification__in={a.candidacy.certification_id for a in assignments},
    ):
        seats[seat.certification_id][seat.role] += seat.count
    panels = _complete_panels(assignments, seats)

    # candidacy id → competence id → the ratings given
    given = defaultdict(lambda: defaultdict(list))
    for candidacy_id, competence_id, rating in CompetenceRating.objects.filter(
        assignment__in=submitted
    ).values_list("assignment__candidacy_id", "competence_id", "rating"):
        if candidacy_id in panels:
            given[candidacy_id][competence_id].append(rating)

    candidacies = Candidacy.objects.filter(pk__in=list(panels)).select_related(
        "candidate", "certification"
    )
    competences = {
        c.pk: c
        for c in Competence.objects.filter(
            pk__in={pk for ratings in given.values() for pk in ratings}
        ).select_related("activity__bloc__certification")
    }

    def complete_rows(candidacy_id):
        size = len(panels[candidacy_id])
        # A compétence rated by fewer than the whole panel cannot enter a Fleiss table.
        return {
            competence_id: rating_counts(ratings)
            for competence_id, ratings in given[candidacy_id].items()
            if len(ratings) == size
        }

    rows = {candidacy.pk: complete_rows(candidacy.pk) for candidacy in candidacies}
    dossiers = [
        DossierAgreement(candidacy=candidacy, kappa=compute(list(rows[candidacy.pk].values())))
        for candidacy in sorted(candidacies, key=lambda c: (c.created_at, c.pk))
    ]
    overall = compute([row for table in rows.values() for row in table.values()])

    per_competence = defaultdict(list)
    for table in rows.values():
        for competence_id, row in table.items():
            per_competence[competence_id].append(row)
    kappas = sorted(
        ((competences[pk], compute(table)) for pk, table in per_competence.items()),
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
