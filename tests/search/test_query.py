"""The query parser: websearch syntax, synonyms from the data, never an error."""

import pytest

from search import synonyms
from search.base import Clause
from search.models import Synonym
from search.query import parse

pytestmark = pytest.mark.django_db


def texts(group):
    return [clause.text for clause in group]


def test_words_are_all_required():
    parsed = parse("paie salariés")
    assert [texts(g) for g in parsed.groups] == [["paie"], ["salariés"]]
    assert not parsed.fell_back


def test_a_quoted_phrase_is_one_clause():
    parsed = parse('"plan de trésorerie" budget')
    assert parsed.groups[0][0] == Clause("plan de trésorerie", phrase=True)
    assert texts(parsed.groups[1])[0] == "budget"


def test_french_quotes_are_phrases_too():
    assert parse("« plan de trésorerie »").groups[0][0] == Clause("plan de trésorerie", True)


def test_minus_excludes():
    parsed = parse('paie -devis -"note de frais"')
    assert [texts(g) for g in parsed.groups] == [["paie"]]
    assert parsed.excluded == (Clause("devis"), Clause("note de frais", phrase=True))


def test_or_joins_two_clauses_into_one_group():
    parsed = parse("budget OR tresorerie paie")
    assert [texts(g) for g in parsed.groups] == [["budget", "tresorerie"], ["paie"]]


def test_lower_case_or_is_a_word():
    # « or » is a French word (gold, now): only the upper-case operator joins.
    assert [texts(g) for g in parse("budget or paie").groups] == [["budget"], ["or"], ["paie"]]


def test_stop_words_never_make_a_group():
    assert [texts(g) for g in parse("le budget de la paie").groups] == [["budget"], ["paie"]]


def test_a_hyphenated_word_is_a_phrase():
    assert parse("auto-entrepreneur").groups[0][0].phrase


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"plan de trésorerie', [["plan"], ["trésorerie"]]),
        ("paie -", [["paie"]]),
        ("OR paie", [["paie"]]),
        ("paie OR", [["paie"]]),
        ("paie OR OR budget", [["paie"], ["budget"]]),
        ("-devis", [["devis"]]),
        ('""', []),
        ("de la", []),
    ],
    ids=[
        "unbalanced-quote",
        "lone-minus",
        "leading-or",
        "trailing-or",
        "double-or",
        "only-exclusions",
        "empty-phrase",
        "only-stop-words",
    ],
)
def test_unreadable_syntax_falls_back_to_plain_words(raw, expected):
    parsed = parse(raw)
    assert parsed.fell_back
    assert parsed.excluded == ()
    assert [texts(g)[:1] for g in parsed.groups] == expected


def test_nothing_typed_is_an_empty_query_not_a_fallback():
    parsed = parse("   ")
    assert parsed.is_empty
    assert not parsed.fell_back


def test_a_long_query_is_cut():
    assert len(parse("paie " * 500).raw) == 500


def test_seeded_acronyms_expand_both_ways():
    dpae = parse("DPAE").groups[0]
    assert Clause("déclaration préalable à l'embauche", phrase=True) in dpae
    spelled = parse('"déclaration préalable à l’embauche"').groups[0]
    assert texts(spelled)[1:] == ["DPAE"]


def test_synonyms_are_added_to_the_clause_group_only():
    parsed = parse("AEM -TVA")
    assert texts(parsed.groups[0]) == ["AEM", "attestation employeur mensuelle"]
    assert parsed.excluded == (Clause("TVA"),)


def test_a_synonym_edited_by_staff_is_used_at_once():
    assert texts(parse("pdc").groups[0]) == ["pdc"]  # cached now
    Synonym.objects.create(term="PDC", equivalents="plan de charge\n\n")
    assert texts(parse("pdc").groups[0]) == ["pdc", "plan de charge"]
    Synonym.objects.filter(term="PDC").get().delete()
    assert texts(parse("pdc").groups[0]) == ["pdc"]


def test_the_synonym_table_is_read_once(django_assert_num_queries):
    synonyms.table()
    with django_assert_num_queries(0):
        parse("DPAE TVA AEM")
