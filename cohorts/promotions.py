"""Promotions and their insertion figures (selectors): the certifier's tables and exports.

A promotion is the holders whose jury decision falls in one reference period: twelve
months from the month ``PromotionSettings`` names (January by default: a calendar year).
For each promotion and access path: the candidates presented to the jury (heard, whatever
the result), the holders (validation totale, partielle), and per survey wave the figures
of ``cohorts.rules``.

Every figure is aggregated in SQL by month (``TruncMonth``) and the months are folded
into promotions here: three queries for the whole table (plus the waves and the setting),
whatever the number of candidacies or surveys.

Where a candidate is counted: by the month of the signed decision, or of the jury
session while the decision is not signed yet, so that a candidate presented and decided
falls in the same promotion as their decision. A survey carries its decision's date
(``FollowUpSurvey.decided_on``).

Only the VAE path has candidacies on the platform: the training path's presented and
holders are not measured (None, « aucune donnée »), never zeros; its surveys are counted
if any exist.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from cohorts import rules
from cohorts.enums import NEUTRALISED_SITUATIONS, AccessPath, Situation
from cohorts.models import FollowUpSurvey, PromotionSettings, SurveyWave
from jury.enums import DecisionResult, SlotStatus
from jury.models import Slot
from referentiel import french as fr

# The access paths whose candidacies the platform holds; the others are columns ready
# for their data.
CANDIDACY_PATHS = frozenset({AccessPath.VAE})


@dataclass(frozen=True, order=True)
class Promotion:
    """Twelve months of decisions from ``start`` (the first day of a month)."""

    start: dt.date

    @classmethod
    def of(cls, day: dt.date, start_month: int) -> "Promotion":
        year = day.year if day.month >= start_month else day.year - 1
        return cls(dt.date(year, start_month, 1))

    @property
    def year(self) -> int:
        """The year it starts in: what identifies it (its page's address)."""
        return self.start.year

    @property
    def end(self) -> dt.date:
        """The first day after it."""
        return self.start.replace(year=self.start.year + 1)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """« 2025 » for a calendar year, else « septembre 2024 – août 2025 »."""
        if self.start.month == 1:
            return str(self.start.year)
        return f"{fr.month_year(self.start)} – {fr.month_year(self.last_day)}"

    @property
    def period(self) -> str:
        """« du 1er janvier 2025 au 31 décembre 2025 »."""
        return f"du {fr.date(self.start)} au {fr.date(self.last_day)}"


@dataclass(frozen=True)
class WaveFigures:
    wave: SurveyWave
    # None: no survey of this wave in the group (not due yet, or no holder).
    insertion: rules.Insertion | None


@dataclass(frozen=True)
class PathFigures:
    path: AccessPath
    # None: not measured on the platform (the training path), never a zero.
    presented: int | None
    holders_total: int | None
    holders_partial: int | None
    waves: tuple[WaveFigures, ...]

    @property
    def label(self) -> str:
        return str(self.path.label)

    @property
    def holders(self) -> int | None:
        if self.holders_total is None:
            return None
        return self.holders_total + self.holders_partial

    @property
    def measured(self) -> bool:
        return self.presented is not None or any(w.insertion for w in self.waves)


@dataclass(frozen=True)
class PromotionFigures:
    promotion: Promotion
    paths: tuple[PathFigures, ...]

    def path(self, path: AccessPath) -> PathFigures:
        return next(figures for figures in self.paths if figures.path == path)


def start_month() -> int:
    return PromotionSettings.load().start_month


def _month(value) -> dt.date:
    # TruncMonth of a datetime is a datetime in the current time zone: its local date.
    return value.date() if isinstance(value, dt.datetime) else value


def _candidates(month: int) -> dict[Promotion, dict[str, int]]:
    """Presented and holders by promotion: one query (heard slots by month of their
    decision or of their session, and by result)."""
    rows = (
        Slot.objects.filter(status=SlotStatus.INTERVIEWED)
        .values(
            heard=TruncMonth("session__date"),
            decided=TruncMonth("deliberation__decided_at"),
            result=F("deliberation__result"),
        )
        .annotate(candidacies=Count("candidacy", distinct=True))
        .order_by()
    )
    figures: dict[Promotion, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        promotion = Promotion.of(_month(row["decided"] or row["heard"]), month)
        figures[promotion]["presented"] += row["candidacies"]
        figures[promotion][row["result"] or ""] += row["candidacies"]
    return figures


RESPONDENT = Q(answered_at__isnull=False, consent=True)
EMPLOYED = RESPONDENT & Q(situation=Situation.EMPLOYED)


def _survey_groups():
    return (
        FollowUpSurvey.objects.filter(cancelled_at__isnull=True)
        .annotate(month=TruncMonth("decided_on"))
        .order_by()
    )


def _surveys(month: int) -> dict[tuple, rules.SurveyCounts]:
    """The counts by (promotion, wave, path): one query by month, summed here."""
    rows = (
        _survey_groups()
        .values("month", "wave_id", "access_path")
        .annotate(
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            respondents=Count("pk", filter=RESPONDENT),
            neutralised=Count("pk", filter=RESPONDENT & Q(situation__in=NEUTRALISED_SITUATIONS)),
            employed=Count("pk", filter=EMPLOYED),
            in_targeted_job=Count("pk", filter=EMPLOYED & Q(in_targeted_job=True)),
            refused=Count("pk", filter=Q(refused_at__isnull=False)),
        )
    )
    counts: dict[tuple, rules.SurveyCounts] = {}
    for row in rows:
        key = (Promotion.of(_month(row["month"]), month), row["wave_id"], row["access_path"])
        group = rules.SurveyCounts(**{name: row[name] for name in rules.FIELDS})
        counts[key] = counts.get(key, rules.SurveyCounts()) + group
    return counts


def _distributions(month: int) -> dict[tuple, tuple[dict, dict]]:
    """Contract types and pay bands of the employed respondents by (promotion, wave,
    path): one query."""
    rows = (
        _survey_groups()
        .filter(EMPLOYED)
        .values("month", "wave_id", "access_path", "contract_type", "pay_band")
        .annotate(n=Count("pk"))
    )
    found: dict[tuple, tuple[dict, dict]] = defaultdict(
        lambda: (defaultdict(int), defaultdict(int))
    )
    for row in rows:
        key = (Promotion.of(_month(row["month"]), month), row["wave_id"], row["access_path"])
        contracts, pay_bands = found[key]
        contracts[row["contract_type"]] += row["n"]
        pay_bands[row["pay_band"]] += row["n"]
    return found


def promotion_table(month: int | None = None) -> list[PromotionFigures]:
    """Every promotion with a candidate presented or a survey, latest first."""
    month = month or start_month()
    waves = list(SurveyWave.objects.order_by("months_after_decision"))
    candidates = _candidates(month)
    surveys = _surveys(month)
    distributions = _distributions(month)
    promotions = sorted({*candidates, *(key[0] for key in surveys)}, reverse=True)
    return [
        PromotionFigures(
            promotion,
            tuple(
                _path(promotion, path, waves, candidates.get(promotion), surveys, distributions)
                for path in AccessPath
            ),
        )
        for promotion in promotions
    ]


def _path(promotion, path, waves, candidates, surveys, distributions) -> PathFigures:
    measured = path in CANDIDACY_PATHS
    candidates = candidates or {}
    wave_figures = []
    for wave in waves:
        key = (promotion, wave.pk, path.value)
        counts = surveys.get(key)
        contracts, pay_bands = distributions.get(key, ({}, {}))
        wave_figures.append(
            WaveFigures(wave, rules.insertion(counts, contracts, pay_bands) if counts else None)
        )
    return PathFigures(
        path=path,
        presented=candidates.get("presented", 0) if measured else None,
        holders_total=candidates.get(DecisionResult.TOTAL, 0) if measured else None,
        holders_partial=candidates.get(DecisionResult.PARTIAL, 0) if measured else None,
        waves=tuple(wave_figures),
    )


def promotion_of_year(year: int, month: int | None = None) -> PromotionFigures | None:
    """The promotion that starts in ``year``, if it has any figure."""
    return next((p for p in promotion_table(month) if p.promotion.year == year), None)
