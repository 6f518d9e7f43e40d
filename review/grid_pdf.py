"""The evaluation grid of a dossier: every evaluator's rating of every compétence, the
consolidated rating, the divergences and the provisional outcome per bloc.

``build_grid`` gathers it in a fixed number of queries; the staff follow-up page and the
PDF (``render_grid_pdf``, from ``templates/review/pdf/grid.html``, rendered in a task as a
generated document: ``review.grid_document``) both show it. The grid names the
evaluators and their individual ratings: staff only, never the candidate.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from review import rules
from review.models import Assignment, CompetenceRating, ConsolidatedRating, ReviewSettings
from vae.documents.pdf import render_template_pdf
from vae.enums import CandidacyState

GRID_TEMPLATE = "review/pdf/grid.html"


@dataclass(frozen=True)
class EvaluatorColumn:
    assignment: object
    number: int  # « Évaluateur 1 » … in the order of the seats

    @property
    def name(self) -> str:
        user = self.assignment.evaluator
        return user.get_full_name() or user.email

    @property
    def organisation(self) -> str:
        profile = getattr(self.assignment.evaluator, "evaluator_profile", None)
        return profile.organisation if profile else ""


@dataclass(frozen=True)
class RatingCell:
    column: EvaluatorColumn
    rating: object  # a CompetenceRating, or None while not rated

    @property
    def submitted(self) -> bool:
        return self.column.assignment.grid_submitted


@dataclass(frozen=True)
class CompetenceRow:
    competence: object
    activity: object
    cells: tuple[RatingCell, ...]
    consolidated: object  # a ConsolidatedRating, or None
    divergent: bool
    spread: int

    @property
    def rated(self) -> list[str]:
        return [cell.rating.rating for cell in self.cells if cell.rating is not None]

    @property
    def distribution(self) -> str:
        """« 2 × acquis, 1 × partiellement acquis, 1 × non acquis »."""
        return rules.distribution_text(self.rated)


@dataclass(frozen=True)
class BlocSection:
    bloc: object
    rows: tuple[CompetenceRow, ...]
    outcome: object  # referentiel.rules.BlocOutcome, or None until every rating is consolidated

    @property
    def consolidated_count(self) -> int:
        return sum(1 for row in self.rows if row.consolidated is not None)

    @property
    def divergent_count(self) -> int:
        return sum(1 for row in self.rows if row.divergent)

    @property
    def missing_count(self) -> int:
        return len(self.rows) - self.consolidated_count


@dataclass(frozen=True)
class Grid:
    candidacy: object
    evaluators: tuple[EvaluatorColumn, ...]
    blocs: tuple[BlocSection, ...]
    threshold: int
    generated_at: object = field(default_factory=timezone.now)

    @property
    def rows(self) -> list[CompetenceRow]:
        return [row for section in self.blocs for row in section.rows]

    @property
    def all_submitted(self) -> bool:
        return bool(self.evaluators) and all(
            column.assignment.grid_submitted for column in self.evaluators
        )

    @property
    def divergent_count(self) -> int:
        return sum(section.divergent_count for section in self.blocs)

    @property
    def consolidated_count(self) -> int:
        return sum(section.consolidated_count for section in self.blocs)

    @property
    def complete(self) -> bool:
        rows = self.rows
        return bool(rows) and all(row.consolidated is not None for row in rows)

    @property
    def provisional(self) -> bool:
        """Still moving: the review runs, or some rating is not consolidated yet."""
        return self.candidacy.state == CandidacyState.UNDER_REVIEW or not self.complete

    @property
    def threshold_label(self) -> str:
        if self.threshold <= 1:
            return _("tout désaccord entre évaluateurs")
        return _("« acquis » face à « non acquis »")

    @property
    def filename(self) -> str:
        return f"grille-evaluation-{self.candidacy.reference}.pdf"


def build_grid(candidacy, *, threshold=None) -> Grid:
    """The grid of ``candidacy`` in a fixed number of queries, whatever its size.

    Only the evaluators who hold their seat now (declared and active) appear: a grid
    started by someone removed from the panel does not count.
    """
    if threshold is None:
        threshold = ReviewSettings.load().divergence_spread
    # The référentiel's seat order (external professionals, training body, certifier),
    # not the alphabetical order of the seat codes.
    assignments = rules.by_seat(
        Assignment.objects.active()
        .filter(candidacy=candidacy)
        .select_related("evaluator__evaluator_profile"),
        rules.seat_order(candidacy),
    )
    columns = tuple(EvaluatorColumn(assignment=a, number=i) for i, a in enumerate(assignments, 1))
    ratings = {
        (r.assignment_id, r.competence_id): r
        for r in CompetenceRating.objects.filter(assignment__in=[a.pk for a in assignments])
    }
    consolidated = {
        c.competence_id: c
        for c in ConsolidatedRating.objects.filter(candidacy=candidacy).select_related("decided_by")
    }
    outcomes = {bloc.pk: outcome for bloc, outcome in rules.provisional_outcomes(candidacy)}
    sections = []
    for bloc in candidacy.referentiel_tree():
        rows = []
        for activity in bloc.activities.all():
            for competence in activity.competences.all():
                cells = tuple(
                    RatingCell(column, ratings.get((column.assignment.pk, competence.pk)))
                    for column in columns
                )
                given = [cell.rating.rating for cell in cells if cell.rating is not None]
                rows.append(
                    CompetenceRow(
                        competence=competence,
                        activity=activity,
                        cells=cells,
                        consolidated=consolidated.get(competence.pk),
                        divergent=rules.is_divergent(given, threshold),
                        spread=rules.spread(given),
                    )
                )
        sections.append(BlocSection(bloc=bloc, rows=tuple(rows), outcome=outcomes.get(bloc.pk)))
    return Grid(candidacy=candidacy, evaluators=columns, blocs=tuple(sections), threshold=threshold)


# -- PDF -------------------------------------------------------------------------------


def render_grid_pdf(grid: Grid) -> bytes:
    # The style sheet is in the page and the fonts are the system's: WeasyPrint may fetch
    # nothing, so no URL an evaluator typed can reach the network or read a file.
    return render_template_pdf(GRID_TEMPLATE, {"grid": grid}, local_files=False)
