"""The review's pure rules (``review.rules``): what the pages show of the evaluators'
ratings, computed without a database."""

import datetime
from types import SimpleNamespace

import pytest

from review.rules import (
    by_seat,
    counts_text,
    distribution_text,
    divergence_text,
    is_divergent,
    is_late,
    majority_rating,
    rating_counts,
    spread,
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["acquis", "acquis", "acquis", "partiel"], "acquis"),
        (["acquis", "acquis", "partiel", "non_acquis"], None),
        (["acquis", "acquis", "non_acquis", "non_acquis"], None),
        (["non_acquis"] * 4, "non_acquis"),
        (["partiel", "partiel", "acquis"], "partiel"),
        ([], None),
    ],
)
def test_majority_rating(values, expected):
    assert majority_rating(values) == expected


def test_majority_rating_reads_any_iterable_once():
    assert majority_rating(iter(["acquis", "acquis", "partiel"])) == "acquis"


def test_divergence_and_counts_texts():
    assert divergence_text(["non_acquis", "acquis"]) == "Divergence : acquis / non acquis"
    assert (
        divergence_text(["partiel", "acquis", "partiel"])
        == "Divergence : acquis / partiellement acquis"
    )
    assert counts_text(["acquis", "non_acquis", "acquis"]) == "2 acquis, 1 non acquis"


def test_texts_list_the_ratings_from_best_to_worst_whatever_their_order():
    ratings = ["non_acquis", "partiel", "acquis", "acquis"]
    assert divergence_text(ratings) == "Divergence : acquis / partiellement acquis / non acquis"
    assert counts_text(ratings) == "2 acquis, 1 partiellement acquis, 1 non acquis"
    assert distribution_text(ratings) == "2 × acquis, 1 × partiellement acquis, 1 × non acquis"
    assert rating_counts(ratings) == [2, 1, 1]


def test_texts_of_no_rating_are_empty():
    assert counts_text([]) == ""
    assert distribution_text([]) == ""
    assert rating_counts([]) == [0, 0, 0]


@pytest.mark.parametrize(
    ("ratings", "gap", "at_one", "at_two"),
    [
        (["acquis", "acquis"], 0, False, False),
        (["acquis", "partiel"], 1, True, False),
        (["acquis", "non_acquis", "partiel"], 2, True, True),
        ([], 0, False, False),
    ],
)
def test_spread_and_divergence(ratings, gap, at_one, at_two):
    assert spread(ratings) == gap
    assert is_divergent(ratings, 1) is at_one
    assert is_divergent(ratings, 2) is at_two


TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("due", "submitted", "late"),
    [
        (TODAY - datetime.timedelta(days=1), False, True),
        (TODAY - datetime.timedelta(days=1), True, False),
        (TODAY, False, False),
        (None, False, False),
    ],
)
def test_is_late(due, submitted, late):
    assert is_late(due, submitted=submitted, today=TODAY) is late


def test_by_seat_follows_the_seats_then_the_creation_and_puts_unknown_seats_last():
    def seat(pk, category):
        return SimpleNamespace(pk=pk, category=category)

    order = ["external_professional", "training_body", "certifier"]
    assignments = [
        seat(4, "certifier"),
        seat(9, "retired_seat"),
        seat(3, "external_professional"),
        seat(2, "training_body"),
        seat(1, "external_professional"),
    ]
    assert [a.pk for a in by_seat(assignments, order)] == [1, 3, 2, 4, 9]
