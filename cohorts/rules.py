"""The insertion figures of a group of surveys, as France compétences defines them.

Pure: plain counts (or plain answer rows) in, figures out; the database aggregates in
``cohorts.promotions`` produce the same counts in SQL.

- respondents: surveys answered *with consent*; an answer given without it is counted
  apart (« réponses sans consentement ») and nowhere else;
- neutralised: respondents in further studies or unable to work (``NEUTRALISED_SITUATIONS``),
  removed from both rates' denominator;
- taux d'insertion dans le métier visé = employed in the targeted job ÷ (respondents −
  neutralised); taux d'insertion global = employed ÷ (respondents − neutralised);
  taux de réponse = respondents ÷ surveys sent.

Small numbers: below ``SMALL_NUMBERS_THRESHOLD`` (the denominator) a rate reads
« n < 5 », never a percentage that would pretend to measure something; with no
denominator at all it reads « — ».
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cohorts.enums import NEUTRALISED_SITUATIONS, ContractType, PayBand, Situation
from referentiel import french as fr

SMALL_NUMBERS_THRESHOLD = 5
# Non-breaking spaces: the mark never wraps in a narrow table cell.
SMALL_NUMBERS = f"n{fr.NBSP}<{fr.NBSP}{SMALL_NUMBERS_THRESHOLD}"
NO_DENOMINATOR = "—"
NOT_GIVEN = "Non renseigné"


@dataclass(frozen=True)
class Rate:
    """``numerator`` out of ``denominator``, shown only when the denominator is large
    enough to mean something."""

    numerator: int
    denominator: int

    @property
    def shown(self) -> bool:
        return self.denominator >= SMALL_NUMBERS_THRESHOLD

    @property
    def small(self) -> bool:
        return 0 < self.denominator < SMALL_NUMBERS_THRESHOLD

    @property
    def ratio(self) -> Decimal | None:
        """The ratio (0 to 1) when it is shown, else None: nobody reads a hidden rate."""
        if not self.shown:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> int | None:
        """The whole percentage, rounded half up as people check it by hand."""
        ratio = self.ratio
        if ratio is None:
            return None
        return int((ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def __str__(self) -> str:
        if self.denominator <= 0:
            return NO_DENOMINATOR
        if self.small:
            return SMALL_NUMBERS
        return fr.percent(self.percent)


@dataclass(frozen=True)
class SurveyCounts:
    """How many surveys of a group were sent, answered, and what the answers say.

    ``neutralised``, ``employed`` and ``in_targeted_job`` count respondents only (answers
    with consent); ``answered`` counts every answer, with or without consent."""

    sent: int = 0
    answered: int = 0
    respondents: int = 0
    neutralised: int = 0
    employed: int = 0
    in_targeted_job: int = 0
    refused: int = 0

    def __add__(self, other: "SurveyCounts") -> "SurveyCounts":
        return SurveyCounts(**{name: getattr(self, name) + getattr(other, name) for name in FIELDS})

    @property
    def without_consent(self) -> int:
        return self.answered - self.respondents

    @property
    def counted(self) -> int:
        """The rates' denominator: respondents once the neutralised are removed."""
        return self.respondents - self.neutralised

    @property
    def targeted_job_rate(self) -> Rate:
        return Rate(self.in_targeted_job, self.counted)

    @property
    def employment_rate(self) -> Rate:
        return Rate(self.employed, self.counted)

    @property
    def response_rate(self) -> Rate:
        return Rate(self.respondents, self.sent)


FIELDS = tuple(SurveyCounts.__dataclass_fields__)


@dataclass(frozen=True)
class Share:
    """One value of a distribution among the employed respondents (a contract type, a
    pay band): its label, its count, and its share (small numbers as for the rates)."""

    value: str
    label: str
    count: int
    rate: Rate


def distribution(choices, counts: Mapping[str, int], employed: int) -> tuple[Share, ...]:
    """Every value of ``choices`` (a TextChoices), in its order, with its count among the
    ``employed`` respondents (0 when absent: the table's columns never move), then the
    employed who left the question blank, if any."""
    rows = [(value, str(label)) for value, label in choices.choices]
    if counts.get(""):
        rows.append(("", NOT_GIVEN))
    return tuple(
        Share(value, label, counts.get(value, 0), Rate(counts.get(value, 0), employed))
        for value, label in rows
    )


@dataclass(frozen=True)
class Insertion:
    """The insertion figures of one group of surveys (a promotion, a wave, an access path)."""

    counts: SurveyCounts
    contracts: tuple[Share, ...] = field(default=())
    pay_bands: tuple[Share, ...] = field(default=())


def insertion(
    counts: SurveyCounts,
    contracts: Mapping[str, int] | None = None,
    pay_bands: Mapping[str, int] | None = None,
) -> Insertion:
    return Insertion(
        counts=counts,
        contracts=distribution(ContractType, contracts or {}, counts.employed),
        pay_bands=distribution(PayBand, pay_bands or {}, counts.employed),
    )


@dataclass(frozen=True)
class Answer:
    """One survey as plain values: what ``tally`` needs of it."""

    sent: bool = True
    answered: bool = False
    consent: bool = False
    refused: bool = False
    situation: str = ""
    in_targeted_job: bool | None = None
    contract_type: str = ""
    pay_band: str = ""

    @property
    def respondent(self) -> bool:
        return self.answered and self.consent

    @property
    def employed(self) -> bool:
        return self.respondent and self.situation == Situation.EMPLOYED


def tally(answers: Iterable[Answer]) -> Insertion:
    """The figures of ``answers`` (plain rows), by the definitions of the module."""
    answers = list(answers)
    employed = [a for a in answers if a.employed]
    contracts: dict[str, int] = {}
    pay_bands: dict[str, int] = {}
    for answer in employed:
        contracts[answer.contract_type] = contracts.get(answer.contract_type, 0) + 1
        pay_bands[answer.pay_band] = pay_bands.get(answer.pay_band, 0) + 1
    counts = SurveyCounts(
        sent=sum(a.sent for a in answers),
        answered=sum(a.answered for a in answers),
        respondents=sum(a.respondent for a in answers),
        neutralised=sum(a.respondent and a.situation in NEUTRALISED_SITUATIONS for a in answers),
        employed=len(employed),
        in_targeted_job=sum(a.in_targeted_job is True for a in employed),
        refused=sum(a.refused for a in answers),
    )
    return insertion(counts, contracts, pay_bands)
