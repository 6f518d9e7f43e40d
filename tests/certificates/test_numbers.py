import re

import pytest

from certificates import numbers

PRINTED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_new_numbers_are_printed_in_four_groups_and_do_not_repeat():
    drawn = {numbers.new_number() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(PRINTED.match(number) for number in drawn)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7K3M-9QXD-2B4T-HW8C", "7K3M-9QXD-2B4T-HW8C"),
        (" 7k3m 9qxd 2b4t hw8c ", "7K3M-9QXD-2B4T-HW8C"),
        ("7K3M9QXD2B4THW8C", "7K3M-9QXD-2B4T-HW8C"),
        # Crockford's forgiveness: O is 0, I and L are 1.
        ("7K3M-9QXD-2B4T-HWOC", "7K3M-9QXD-2B4T-HW0C"),
        ("iK3M-9QXD-2B4T-lW8C", "1K3M-9QXD-2B4T-1W8C"),
    ],
)
def test_a_number_is_read_as_typed_from_paper(typed, expected):
    assert numbers.normalize(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "7K3M-9QXD-2B4T",
        "7K3M-9QXD-2B4T-HW8CX",
        "7K3M-9QXD-2B4T-HW8U",
        "²" * 16,
        "x" * 10_000,
        None,
    ],
)
def test_what_cannot_be_a_number_is_none(typed):
    assert numbers.normalize(typed) is None
