"""The insertion figures on hand-built cases (cohorts.rules): pure, no database."""

import pytest

from cohorts.enums import ContractType, PayBand, Situation
from cohorts.rules import NOT_GIVEN, SMALL_NUMBERS, Answer, Rate, SurveyCounts, tally
from referentiel import french as fr


def employed(*, targeted=True, contract=ContractType.CDDU, pay=PayBand.FROM_30K, consent=True):
    return Answer(
        answered=True,
        consent=consent,
        situation=Situation.EMPLOYED,
        in_targeted_job=targeted,
        contract_type=contract,
        pay_band=pay,
    )


def answered(situation, *, consent=True):
    return Answer(answered=True, consent=consent, situation=situation)


NO_ANSWER = Answer()
REFUSED = Answer(refused=True)


class TestRate:
    @pytest.mark.parametrize(
        ("numerator", "denominator", "text"),
        [
            (5, 8, f"63{fr.NNBSP}%"),  # 62.5 rounds half up
            (0, 5, f"0{fr.NNBSP}%"),
            (5, 5, f"100{fr.NNBSP}%"),
            (1, 3, SMALL_NUMBERS),
            (4, 4, SMALL_NUMBERS),
            (0, 0, "—"),
        ],
        ids=["62.5-rounds-up", "zero-of-five", "all", "small", "small-all", "nothing"],
    )
    def test_text(self, numerator, denominator, text):
        assert str(Rate(numerator, denominator)) == text

    def test_small_numbers_are_not_a_percentage(self):
        rate = Rate(3, 4)
        assert rate.small and not rate.shown
        assert rate.ratio is None and rate.percent is None

    def test_shown_from_five(self):
        assert Rate(4, 5).percent == 80


class TestTally:
    def test_neutralised_respondents_leave_both_denominators(self):
        figures = tally(
            [
                employed(targeted=True),
                employed(targeted=True),
                employed(targeted=False),
                answered(Situation.SEEKING),
                answered(Situation.OTHER),
                answered(Situation.STUDYING),
                answered(Situation.UNABLE),
                NO_ANSWER,
            ]
        )
        counts = figures.counts
        assert (counts.sent, counts.answered, counts.respondents) == (8, 7, 7)
        assert (counts.neutralised, counts.counted) == (2, 5)
        assert (counts.employed, counts.in_targeted_job) == (3, 2)
        assert str(counts.targeted_job_rate) == f"40{fr.NNBSP}%"  # 2 / 5
        assert str(counts.employment_rate) == f"60{fr.NNBSP}%"  # 3 / 5
        assert str(counts.response_rate) == f"88{fr.NNBSP}%"  # 7 / 8 = 87.5

    def test_small_numbers_once_neutralised(self):
        # Six respondents, but two are neutralised: four counted, below five.
        figures = tally(
            [
                employed(),
                employed(),
                employed(),
                answered(Situation.SEEKING),
                answered(Situation.STUDYING),
                answered(Situation.UNABLE),
            ]
        )
        assert figures.counts.respondents == 6
        assert figures.counts.counted == 4
        assert str(figures.counts.employment_rate) == SMALL_NUMBERS
        assert str(figures.counts.targeted_job_rate) == SMALL_NUMBERS
        assert str(figures.counts.response_rate) == f"100{fr.NNBSP}%"

    def test_no_respondents(self):
        figures = tally([NO_ANSWER, NO_ANSWER, REFUSED])
        assert figures.counts == SurveyCounts(sent=3, refused=1)
        assert str(figures.counts.employment_rate) == "—"
        assert str(figures.counts.targeted_job_rate) == "—"
        assert str(figures.counts.response_rate) == "n\u00a0<\u00a05"
        assert all(share.count == 0 for share in figures.contracts)

    def test_nothing_sent(self):
        counts = tally([]).counts
        assert counts == SurveyCounts()
        assert {str(counts.response_rate), str(counts.employment_rate)} == {"—"}

    def test_answers_without_consent_are_counted_nowhere_else(self):
        with_consent = [employed(), employed(), employed(), employed(), employed(targeted=False)]
        figures = tally(
            [
                *with_consent,
                employed(consent=False),
                answered(Situation.STUDYING, consent=False),
                answered(Situation.SEEKING, consent=False),
            ]
        )
        counts = figures.counts
        assert (counts.sent, counts.answered, counts.respondents) == (8, 8, 5)
        assert counts.without_consent == 3
        assert (counts.neutralised, counts.employed, counts.in_targeted_job) == (0, 5, 4)
        assert str(counts.targeted_job_rate) == f"80{fr.NNBSP}%"
        assert str(counts.response_rate) == f"63{fr.NNBSP}%"  # 5 / 8 = 62.5
        assert sum(share.count for share in figures.contracts) == 5

    def test_partial_holders_count_as_any_respondent(self):
        # A partial holder (bloc attestations) is surveyed and counted like a total one:
        # the figures take answers, whoever holds what.
        totals = [employed(), answered(Situation.SEEKING), employed(targeted=False)]
        partials = [employed(), employed(), answered(Situation.STUDYING)]
        figures = tally([*totals, *partials])
        assert figures.counts.counted == 5
        assert figures.counts.employed == 4
        assert str(figures.counts.employment_rate) == f"80{fr.NNBSP}%"
        assert tally(totals).counts + tally(partials).counts == figures.counts

    def test_contracts_and_pay_bands_among_the_employed(self):
        figures = tally(
            [
                employed(contract=ContractType.CDDU, pay=PayBand.FROM_20K),
                employed(contract=ContractType.CDDU, pay=PayBand.FROM_30K),
                employed(contract=ContractType.CDI, pay=PayBand.FROM_30K),
                employed(contract=ContractType.CDDU, pay=PayBand.UNDISCLOSED),
                employed(contract=ContractType.CDD, pay=""),
                answered(Situation.SEEKING),
            ]
        )
        contracts = {share.value: share for share in figures.contracts}
        assert [share.value for share in figures.contracts] == list(ContractType.values)
        assert contracts[ContractType.CDDU].count == 3
        assert str(contracts[ContractType.CDDU].rate) == f"60{fr.NNBSP}%"
        assert contracts[ContractType.INDEPENDENT].count == 0
        pay = {share.value: share for share in figures.pay_bands}
        assert pay[PayBand.FROM_30K].count == 2
        # The one who left the pay blank is shown as such, not dropped.
        assert (pay[""].label, pay[""].count) == (NOT_GIVEN, 1)
        assert sum(share.count for share in figures.pay_bands) == 5

    def test_small_distribution_shares(self):
        figures = tally([employed(contract=ContractType.CDI), employed()])
        assert {str(share.rate) for share in figures.contracts} == {SMALL_NUMBERS}
