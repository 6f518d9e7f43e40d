"""Whose name a sworn statement may carry (``livret.rules``)."""

import pytest

from livret.rules import identity_of, is_identity_name, name_tokens
from vae.models import User

LUCIE = identity_of(first_names="Lucie Marie", birth_name="Perrin", usage_name="Le Goff-Hervé")


def test_name_tokens_fold_case_accents_and_separators():
    assert name_tokens("  Le Goff-Hervé ") == ["le", "goff", "herve"]
    assert name_tokens("d’Artagnan") == ["d", "artagnan"]
    assert name_tokens("ÉLODIE") == ["elodie"]


@pytest.mark.parametrize(
    "signed",
    [
        "Lucie Perrin",
        "lucie perrin",
        "PERRIN Lucie",
        "Lucie  Le Goff Hervé",
        "le goff-herve lucie",
        "Marie Perrin",
        "Lucie Marie Perrin",
        "Lucie-Marie Perrin",
        "Lucie Le Goff-Hervé",
    ],
)
def test_the_candidates_names_are_accepted(signed):
    assert is_identity_name(signed, LUCIE)


@pytest.mark.parametrize(
    "signed",
    [
        "",
        "Perrin",
        "Lucie",
        "Lucie Garnier",
        "Jean Perrin",
        "Lucie Perrin Garnier",
        "Lucie Goff",
        "Lucie Perrin Perrin",
    ],
)
def test_other_names_are_refused(signed):
    assert not is_identity_name(signed, LUCIE)


def test_a_compound_first_name_is_signed_whole():
    identity = identity_of(first_names="Jean-Pierre", birth_name="Martin")
    assert is_identity_name("Jean-Pierre Martin", identity)
    assert is_identity_name("Jean Pierre MARTIN", identity)
    assert not is_identity_name("Pierre Martin", identity)


def test_the_account_names_count_too():
    account = User(first_name="Lucie", last_name="Perrin")
    identity = identity_of(first_names="", birth_name="", account=account)
    assert is_identity_name("Lucie Perrin", identity)
    assert not is_identity_name("Lucie Garnier", identity)
