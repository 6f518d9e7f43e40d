"""The review's rules: panel composition, declarations, divergence between evaluators,
agreement (Fleiss' kappa), and what the consolidated ratings give per bloc.

Pure functions where possible, so that the guards of the state machine, the pages and the
reports share one reading of each rule.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from django.utils.translation import gettext as _

from referentiel.enums import Panel, Path, Rating
from referentiel.french import plural_form
from referentiel.rules import BlocRule, evaluate_rule
from review.enums import AssignmentStatus, EvaluatorCategory
from review.models import Assignment, ConsolidatedRating

# acquis > partiel > non acquis: the spread between two ratings is their distance.
RATING_RANK = {Rating.NOT_ACQUIRED: 0, Rating.PARTIAL: 1, Rating.ACQUIRED: 2}
# The ratings from best to worst: the order of every count and list shown.
RATING_ORDER = (Rating.ACQUIRED, Rating.PARTIAL, Rating.NOT_ACQUIRED)


def seats(candidacy) -> dict[str, tuple[str, int]]:
    """The evaluator seats of the candidacy's référentiel: role -> (label, count)."""
    return {
        seat.role: (seat.label, seat.count)
        for seat in candidacy.certification.seats.all()
        if seat.panel == Panel.EVALUATORS
    }


def seat_order(candidacy) -> list[str]:
    """The seat roles in the référentiel's order (the enum's when it names none)."""
    return list(seats(candidacy)) or [category.value for category in EvaluatorCategory]


def by_seat(assignments: Iterable, order: Sequence[str]) -> list:
    """``assignments`` in the order of the seats, then of their creation; a seat the
    référentiel no longer has comes last."""
    return sorted(
        assignments,
        key=lambda a: (order.index(a.category) if a.category in order else len(order), a.pk),
    )


def composition_problems(candidacy, categories: Iterable[str]) -> list[str]:
    """How a panel made of ``categories`` differs from the référentiel's seats."""
    wanted = seats(candidacy)
    have = Counter(categories)
    problems = []
    for role, (label, count) in wanted.items():
        if have[role] < count:
            missing = count - have[role]
            problems.append(f"Il manque {missing} « {label} ».")
        elif have[role] > count:
            problems.append(
                _("Trop de « %(label)s » : %(have)d pour %(count)d siège(s).")
                % {"label": label, "have": have[role], "count": count}
            )
    for role, number in have.items():
        if role not in wanted:
            label = dict(EvaluatorCategory.choices).get(role, role)
            problems.append(
                _("La composition du référentiel ne prévoit pas de « %(label)s » (%(n)d).")
                % {"label": label, "n": number}
            )
    return problems


def panel_problems(candidacy) -> list[str]:
    """What prevents the review from starting: seats empty, declarations awaited."""
    holding = list(
        Assignment.objects.holding().filter(candidacy=candidacy).select_related("evaluator")
    )
    problems = composition_problems(candidacy, [a.category for a in holding])
    for assignment in holding:
        if assignment.status == AssignmentStatus.AWAITING_DECLARATION:
            problems.append(
                _("%(name)s n'a pas encore déclaré ne pas connaître le candidat.")
                % {"name": assignment.evaluator.get_full_name() or assignment.evaluator.email}
            )
    return problems


def all_grids_submitted(candidacy) -> bool:
    """The active panel is complete per the référentiel and every grid of it is in: the
    consolidation opens."""
    active = list(Assignment.objects.active().filter(candidacy=candidacy))
    return (
        bool(active)
        and all(a.grid_submitted for a in active)
        and not (composition_problems(candidacy, [a.category for a in active]))
    )


def consolidation_problems(candidacy) -> list[str]:
    """Compétences of the targeted blocs still without a consolidated rating."""

    done = set(
        ConsolidatedRating.objects.filter(candidacy=candidacy).values_list(
            "competence_id", flat=True
        )
    )
    missing = [c.code for c in candidacy.targeted_competences() if c.pk not in done]
    if not missing:
        return []
    return [
        "Il manque l'appréciation consolidée "
        + plural_form(len(missing), "de la compétence", "des compétences")
        + " "
        + ", ".join(missing)
        + "."
    ]


def spread(ratings: Iterable[str]) -> int:
    ranks = [RATING_RANK[Rating(r)] for r in ratings]
    return max(ranks) - min(ranks) if ranks else 0


def is_divergent(ratings: Iterable[str], threshold: int) -> bool:
    """Whether the evaluators disagree by at least ``threshold`` steps (1 or 2)."""
    return spread(list(ratings)) >= threshold


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa of a subjects × categories table of counts.

    Every subject must have the same number of raters (n ≥ 2). Returns None when kappa is
    undefined (no subject, or every rating in a single category: agreement by chance is
    then 1 and the ratio 0/0).
    """
    rows = [list(row) for row in table if sum(row)]
    if not rows:
        return None
    raters = sum(rows[0])
    if raters < 2 or any(sum(row) != raters for row in rows):
        raise ValueError("Chaque compétence doit avoir le même nombre d'évaluations (≥ 2).")
    subjects = len(rows)
    categories = len(rows[0])
    p_j = [sum(row[j] for row in rows) / (subjects * raters) for j in range(categories)]
    p_i = [(sum(count * count for count in row) - raters) / (raters * (raters - 1)) for row in rows]
    p_bar = sum(p_i) / subjects
    p_e = sum(p * p for p in p_j)
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def fleiss_kappa_from_sums(*, subjects: int, raters: int, totals: Sequence[int], squares: int):
    """``fleiss_kappa`` from the sums of a table, which SQL aggregates without reading the
    table's rows: ``subjects`` rows of ``raters`` ratings each, ``totals`` the ratings per
    category, ``squares`` the sum over the rows of Σ n_ij². Same results (P̄ is the mean
    of the P_i, whose numerators add up to ``squares`` − n·r)."""
    if not subjects:
        return None
    if raters < 2:
        raise ValueError("Chaque compétence doit avoir le même nombre d'évaluations (≥ 2).")
    ratings = subjects * raters
    p_j = [total / ratings for total in totals]
    p_bar = (squares - ratings) / (ratings * (raters - 1))
    p_e = sum(p * p for p in p_j)
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def rating_counts(ratings: Iterable[str]) -> list[int]:
    """One row of a kappa table: how many evaluators gave each rating."""
    counts = Counter(Rating(r) for r in ratings)
    return [counts[rating] for rating in RATING_ORDER]


def majority_rating(ratings: Iterable[str]) -> str | None:
    """The rating given by more than half of the evaluators, if any.

    A strict majority only: with four evaluators a 2-1-1 split proposes nothing, so that
    the certifier's representative decides rather than accepting a plurality by default.
    """
    ratings = list(ratings)
    if not ratings:
        return None
    rating, count = Counter(ratings).most_common(1)[0]
    return rating if count * 2 > len(ratings) else None


def divergence_text(ratings: Iterable[str]) -> str:
    """« Divergence : acquis / non acquis », the ratings present from best to worst."""
    present = set(ratings)
    labels = [str(Rating(r).label) for r in RATING_ORDER if r in present]
    return _("Divergence : %(ratings)s") % {"ratings": " / ".join(labels)}


def counts_text(ratings: Iterable[str]) -> str:
    """« 2 acquis, 1 non acquis »: how many evaluators gave each rating, best first."""
    return ", ".join(
        f"{count} {Rating(rating).label}"
        for rating, count in zip(RATING_ORDER, rating_counts(ratings), strict=True)
        if count
    )


def distribution_text(ratings: Iterable[str]) -> str:
    """« 2 × acquis, 1 × partiellement acquis, 1 × non acquis » (the staff's grid)."""
    return ", ".join(
        f"{count} × {Rating(rating).label}"
        for rating, count in zip(RATING_ORDER, rating_counts(ratings), strict=True)
        if count
    )


def is_late(due_date: datetime.date | None, *, submitted: bool, today: datetime.date) -> bool:
    """A grid not submitted by its due date."""
    return bool(due_date and due_date < today and not submitted)


def provisional_outcomes(candidacy) -> list:
    """Each targeted bloc's outcome from the consolidated ratings (the jury decides).

    Only the compétences are judged here: should the certifier require the questionnaire
    on the VAE path too, its score is not known during the review (``evaluate_rule``
    would refuse to judge without it), so it is left to the jury's decision.
    """

    consolidated = dict(
        ConsolidatedRating.objects.filter(candidacy=candidacy).values_list(
            "competence__code", "rating"
        )
    )
    outcomes = []
    for bloc in candidacy.referentiel_tree():
        codes = [c.code for a in bloc.activities.all() for c in a.competences.all()]
        ratings = {code: consolidated[code] for code in codes if code in consolidated}
        complete = len(ratings) == len(codes)
        outcome = None
        if complete:
            rule = replace(BlocRule.from_bloc(bloc), questionnaire_paths=frozenset())
            outcome = evaluate_rule(rule, ratings, path=Path.VAE)
        outcomes.append((bloc, outcome))
    return outcomes
