"""The consolidation page of the certifier's representative: the four grids side by
side, the divergences, a proposal where a majority agrees, and the provisional outcome
per bloc. Before every grid is in, only who is awaited (and to the seat whose own grid is
in: blind review)."""

from dataclasses import dataclass, replace

from referentiel.enums import Rating
from review import permissions, rules
from review.models import Assignment, CompetenceRating, ConsolidatedRating
from review.selectors.grid import (
    ActivityRows,
    BlocRows,
    OtherRating,
    display_name,
    rating_of,
    sorted_by_seat,
)


@dataclass(frozen=True)
class PanelMember:
    name: str
    seat: str


def _member(assignment) -> PanelMember:
    return PanelMember(display_name(assignment.evaluator), assignment.get_category_display())


@dataclass(frozen=True)
class ConsolidationWait:
    """The page before every grid is in."""

    own_grid_missing: bool
    waiting: tuple[PanelMember, ...]  # named only once the seat's own grid is in
    seat_problems: tuple[str, ...]


def consolidation_wait(assignment, *, viewer) -> ConsolidationWait:
    candidacy = assignment.candidacy
    holding = sorted_by_seat(
        Assignment.objects.holding().filter(candidacy=candidacy).select_related("evaluator"),
        candidacy,
    )
    # Blind review: who else is done is the others' work too, named only once the seat's
    # own grid is in.
    show_others = permissions.can_see_others_work(viewer, assignment)
    return ConsolidationWait(
        own_grid_missing=not show_others,
        waiting=tuple(_member(a) for a in holding if not a.grid_submitted) if show_others else (),
        seat_problems=tuple(rules.composition_problems(candidacy, [a.category for a in holding])),
    )


@dataclass(frozen=True)
class ConsolidationRow:
    competence: object
    evaluations: tuple[OtherRating, ...]  # each active evaluator's, in seat order
    values: tuple[str, ...]
    spread: int
    divergent: bool
    divergence: str
    counts: str
    majority: str | None
    majority_label: str
    consolidated: ConsolidatedRating | None
    criteria: tuple = ()  # (criterion, None): for reference only
    form: object = None  # the compétence's form while the consolidation is open

    @property
    def initial(self) -> dict | None:
        """What the form starts from: the consolidated rating, else the majority's."""
        if self.consolidated is not None:
            return {
                "rating": self.consolidated.rating,
                "justification": self.consolidated.justification,
            }
        return {"rating": self.majority} if self.majority else None


@dataclass(frozen=True)
class BlocProgress:
    bloc: object
    outcome: object  # referentiel.rules.BlocOutcome, or None until all are consolidated
    done: int
    total: int


@dataclass(frozen=True)
class ConsolidationPage:
    panel: tuple[PanelMember, ...]
    sections: tuple[BlocRows, ...]
    threshold: int
    outcomes: tuple[BlocProgress, ...]
    all_consolidated: bool

    @property
    def rows(self) -> list[ConsolidationRow]:
        return [row for s in self.sections for a in s.activities for row in a.rows]

    @property
    def divergent_rows(self) -> list[ConsolidationRow]:
        return [row for row in self.rows if row.divergent]

    @property
    def consolidated_count(self) -> int:
        return sum(1 for row in self.rows if row.consolidated)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def refused_forms(self) -> list:
        return [row.form for row in self.rows if row.form is not None and row.form.errors]

    def with_forms(self, forms: dict) -> "ConsolidationPage":
        """The page with each row's form from ``forms`` (by compétence id)."""
        sections = tuple(
            replace(
                section,
                activities=tuple(
                    replace(
                        group,
                        rows=tuple(
                            replace(row, form=forms.get(row.competence.pk)) for row in group.rows
                        ),
                    )
                    for group in section.activities
                ),
            )
            for section in self.sections
        )
        return replace(self, sections=sections)


def _row(competence, panel, ratings, consolidated, threshold) -> ConsolidationRow:
    evaluations = tuple(
        rating_of(assignment, ratings[(assignment.pk, competence.pk)])
        for assignment in panel
        if (assignment.pk, competence.pk) in ratings
    )
    values = tuple(e.rating for e in evaluations)
    majority = rules.majority_rating(values)
    return ConsolidationRow(
        competence=competence,
        evaluations=evaluations,
        values=values,
        spread=rules.spread(values),
        divergent=rules.is_divergent(values, threshold),
        divergence=rules.divergence_text(values),
        counts=rules.counts_text(values),
        majority=majority,
        majority_label=Rating(majority).label if majority else "",
        consolidated=consolidated.get(competence.pk),
        criteria=tuple((c, None) for c in competence.criteria.all()),
    )


def consolidation_page(candidacy, *, threshold) -> ConsolidationPage:
    """The active panel's grids of ``candidacy``, compétence by compétence."""
    panel = sorted_by_seat(
        Assignment.objects.active().filter(candidacy=candidacy).select_related("evaluator"),
        candidacy,
    )
    ratings = {
        (r.assignment_id, r.competence_id): r
        for r in CompetenceRating.objects.filter(assignment__in=panel)
    }
    consolidated = {
        c.competence_id: c
        for c in ConsolidatedRating.objects.filter(candidacy=candidacy).select_related("decided_by")
    }
    sections = []
    for bloc in candidacy.referentiel_tree():
        activities = []
        for activity in bloc.activities.all():
            rows = tuple(
                _row(competence, panel, ratings, consolidated, threshold)
                for competence in activity.competences.all()
            )
            activities.append(ActivityRows(activity, rows))
        sections.append(BlocRows(bloc, tuple(activities)))
    outcomes = []
    for bloc, outcome in rules.provisional_outcomes(candidacy):
        codes = [c for a in bloc.activities.all() for c in a.competences.all()]
        done = sum(1 for c in codes if c.pk in consolidated)
        outcomes.append(BlocProgress(bloc, outcome, done, len(codes)))
    return ConsolidationPage(
        panel=tuple(_member(a) for a in panel),
        sections=tuple(sections),
        threshold=threshold,
        outcomes=tuple(outcomes),
        all_consolidated=not rules.consolidation_problems(candidacy),
    )
