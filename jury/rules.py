"""The jury's rules, pure: what makes a session's composition valid, whether a slot fits,
how long a slot lasts, and the legal delays shown (never enforced) to the certifier.

They take plain values, not rows, so that the guards of the state machine, the back
office's pages and the tests share one reading of each rule (D.6412-6 of the Code du
travail for the composition; the référentiel for the seats and the durations).
"""

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from jury.enums import DecisionResult
from referentiel import french as fr
from referentiel.enums import Rating
from referentiel.rules import BlocOutcome, evaluate_certification
from review.rules import divergence_text, is_divergent

# The Q&A with the jury can be scheduled at most this far ahead.
MAX_YEARS_AHEAD = 2
# The jury should sit within this many months of the dossier's filing (shown, not enforced).
LEGAL_DELAY_MONTHS = 3


@dataclass(frozen=True)
class SeatSpec:
    """A seat of the référentiel's jury composition."""

    role: str
    label: str
    count: int


@dataclass(frozen=True)
class Holder:
    """A member holding a seat in a session, as the rules need them."""

    member_id: int
    name: str
    role: str
    qualified: bool
    civility: str
    active: bool = True


@dataclass(frozen=True)
class Period:
    """A slot already in the session: its start and length, and whose it is."""

    start: dt.time
    minutes: int
    label: str


def composition_problems(
    spec: Sequence[SeatSpec], holders: Sequence[Holder], president_id: int | None
) -> list[str]:
    """How a session's holders differ from a valid jury, in French; empty when valid."""
    problems = []
    have = Counter(holder.role for holder in holders)
    wanted = {seat.role: seat for seat in spec}
    for seat in spec:
        if have[seat.role] < seat.count:
            problems.append(f"Il manque {seat.count - have[seat.role]} « {seat.label} ».")
        elif have[seat.role] > seat.count:
            problems.append(
                f"Trop de « {seat.label} » : {have[seat.role]} pour "
                f"{fr.plural(seat.count, 'siège')}."
            )
    for role, count in have.items():
        if role not in wanted:
            problems.append(
                f"La composition du référentiel ne prévoit pas de siège « {role} » ({count})."
            )
    seen = Counter(holder.member_id for holder in holders)
    for holder in holders:
        if seen[holder.member_id] > 1:
            problems.append(f"{holder.name} occupe plusieurs sièges : un siège par membre.")
            seen[holder.member_id] = 0
    if len(seen) < 2:
        problems.append("Un jury compte au moins deux membres.")
    for holder in holders:
        if not holder.active:
            problems.append(f"{holder.name} n'est plus membre actif du jury.")
    if holders and not any(holder.qualified for holder in holders):
        problems.append("Aucun membre n'est qualifié pour la certification : il en faut un.")
    if president_id is None:
        problems.append("Désignez le président du jury.")
    elif president_id not in {holder.member_id for holder in holders}:
        problems.append("Le président doit être l'un des membres de la session.")
    return problems


def gender_warning(civilities: Iterable[str]) -> str:
    """A warning when the jury is not balanced between women and men (not a block: the
    CPNEF may not always find a balanced pair); empty when balanced."""
    counts = Counter(civilities)
    women, men = counts.get("mme", 0), counts.get("m", 0)
    if women + men < 2 or abs(women - men) <= 1:
        return ""
    return (
        f"Le jury n'est pas équilibré entre femmes et hommes ({fr.plural(women, 'femme')}, "
        f"{fr.plural(men, 'homme')}) : la réglementation demande une représentation "
        "équilibrée."
    )


def slot_minutes(qa_minutes: Iterable[int], *, changeover: int, extra: int = 0) -> int:
    """A slot's length: the jury Q&A of each targeted bloc, the changeover, and the time
    granted as an accommodation."""
    if extra < 0:
        raise ValueError("extra minutes are not negative")
    return sum(qa_minutes) + changeover + extra


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def end_of(start: dt.time, minutes: int) -> int:
    """The minute of the day a period ends (may pass midnight: then past 24 × 60)."""
    return _minutes(start) + minutes


def slot_problems(
    *,
    session_start: dt.time,
    session_end: dt.time,
    start: dt.time,
    minutes: int,
    others: Iterable[Period],
) -> list[str]:
    """Why a slot from ``start`` for ``minutes`` does not fit the session: outside its
    hours, or overlapping one of ``others`` (periods that touch do not overlap)."""
    problems = []
    if minutes <= 0:
        problems.append("La durée du passage doit être positive.")
    begin, end = _minutes(start), end_of(start, minutes)
    if begin < _minutes(session_start) or end > _minutes(session_end):
        problems.append(
            f"Le passage ({fr.time(start)}, {fr.duration(max(minutes, 0))}) sort des horaires "
            f"de la session ({fr.time(session_start)} – {fr.time(session_end)})."
        )
    for other in others:
        if begin < end_of(other.start, other.minutes) and _minutes(other.start) < end:
            problems.append(
                f"Le passage chevauche celui de {other.label} ({fr.time(other.start)}, "
                f"{fr.duration(other.minutes)})."
            )
    return problems


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, on the month's last day when it is shorter
    (31 mai + 3 mois = 31 août ; 30 novembre + 3 mois = 28 ou 29 février)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def date_problems(*, session_date: dt.date, session_start: dt.time, now: dt.datetime) -> list:
    """The session must be ahead (``now`` in local time, naive) and at most two years off."""
    if dt.datetime.combine(session_date, session_start) <= now:
        return ["La session du jury est passée : choisissez une session à venir."]
    if session_date > add_months(now.date(), 12 * MAX_YEARS_AHEAD):
        return [
            f"La session du jury est à plus de {MAX_YEARS_AHEAD} ans : choisissez une date "
            "plus proche."
        ]
    return []


def legal_deadline(filed_on: dt.date) -> dt.date:
    """The day by which the jury should have sat, from the dossier's filing."""
    return add_months(filed_on, LEGAL_DELAY_MONTHS)


def delay_warning(*, filed_on: dt.date | None, session_date: dt.date) -> str:
    """A warning when the session is later than three months after the dossier's filing."""
    if filed_on is None or session_date <= legal_deadline(filed_on):
        return ""
    return (
        f"Le jury siège plus de trois mois après le dépôt du dossier ({fr.date(filed_on)}) : "
        f"le délai de trois mois, jusqu'au {fr.date(legal_deadline(filed_on))}, est dépassé."
    )


def days_waiting(*, filed_on: dt.date | None, today: dt.date) -> int | None:
    """Days since the dossier was filed (the listing's column)."""
    return None if filed_on is None else (today - filed_on).days


def may_interview(*, session_date: dt.date, today: dt.date) -> list[str]:
    """The interview is recorded on or after the session's day, never before."""
    if today < session_date:
        return [
            "L'entretien ne peut être enregistré avant le jour de la session "
            f"({fr.date(session_date)})."
        ]
    return []


def hold_problems(*, day_starts: dt.datetime, now: dt.datetime) -> list[str]:
    """A session is « tenue » from its day on (``day_starts``: its first moment), never
    before: a session marked held ahead of time would stop taking convocations."""
    if now < day_starts:
        return [
            "La session ne peut être marquée comme tenue avant son jour "
            f"({fr.date(day_starts.date())})."
        ]
    return []


def close_problems(still_convoked: Sequence[str]) -> list[str]:
    """A session closes once each of its candidates was heard or recorded absent;
    ``still_convoked`` names those still waiting for either."""
    if not still_convoked:
        return []
    waiting = fr.plural(
        len(still_convoked), "candidat est encore convoqué", "candidats sont encore convoqués"
    )
    return [
        f"{waiting} ({', '.join(still_convoked)}) : enregistrez l'entretien ou l'absence de chacun."
    ]


@dataclass(frozen=True)
class FocusPoint:
    """A compétence the jury should ask about, and why (« points à approfondir »)."""

    code: str
    statement: str
    reasons: tuple[str, ...]
    uncovered: tuple[str, ...]  # criteria no evaluator's passage covers


def focus_points(
    competences: Sequence,
    *,
    consolidated: dict,
    ratings: dict,
    covered: set,
    threshold: int,
) -> list[FocusPoint]:
    """The compétences to explore at the interview, in référentiel order: consolidated
    « partiellement acquis » or « non acquis », divergent between evaluators (by
    ``threshold`` steps, the review's setting), or with criteria that no passage covers —
    the questions-and-answers épreuve exists for what the dossier could not show.

    ``competences`` have ``pk``, ``code``, ``statement`` and ``criteria`` (each with ``pk``
    and ``text``); ``consolidated`` maps a compétence's pk to its consolidated rating,
    ``ratings`` to the evaluators' ratings, ``covered`` holds the criteria pks linked.
    """
    points = []
    for competence in competences:
        reasons = []
        rating = consolidated.get(competence.pk)
        if rating in (Rating.PARTIAL, Rating.NOT_ACQUIRED):
            reasons.append(f"Appréciation consolidée : {Rating(rating).label}.")
        given = ratings.get(competence.pk, [])
        if is_divergent(given, threshold):
            reasons.append(f"{divergence_text(given)}.")
        uncovered = tuple(c.text for c in competence.criteria if c.pk not in covered)
        if uncovered:
            reasons.append(
                f"{fr.plural(len(uncovered), 'critère sans passage', 'critères sans passage')} "
                "relié par les évaluateurs."
            )
        if reasons:
            points.append(
                FocusPoint(competence.code, competence.statement, tuple(reasons), uncovered)
            )
    return points


def final_rating(consolidated: str, revisions: Sequence) -> str:
    """A compétence's rating after the interview: the jury's latest revision (in the
    order they were made), else the consolidated one ('' when neither)."""
    return revisions[-1].to_rating if revisions else consolidated


# -- the deliberation -----------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    """A member's vote on a bloc as the rules need it."""

    member_id: int
    name: str
    validated: bool
    motivation: str = ""


@dataclass(frozen=True)
class BlocVerdict:
    """What the votes on one bloc come to. ``validated`` is None while a member has not
    voted; ``casting_vote`` when the président's vote settled a tie; ``unmotivated`` the
    members who voted against the computed outcome without saying why."""

    bloc: str
    computed: bool
    votes: tuple[Vote, ...]
    validated: bool | None
    casting_vote: bool
    unmotivated: tuple[str, ...]
    waiting_for: tuple[str, ...]

    @property
    def against_computed(self) -> bool:
        return self.validated is not None and self.validated != self.computed


def bloc_verdict(
    *, bloc: str, computed: bool, members: Sequence[tuple[int, str]], president_id, votes
) -> BlocVerdict:
    """The recorded outcome of a bloc: the members' majority; on a tie (with two members,
    any disagreement), the président's vote decides. ``members`` are (id, name) of the
    members who sit; ``votes`` the ``Vote`` cast so far."""
    cast = {vote.member_id: vote for vote in votes}
    waiting = tuple(name for member_id, name in members if member_id not in cast)
    ordered = tuple(cast[member_id] for member_id, _name in members if member_id in cast)
    unmotivated = tuple(
        vote.name
        for vote in ordered
        if vote.validated != computed and not (vote.motivation or "").strip()
    )
    validated, casting = None, False
    if not waiting and ordered:
        yes = sum(1 for vote in ordered if vote.validated)
        no = len(ordered) - yes
        if yes != no:
            validated = yes > no
        elif president_id in cast:
            validated, casting = cast[president_id].validated, True
    return BlocVerdict(bloc, computed, ordered, validated, casting, unmotivated, waiting)


def decision_result(
    outcomes: Mapping[str, BlocOutcome],
    decided: Mapping[str, bool],
    *,
    previously_validated: Iterable[str] = (),
) -> DecisionResult:
    """The overall result, derived: « validation totale » when every bloc of the
    certification is now acquired (those of earlier decisions counted), « validation
    partielle » when this decision validates some blocs, else « refus ». ``outcomes`` are
    the computed outcomes of the targeted blocs, ``decided`` the jury's per bloc."""
    voted = {
        code: replace(outcome, validated=decided[code], reasons=())
        for code, outcome in outcomes.items()
    }
    certification = evaluate_certification(voted, previously_validated=previously_validated)
    if certification.obtained:
        return DecisionResult.TOTAL
    if any(decided.values()):
        return DecisionResult.PARTIAL
    return DecisionResult.REFUSAL


def decision_problems(
    verdicts: Sequence[BlocVerdict], *, result, observations: str, recommendations: str
) -> list[str]:
    """What keeps the decision from being signed, in French; empty when it can be."""
    problems = []
    for verdict in verdicts:
        for name in verdict.waiting_for:
            problems.append(f"{verdict.bloc} : {name} n'a pas encore voté.")
        for name in verdict.unmotivated:
            problems.append(
                f"{verdict.bloc} : le vote de {name} va contre le résultat calculé ; "
                "il doit être motivé."
            )
        if not verdict.waiting_for and verdict.validated is None:
            problems.append(
                f"{verdict.bloc} : les votes sont partagés et le président n'a pas voté."
            )
    return problems + text_problems(
        result=result, observations=observations, recommendations=recommendations
    )


def text_problems(*, result, observations: str, recommendations: str) -> list[str]:
    """A partial validation or a refusal tells the candidate why and what to do next: the
    observations and préconisations are required then (at signing and at a rectification)."""
    problems = []
    if result in (DecisionResult.PARTIAL, DecisionResult.REFUSAL):
        which = "validation partielle" if result == DecisionResult.PARTIAL else "refus"
        article = "une" if result == DecisionResult.PARTIAL else "un"
        for text, label in ((observations, "observations"), (recommendations, "préconisations")):
            if not text.strip():
                problems.append(f"Pour {article} {which}, rédigez les {label} pour le candidat.")
    return problems
