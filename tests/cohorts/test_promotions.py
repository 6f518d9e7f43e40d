"""Promotions and their figures from the database (cohorts.promotions)."""

import datetime as dt

import pytest

from cohorts import promotions
from cohorts.enums import AccessPath, HolderKind, Situation
from cohorts.models import FollowUpSurvey, PromotionSettings
from cohorts.promotions import Promotion
from cohorts.rules import SMALL_NUMBERS, Answer, tally
from referentiel import french as fr
from tests.cohorts.tables_support import (
    PARTIAL,
    REFUSAL,
    TOTAL,
    a_promotion,
    employed,
    presented,
    survey,
)

pytestmark = pytest.mark.django_db


class TestPromotion:
    def test_calendar_year_by_default(self):
        promotion = Promotion.of(dt.date(2025, 3, 14), 1)
        assert promotion.start == dt.date(2025, 1, 1)
        assert promotion.label == "2025"
        assert promotion.last_day == dt.date(2025, 12, 31)

    @pytest.mark.parametrize(
        ("day", "start"),
        [
            (dt.date(2025, 8, 31), dt.date(2024, 9, 1)),
            (dt.date(2025, 9, 1), dt.date(2025, 9, 1)),
            (dt.date(2025, 1, 1), dt.date(2024, 9, 1)),
        ],
        ids=["last-day", "first-day", "january"],
    )
    def test_a_school_year(self, day, start):
        assert Promotion.of(day, 9).start == start

    def test_a_school_years_label(self):
        promotion = Promotion(dt.date(2024, 9, 1))
        assert promotion.label == "septembre 2024 – août 2025"
        assert promotion.period == "du 1er septembre 2024 au 31 août 2025"

    def test_the_setting_defaults_to_january(self):
        assert PromotionSettings.load().start_month == 1
        assert promotions.start_month() == 1


def figures_of(year, month=1):
    found = promotions.promotion_of_year(year, month)
    assert found is not None, f"no promotion {year}"
    return found


class TestCandidates:
    def test_presented_and_holders(self, referentiel):
        a_promotion(dt.date(2025, 5, 20))
        vae = figures_of(2025).path(AccessPath.VAE)
        assert (vae.presented, vae.holders_total, vae.holders_partial) == (7, 3, 2)
        assert vae.holders == 5

    def test_a_decision_signed_later_counts_in_its_own_promotion(self, referentiel):
        # Heard on 30 December, decided on 5 January: a holder of the new year, and
        # presented there too, so that presented and holders of a year agree.
        presented(dt.date(2025, 12, 30), TOTAL, decided_on=dt.date(2026, 1, 5))
        presented(dt.date(2025, 12, 30))  # heard, not decided yet: the session's year
        assert figures_of(2026).path(AccessPath.VAE).holders_total == 1
        assert figures_of(2026).path(AccessPath.VAE).presented == 1
        assert figures_of(2025).path(AccessPath.VAE).presented == 1
        assert figures_of(2025).path(AccessPath.VAE).holders == 0

    def test_the_reference_period_moves_the_boundaries(self, referentiel):
        presented(dt.date(2025, 8, 31), TOTAL)
        presented(dt.date(2025, 9, 1), PARTIAL)
        presented(dt.date(2025, 12, 1), REFUSAL)
        table = promotions.promotion_table(9)
        assert [p.promotion.label for p in table] == [
            "septembre 2025 – août 2026",
            "septembre 2024 – août 2025",
        ]
        newer, older = (p.path(AccessPath.VAE) for p in table)
        assert (newer.presented, newer.holders_total, newer.holders_partial) == (2, 0, 1)
        assert (older.presented, older.holders_total) == (1, 1)
        calendar = promotions.promotion_table(1)
        assert [p.promotion.label for p in calendar] == ["2025"]
        assert calendar[0].path(AccessPath.VAE).presented == 3

    def test_the_setting_is_read(self, referentiel):
        presented(dt.date(2025, 8, 31), TOTAL)
        settings_row = PromotionSettings.load()
        settings_row.start_month = 9
        settings_row.save()
        assert [p.promotion.year for p in promotions.promotion_table()] == [2024]

    def test_the_training_path_is_not_measured(self, referentiel):
        a_promotion(dt.date(2025, 5, 20))
        training = figures_of(2025).path(AccessPath.TRAINING)
        assert training.presented is None and training.holders is None
        assert all(wave.insertion is None for wave in training.waves)
        assert not training.measured

    def test_no_data_no_promotion(self, referentiel):
        assert promotions.promotion_table() == []
        assert promotions.promotion_of_year(2025) is None


class TestSurveys:
    def test_the_figures_of_a_wave(self, referentiel):
        a_promotion(dt.date(2025, 5, 20))
        six, twenty_four = figures_of(2025).path(AccessPath.VAE).waves
        assert twenty_four.wave.months_after_decision == 24
        assert twenty_four.insertion is None  # not surveyed yet
        counts = six.insertion.counts
        assert (counts.sent, counts.answered, counts.respondents) == (8, 7, 6)
        assert (counts.neutralised, counts.employed, counts.in_targeted_job) == (1, 4, 3)
        assert counts.without_consent == 1
        assert str(counts.targeted_job_rate) == f"60{fr.NNBSP}%"
        assert str(counts.employment_rate) == f"80{fr.NNBSP}%"
        assert str(counts.response_rate) == f"75{fr.NNBSP}%"
        contracts = {share.value: share.count for share in six.insertion.contracts}
        assert (contracts["cddu"], contracts["cdi"], contracts["cdd"]) == (2, 1, 1)
        pay = {share.value: share.count for share in six.insertion.pay_bands}
        assert (pay["30_40"], pay["20_30"], pay["lt20"]) == (2, 1, 1)

    def test_sql_and_rules_agree(self, referentiel):
        a_promotion(dt.date(2025, 5, 20))
        refused = survey(dt.date(2025, 6, 1), refused=True)
        rows = [
            Answer(
                sent=s.sent_at is not None,
                answered=s.answered_at is not None,
                consent=s.consent,
                refused=s.refused_at is not None,
                situation=s.situation,
                in_targeted_job=s.in_targeted_job,
                contract_type=s.contract_type,
                pay_band=s.pay_band,
            )
            for s in FollowUpSurvey.objects.order_by("pk")
        ]
        assert refused.refused_at is not None
        six = figures_of(2025).path(AccessPath.VAE).waves[0].insertion
        assert six == tally(rows)
        assert six.counts.refused == 1

    def test_cancelled_surveys_count_nowhere(self, referentiel):
        employed(dt.date(2025, 2, 1))
        employed(dt.date(2025, 2, 1), cancelled=True)
        counts = figures_of(2025).path(AccessPath.VAE).waves[0].insertion.counts
        assert (counts.sent, counts.respondents) == (1, 1)

    def test_small_numbers(self, referentiel):
        employed(dt.date(2025, 2, 1))
        survey(dt.date(2025, 2, 1), situation=Situation.SEEKING)
        counts = figures_of(2025).path(AccessPath.VAE).waves[0].insertion.counts
        assert str(counts.employment_rate) == SMALL_NUMBERS

    def test_not_sent_yet(self, referentiel):
        survey(dt.date(2025, 11, 1), sent=False)
        counts = figures_of(2025).path(AccessPath.VAE).waves[0].insertion.counts
        assert counts.sent == 0
        assert str(counts.response_rate) == "—"

    def test_both_waves_and_holder_kinds(self, referentiel):
        employed(dt.date(2024, 3, 1), months=24, kind=HolderKind.PARTIAL)
        employed(dt.date(2024, 3, 1), months=6)
        six, twenty_four = figures_of(2024).path(AccessPath.VAE).waves
        assert six.insertion.counts.employed == 1
        assert twenty_four.insertion.counts.employed == 1

    def test_a_training_survey_is_counted_in_its_column(self, referentiel):
        employed(dt.date(2025, 2, 1), path=AccessPath.TRAINING)
        table = figures_of(2025)
        training = table.path(AccessPath.TRAINING)
        assert training.measured and training.presented is None
        assert training.waves[0].insertion.counts.employed == 1
        assert table.path(AccessPath.VAE).waves[0].insertion is None


def test_a_constant_number_of_queries(referentiel, django_assert_num_queries):
    a_promotion(dt.date(2025, 5, 20))
    PromotionSettings.load()  # the setting's row exists, as after the first page
    with django_assert_num_queries(5) as few:
        promotions.promotion_table()
    a_promotion(dt.date(2024, 5, 20))
    a_promotion(dt.date(2025, 6, 20))
    for day in (dt.date(2023, 1, 2), dt.date(2023, 7, 3)):
        employed(day, months=24)
    with django_assert_num_queries(len(few.captured_queries)):
        table = promotions.promotion_table()
    assert [p.promotion.year for p in table] == [2025, 2024, 2023]
