"""The French analyser: the same stems at index and query time, offsets into the original."""

import pytest

from search.analysis import analysed, fold, terms, tokens


@pytest.mark.parametrize(
    ("indexed", "typed"),
    [
        ("bulletins", "bulletin"),
        ("trésorerie", "tresorerie"),
        ("Trésorerie", "TRESORERIE"),
        ("l'URSSAF", "URSSAF"),
        ("l’URSSAF", "urssaf"),
        ("d’intermittents", "intermittent"),
        ("d'intermittents", "intermittents"),
        ("salariés", "salaries"),
        ("déclarations", "déclaration"),
        ("qu'importe", "importe"),
        ("jusqu'à l'embauche", "embauche"),
        ("lorsqu'intervient", "intervient"),
        ("œuvres", "oeuvre"),
    ],
    ids=[
        "plural",
        "accent",
        "case-and-accent",
        "elision-straight",
        "elision-curly",
        "elision-curly-plural",
        "elision-straight-plural",
        "accent-changes-stem-unless-folded-first",
        "plural-accent",
        "qu",
        "jusqu",
        "lorsqu",
        "ligature",
    ],
)
def test_the_typed_word_meets_the_indexed_one(indexed, typed):
    assert terms(typed)[-1] == terms(indexed)[-1]


def test_elisions_and_stop_words_leave_the_content_words():
    assert terms("Le plan de trésorerie de l'entreprise et les bulletins") == [
        "plan",
        "tresorer",
        "entrepris",
        "bulletin",
    ]


def test_only_stop_words_give_nothing():
    assert terms("de la et les l' d’") == []


def test_each_token_keeps_its_place_in_the_original_text():
    text = "Déclaration d’intermittents à l'URSSAF"
    found = tokens(text)
    assert [text[t.start : t.end] for t in found] == ["Déclaration", "intermittents", "URSSAF"]
    assert [t.position for t in found] == [0, 1, 2]


def test_numbers_and_acronyms_are_kept():
    # An acronym is stemmed like any word (« DPAE » → « dpa »): the same at both ends.
    assert analysed("DPAE 2024, CDDU n° 12") == analysed("dpae 2024 cddu 12")
    assert terms("DPAE 2024, CDDU n° 12")[1:] == ["2024", "cddu", "12"]


def test_fold():
    assert fold("Ÿçàéèêôûïœ") == "ycaeeeouioe"


def test_empty_and_none():
    assert tokens("") == []
    assert tokens(None) == []
