"""The query parser: websearch syntax, synonyms from the data, never an error."""

import pytest

from search import synonyms
from search.base import Clause
from search.models import Synonym
from search.query import parse
from tests.factories import CandidacyFactory, UserFactory
from tests.search.support import add_evidence, keys, page_key, rebuild
from vae.enums import CandidacyState, Role

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
        ('"budget du tournage', [["budget"], ["tournage"]]),
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


def test_a_synonym_of_several_words_is_recognised_without_quotes():
    entry = Synonym.objects.get(term="crédit d'impôt")
    entry.equivalents += "\nCIC"
    entry.save()
    parsed = parse("credit d'impot cinema")
    # The longest run spelling a form of the list: the seeded « crédit d'impôt cinéma ».
    # Each word stays required, or one of the other forms in its place.
    others = ["crédit d'impôt", "crédit d'impôt audiovisuel", "C2I", "CIC"]
    assert [texts(group) for group in parsed.groups] == [
        ["credit", *others],
        ["d'impot", *others],
        ["cinema", *others],
    ]
    assert parsed.groups[0][1] == Clause("crédit d'impôt", phrase=True)


def test_the_longest_synonym_wins_and_the_other_words_stay_words():
    entry = Synonym.objects.get(term="crédit d'impôt")
    entry.equivalents = "CIC"
    entry.save()  # through save(): the cached list is emptied
    parsed = parse("credit d'impot tournage")
    assert [texts(group) for group in parsed.groups] == [
        ["credit", "CIC"],
        ["d'impot", "CIC"],
        ["tournage"],
    ]
    # Typed the other way round, the acronym finds the words.
    assert texts(parse("cic").groups[0]) == ["cic", "crédit d'impôt"]


def test_stop_words_and_accents_do_not_matter():
    parsed = parse("Plan de Tresorerie mensuel")
    others = ["prévisionnel de trésorerie", "trésorerie prévisionnelle"]
    assert [texts(group) for group in parsed.groups] == [
        ["Plan", *others],
        ["Tresorerie", *others],
        ["mensuel"],
    ]


@pytest.mark.parametrize(
    ("raw", "groups"),
    [
        ("credit OR budget impot", [["credit", "budget"], ["impot"]]),
        ("credit -devis impot", [["credit"], ["impot"]]),
        ('credit "impot" cinema', [["credit"], ["impot"], ["cinema"]]),
        ("impot credit", [["impot"], ["credit"]]),
    ],
    ids=["or-between", "exclusion-between", "phrase-between", "wrong-order"],
)
def test_a_synonym_is_never_spelled_across_the_syntax(raw, groups):
    assert [texts(group) for group in parse(raw).groups] == groups


def test_plain_words_of_an_unreadable_query_spell_synonyms_too():
    parsed = parse("\"declaration prealable a l'embauche")
    assert parsed.fell_back
    assert [texts(group) for group in parsed.groups] == [
        ["declaration", "DPAE"],
        ["prealable", "DPAE"],
        ["l'embauche", "DPAE"],
    ]


def test_a_multi_word_synonym_typed_without_quotes_finds_the_acronym(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    spelled = add_evidence(candidacy, "Dossier CNC", "Demande de crédit d’impôt cinéma.")
    acronym = add_evidence(candidacy, "Dossier C2I", "Le C2I est accordé pour le film.")
    scattered = add_evidence(candidacy, "Films", "Le crédit du cinéma ; l'impôt est payé.")
    add_evidence(candidacy, "Autre", "Un crédit bancaire ; l'impôt sur les sociétés.")
    rebuild()
    staff = UserFactory(role=Role.CERTIFIER)
    # The words anywhere, as before; or the acronym alone.
    expected = sorted(page_key(piece) for piece in (spelled, acronym, scattered))
    assert keys("credit d'impot cinema", staff) == expected
