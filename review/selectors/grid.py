"""The evaluator's rating grid, and the ratings of the others once it is submitted.

Blind review: nothing of another evaluator's grid is even queried until the viewer has
submitted their own (``permissions.can_see_other_ratings``).
"""

from collections import defaultdict
from dataclasses import dataclass

from review import permissions, rules
from review.models import Assignment, CompetenceRating
from review.selectors.passages import passage_counts


@dataclass(frozen=True)
class OtherRating:
    """An evaluator's rating as another reads it (their name, seat, rating and why)."""

    evaluator: str
    seat: str
    rating: str
    rating_label: str
    justification: str


def display_name(user) -> str:
    return user.get_full_name() or user.email


def rating_of(assignment, row: CompetenceRating) -> OtherRating:
    return OtherRating(
        evaluator=display_name(assignment.evaluator),
        seat=assignment.get_category_display(),
        rating=row.rating,
        rating_label=row.get_rating_display(),
        justification=row.justification,
    )


@dataclass(frozen=True)
class GridRow:
    competence: object
    own: CompetenceRating | None
    form: object  # the compétence's form while the grid is editable, else None
    criteria: tuple  # (criterion, passages linked by this evaluator)
    passages: int
    others: tuple[OtherRating, ...]


@dataclass(frozen=True)
class ActivityRows:
    activity: object
    rows: tuple


@dataclass(frozen=True)
class BlocRows:
    bloc: object
    activities: tuple[ActivityRows, ...]


@dataclass(frozen=True)
class GridPage:
    sections: tuple[BlocRows, ...]
    missing: tuple  # compétences not rated yet
    show_others: bool
    # The other evaluators still working (shown once the viewer's grid is in).
    waiting: tuple[Assignment, ...]

    @property
    def total(self) -> int:
        return sum(len(a.rows) for s in self.sections for a in s.activities)

    @property
    def rated(self) -> int:
        return self.total - len(self.missing)


def competences(blocs) -> list:
    return [c for b in blocs for a in b.activities.all() for c in a.competences.all()]


def own_ratings(assignment) -> dict[int, CompetenceRating]:
    return {r.competence_id: r for r in CompetenceRating.objects.filter(assignment=assignment)}


def sorted_by_seat(assignments, candidacy) -> list:
    return rules.by_seat(assignments, rules.seat_order(candidacy))


def others_ratings(assignment) -> tuple[dict, list]:
    """Ratings of the other evaluators who submitted their grid, by compétence, and the
    others still working. Called only once the viewer's own grid is submitted."""
    others = sorted_by_seat(
        Assignment.objects.active()
        .filter(candidacy=assignment.candidacy)
        .exclude(pk=assignment.pk)
        .select_related("evaluator"),
        assignment.candidacy,
    )
    submitted = [a for a in others if a.grid_submitted]
    by_competence = defaultdict(list)
    rows = CompetenceRating.objects.filter(assignment__in=submitted)
    ratings = {(r.assignment_id, r.competence_id): r for r in rows}
    for competence_id in {r.competence_id for r in rows}:
        for other in submitted:
            row = ratings.get((other.pk, competence_id))
            if row is not None:
                by_competence[competence_id].append(rating_of(other, row))
    waiting = [a for a in others if not a.grid_submitted]
    return by_competence, waiting


def grid_page(assignment, blocs, *, viewer, forms=None) -> GridPage:
    """The grid of ``assignment`` over ``blocs`` (the targeted ones, loaded), each row with
    its form from ``forms`` (by compétence id) while it is editable."""
    own = own_ratings(assignment)
    counts = passage_counts(assignment)
    show_others = permissions.can_see_other_ratings(viewer, assignment)
    others, waiting = others_ratings(assignment) if show_others else ({}, [])
    sections, missing = [], []
    for bloc in blocs:
        activities = []
        for activity in bloc.activities.all():
            rows = []
            for competence in activity.competences.all():
                criteria = tuple((c, counts.get(c.pk, 0)) for c in competence.criteria.all())
                row = GridRow(
                    competence=competence,
                    own=own.get(competence.pk),
                    form=(forms or {}).get(competence.pk),
                    criteria=criteria,
                    passages=sum(n for _c, n in criteria),
                    others=tuple(others.get(competence.pk, ())),
                )
                if row.own is None:
                    missing.append(competence)
                rows.append(row)
            activities.append(ActivityRows(activity, tuple(rows)))
        sections.append(BlocRows(bloc, tuple(activities)))
    return GridPage(
        sections=tuple(sections),
        missing=tuple(missing),
        show_others=show_others,
        waiting=tuple(waiting),
    )
