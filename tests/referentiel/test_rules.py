"""Tests of referentiel/rules.py, the pure decision module of the bloc validation rules.

Most cases run on the pure ``evaluate_rule(BlocRule(...), ...)`` with rules that mirror the
``rule`` sections of referentiel/data/cqp_administrateur_production.yaml (a test checks
that ``BlocRule.from_bloc`` on the loaded référentiel gives exactly these rules). The
data-driven path (``evaluate_bloc`` with a code or a ``Bloc``) is exercised on the
``referentiel`` fixture, including a draft version whose threshold is edited.
"""

from decimal import Decimal

import pytest

from referentiel.enums import Path, Rating
from referentiel.french import typography
from referentiel.management.commands.load_referentiel import DEFAULT_FILE
from referentiel.models import Bloc, Certification
from referentiel.rules import (
    BlocOutcome,
    BlocRule,
    CertificationOutcome,
    RuleInputError,
    evaluate_bloc,
    evaluate_certification,
    evaluate_rule,
)
from referentiel.services import (
    create_draft_from,
    load_referentiel_text,
    publish_version,
)

# --------------------------------------------------------------------------------------
# The référentiel's rules, as plain values (from the data file's ``rule`` sections)
# --------------------------------------------------------------------------------------

CODES = {
    "BC1": tuple(f"C1.{i}" for i in range(1, 11)),
    "BC2": tuple(f"C2.{i}" for i in range(1, 11)),
    "BC3": tuple(f"C3.{i}" for i in range(1, 7)),
}
CERTIFICATION_BLOCS = ("BC1", "BC2", "BC3")
PATHS = ["vae", "formation"]

# The version the fixture loads from the data file.
PUBLISHED_VERSION = ("cqp-admin-production", 1)

RULES = {
    code: BlocRule(
        code=code,
        competence_codes=CODES[code],
        min_acquired=8,
        max_partial=2,
        max_not_acquired=0,
        competences_paths=frozenset({Path.VAE, Path.TRAINING}),
        min_questionnaire_score=Decimal("14"),
        questionnaire_paths=frozenset({Path.TRAINING}),
        questionnaire_max_score=20,
        certification_blocs=CERTIFICATION_BLOCS,
        all_blocs_required=True,
        certification_version=PUBLISHED_VERSION,
    )
    for code in ("BC1", "BC2")
}
RULES["BC3"] = BlocRule(
    code="BC3",
    competence_codes=CODES["BC3"],
    min_acquired=5,
    max_partial=1,
    max_not_acquired=0,
    competences_paths=frozenset({Path.VAE, Path.TRAINING}),
    min_questionnaire_score=None,
    questionnaire_paths=frozenset(),
    questionnaire_max_score=20,
    certification_blocs=CERTIFICATION_BLOCS,
    all_blocs_required=True,
    certification_version=PUBLISHED_VERSION,
)


def typeset(expected):
    """The sentences (a string or a tuple of them) as the rules write them: with the
    French no-break spaces of ``referentiel.french``, whose own tests check the spacing."""
    if isinstance(expected, tuple):
        return tuple(typography(sentence) for sentence in expected)
    return typography(expected)


ALLOWED_RATINGS = "« acquis », « partiel », « non_acquis »"
ALLOWED_PATHS = "« vae », « formation »"


def ratings(bloc_code, acquis=0, partiel=0, non_acquis=0):
    """Ratings of the first compétences of ``bloc_code``: ``acquis`` « acquis », then
    ``partiel`` « partiel », then ``non_acquis`` « non_acquis »; any left are omitted."""
    codes = CODES[bloc_code]
    values = ["acquis"] * acquis + ["partiel"] * partiel + ["non_acquis"] * non_acquis
    assert len(values) <= len(codes), "more ratings than compétences in the bloc"
    return dict(zip(codes, values, strict=False))


def passing_score(bloc_code, path):
    """A questionnaire score where the bloc requires one, None otherwise."""
    return 14 if path == "formation" and bloc_code in ("BC1", "BC2") else None


def evaluate(bloc_code, acquis=0, partiel=0, non_acquis=0, *, path="vae", score="auto"):
    """Pure evaluation of a bloc of the référentiel."""
    if score == "auto":
        score = passing_score(bloc_code, path)
    return evaluate_rule(
        RULES[bloc_code],
        ratings(bloc_code, acquis, partiel, non_acquis),
        questionnaire_score=score,
        path=path,
    )


def acquises(count, total, minimum):
    return (
        f"Compétences « acquises » : {count} sur {total}, alors qu'il en faut au moins {minimum}."
    )


def partielles(count, maximum):
    return f"Compétences « partiellement acquises » : {count}, alors que le maximum est {maximum}."


def non_acquises(count, maximum):
    return f"Compétences « non acquises » : {count}, alors que le maximum est {maximum}."


# --------------------------------------------------------------------------------------
# 1 & 2. Every boundary of every rule, on each path, with the exact reasons
# --------------------------------------------------------------------------------------

# (acquis, partiel, non_acquis, expected reasons) for BC1 and BC2 (10 compétences,
# at least 8 acquises, at most 2 partielles, no non acquise).
BC12_CASES = [
    pytest.param(8, 2, 0, (), id="8A+2P-at-both-thresholds"),
    pytest.param(10, 0, 0, (), id="10A"),
    pytest.param(9, 1, 0, (), id="9A+1P"),
    pytest.param(
        7,
        3,
        0,
        (
            "Compétences « acquises » : 7 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « partiellement acquises » : 3, alors que le maximum est 2.",
        ),
        id="7A+3P-past-both",
    ),
    pytest.param(
        9,
        0,
        1,
        ("Compétences « non acquises » : 1, alors que le maximum est 0.",),
        id="9A+1NA",
    ),
    pytest.param(
        8,
        1,
        1,
        ("Compétences « non acquises » : 1, alors que le maximum est 0.",),
        id="8A+1P+1NA",
    ),
    pytest.param(
        7,
        2,
        1,
        (
            "Compétences « acquises » : 7 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « non acquises » : 1, alors que le maximum est 0.",
        ),
        id="7A+2P+1NA",
    ),
    pytest.param(
        7,
        1,
        2,
        (
            "Compétences « acquises » : 7 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « non acquises » : 2, alors que le maximum est 0.",
        ),
        id="7A+1P+2NA",
    ),
    pytest.param(
        6,
        3,
        1,
        (
            "Compétences « acquises » : 6 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « partiellement acquises » : 3, alors que le maximum est 2.",
            "Compétences « non acquises » : 1, alors que le maximum est 0.",
        ),
        id="6A+3P+1NA-all-three",
    ),
    pytest.param(
        0,
        10,
        0,
        (
            "Compétences « acquises » : 0 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « partiellement acquises » : 10, alors que le maximum est 2.",
        ),
        id="10P",
    ),
    pytest.param(
        0,
        0,
        10,
        (
            "Compétences « acquises » : 0 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « non acquises » : 10, alors que le maximum est 0.",
        ),
        id="10NA",
    ),
]

# Same for BC3 (6 compétences, at least 5 acquises, at most 1 partielle, no non acquise).
BC3_CASES = [
    pytest.param(5, 1, 0, (), id="5A+1P-at-both-thresholds"),
    pytest.param(6, 0, 0, (), id="6A"),
    pytest.param(
        4,
        2,
        0,
        (
            "Compétences « acquises » : 4 sur 6, alors qu'il en faut au moins 5.",
            "Compétences « partiellement acquises » : 2, alors que le maximum est 1.",
        ),
        id="4A+2P-past-both",
    ),
    pytest.param(
        5,
        0,
        1,
        ("Compétences « non acquises » : 1, alors que le maximum est 0.",),
        id="5A+1NA",
    ),
    pytest.param(
        4,
        1,
        1,
        (
            "Compétences « acquises » : 4 sur 6, alors qu'il en faut au moins 5.",
            "Compétences « non acquises » : 1, alors que le maximum est 0.",
        ),
        id="4A+1P+1NA",
    ),
    pytest.param(
        0,
        6,
        0,
        (
            "Compétences « acquises » : 0 sur 6, alors qu'il en faut au moins 5.",
            "Compétences « partiellement acquises » : 6, alors que le maximum est 1.",
        ),
        id="6P",
    ),
]


THRESHOLD_CASES = [
    pytest.param(bloc_code, *case.values, id=f"{bloc_code}-{case.id}")
    for bloc_code, cases in (("BC1", BC12_CASES), ("BC2", BC12_CASES), ("BC3", BC3_CASES))
    for case in cases
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("bloc_code", "acquis", "partiel", "non_acquis", "reasons"), THRESHOLD_CASES
)
def test_competence_thresholds(bloc_code, path, acquis, partiel, non_acquis, reasons):
    outcome = evaluate(bloc_code, acquis, partiel, non_acquis, path=path)

    assert isinstance(outcome, BlocOutcome)
    assert outcome.bloc == bloc_code
    assert outcome.path == path
    assert outcome.reasons == typeset(reasons)
    assert outcome.validated is (reasons == ())
    assert bool(outcome) is (reasons == ())
    assert outcome.counts == {"acquis": acquis, "partiel": partiel, "non_acquis": non_acquis}


@pytest.mark.parametrize("path", PATHS)
def test_reason_helpers_match_literal_sentences(path):
    """The helpers used below produce the very sentences asserted literally above."""
    outcome = evaluate("BC1", 6, 3, 1, path=path)
    assert outcome.reasons == typeset((acquises(6, 10, 8), partielles(3, 2), non_acquises(1, 0)))


@pytest.mark.parametrize("bloc_code", ["BC1", "BC2"])
@pytest.mark.parametrize(
    ("score", "stored", "reason"),
    [
        pytest.param(14, Decimal("14"), None, id="14-int"),
        pytest.param(14.0, Decimal("14"), None, id="14.0-float"),
        pytest.param(Decimal("14"), Decimal("14"), None, id="14-decimal"),
        pytest.param("14", Decimal("14"), None, id="14-str"),
        pytest.param("14,5", Decimal("14.5"), None, id="14,5-french-str"),
        pytest.param(20, Decimal("20"), None, id="20-max"),
        pytest.param(
            13.99,
            Decimal("13.99"),
            "Questionnaire : 13,99/20, alors que le minimum est 14/20.",
            id="13.99",
        ),
        pytest.param(
            13.5,
            Decimal("13.5"),
            "Questionnaire : 13,5/20, alors que le minimum est 14/20.",
            id="13.5",
        ),
        pytest.param(
            "13,5",
            Decimal("13.5"),
            "Questionnaire : 13,5/20, alors que le minimum est 14/20.",
            id="13,5-french-str",
        ),
        pytest.param(
            13, Decimal("13"), "Questionnaire : 13/20, alors que le minimum est 14/20.", id="13"
        ),
        pytest.param(
            0, Decimal("0"), "Questionnaire : 0/20, alors que le minimum est 14/20.", id="0"
        ),
    ],
)
def test_questionnaire_threshold_on_formation(bloc_code, score, stored, reason):
    outcome = evaluate(bloc_code, 8, 2, 0, path="formation", score=score)

    assert outcome.questionnaire_score == stored
    if reason is None:
        assert outcome.validated is True
        assert outcome.reasons == ()
    else:
        assert outcome.validated is False
        assert outcome.reasons == typeset((reason,))


@pytest.mark.parametrize("bloc_code", ["BC1", "BC2"])
@pytest.mark.parametrize("score", [None, 0, 5, 13.99, 14, 20])
def test_questionnaire_not_required_nor_used_on_vae(bloc_code, score):
    outcome = evaluate(bloc_code, 8, 2, 0, path="vae", score=score)

    assert outcome.validated is True
    assert outcome.reasons == ()


@pytest.mark.parametrize("bloc_code", ["BC1", "BC2"])
def test_low_score_on_vae_adds_no_reason_to_a_failed_bloc(bloc_code):
    outcome = evaluate(bloc_code, 7, 3, 0, path="vae", score=0)

    assert outcome.reasons == typeset((acquises(7, 10, 8), partielles(3, 2)))
    assert not any(reason.startswith("Questionnaire") for reason in outcome.reasons)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("score", [None, 0, 20])
def test_bc3_has_no_questionnaire(path, score):
    outcome = evaluate("BC3", 5, 1, 0, path=path, score=score)

    assert outcome.validated is True
    assert outcome.reasons == ()


@pytest.mark.parametrize("bloc_code", ["BC1", "BC2"])
def test_formation_questionnaire_and_competences_each_give_a_reason(bloc_code):
    outcome = evaluate(bloc_code, 7, 3, 0, path="formation", score=13.5)

    assert outcome.validated is False
    assert outcome.reasons == typeset(
        (
            "Questionnaire : 13,5/20, alors que le minimum est 14/20.",
            "Compétences « acquises » : 7 sur 10, alors qu'il en faut au moins 8.",
            "Compétences « partiellement acquises » : 3, alors que le maximum est 2.",
        )
    )


@pytest.mark.parametrize("bloc_code", ["BC1", "BC2"])
def test_formation_failing_only_the_questionnaire(bloc_code):
    outcome = evaluate(bloc_code, 10, 0, 0, path="formation", score=0)

    assert outcome.reasons == typeset(("Questionnaire : 0/20, alors que le minimum est 14/20.",))
    assert outcome.summary == typeset(
        f"Bloc {bloc_code} non validé : Questionnaire : 0/20, alors que le minimum est 14/20."
    )


@pytest.mark.parametrize("bloc_code", ["BC1", "BC2"])
def test_missing_score_on_formation_raises(bloc_code):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate(bloc_code, 10, 0, 0, path="formation", score=None)

    assert str(excinfo.value) == typeset(
        f"La note au questionnaire du bloc {bloc_code} est exigée sur le parcours Formation."
    )


def test_missing_score_raises_even_when_competences_fail():
    with pytest.raises(RuleInputError, match="exigée sur le parcours Formation"):
        evaluate("BC1", 0, 0, 10, path="formation", score=None)


def test_reasons_are_typeset_the_french_way():
    """No-break spaces before « : » and inside « », a decimal comma: a reason never
    wraps between « acquises » and its colon, nor in « 13,5/20 »."""
    outcome = evaluate("BC1", 7, 3, 0, path="formation", score=Decimal("13.5"))
    assert outcome.reasons == (
        "Questionnaire\u00a0: 13,5/20, alors que le minimum est 14/20.",
        "Compétences «\u00a0acquises\u00a0»\u00a0: 7 sur 10, alors qu'il en faut au moins 8.",
        "Compétences «\u00a0partiellement acquises\u00a0»\u00a0: 3, alors que le maximum est 2.",
    )
    assert outcome.summary.startswith("Bloc BC1 non validé\u00a0: Questionnaire\u00a0: 13,5/20")


def test_summary_of_a_validated_bloc():
    outcome = evaluate("BC3", 6, 0, 0)
    assert outcome.summary == "Bloc BC3 validé."


def test_summary_of_a_failed_bloc_lists_every_reason():
    outcome = evaluate("BC1", 7, 3, 0)
    assert outcome.summary == typeset(
        "Bloc BC1 non validé : "
        "Compétences « acquises » : 7 sur 10, alors qu'il en faut au moins 8. "
        "Compétences « partiellement acquises » : 3, alors que le maximum est 2."
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [(Path.VAE, "vae"), (Path.TRAINING, "formation"), ("vae", "vae"), ("formation", "formation")],
)
def test_path_given_as_enum_or_string(path, expected):
    outcome = evaluate("BC3", 6, 0, 0, path=path)
    assert outcome.path == expected
    assert type(outcome.path) is str


def test_default_path_is_vae():
    outcome = evaluate_rule(RULES["BC1"], ratings("BC1", 8, 2, 0))
    assert outcome.path == "vae"
    assert outcome.validated is True


def test_ratings_as_enum_members():
    values = dict.fromkeys(CODES["BC3"], Rating.ACQUIRED)
    values["C3.6"] = Rating.PARTIAL
    outcome = evaluate_rule(RULES["BC3"], values)
    assert outcome.counts == {"acquis": 5, "partiel": 1, "non_acquis": 0}
    assert outcome.validated is True


def test_order_of_the_ratings_does_not_matter():
    values = ratings("BC1", 8, 2, 0)
    reversed_values = dict(reversed(list(values.items())))
    assert evaluate_rule(RULES["BC1"], reversed_values) == evaluate_rule(RULES["BC1"], values)


def test_outcome_carries_the_certification_of_its_rule():
    outcome = evaluate("BC2", 10)
    assert outcome.certification_blocs == CERTIFICATION_BLOCS
    assert outcome.all_blocs_required is True


# --------------------------------------------------------------------------------------
# Rules that apply on one path only (a BlocRule built by hand)
# --------------------------------------------------------------------------------------


def test_competence_rule_not_applied_on_a_path_it_does_not_cover():
    rule = BlocRule(
        code="BX",
        competence_codes=("X1", "X2"),
        min_acquired=2,
        max_partial=0,
        competences_paths=frozenset({Path.TRAINING}),
    )
    on_vae = evaluate_rule(rule, {}, path="vae")
    assert on_vae.validated is True
    assert on_vae.counts == {"acquis": 0, "partiel": 0, "non_acquis": 0}

    with pytest.raises(RuleInputError, match="Évaluation manquante pour X1, X2"):
        evaluate_rule(rule, {}, path="formation")


def test_questionnaire_threshold_with_a_decimal_minimum_and_other_maximum():
    rule = BlocRule(
        code="BX",
        competence_codes=("X1",),
        min_acquired=1,
        max_partial=0,
        min_questionnaire_score=Decimal("12.50"),
        questionnaire_paths=frozenset({Path.VAE}),
        questionnaire_max_score=40,
    )
    assert evaluate_rule(rule, {"X1": "acquis"}, questionnaire_score="12,5").validated is True
    outcome = evaluate_rule(rule, {"X1": "acquis"}, questionnaire_score=12.49)
    assert outcome.reasons == typeset(
        ("Questionnaire : 12,49/40, alors que le minimum est 12,5/40.",)
    )
    assert evaluate_rule(rule, {"X1": "acquis"}, questionnaire_score=40).validated is True
    with pytest.raises(RuleInputError, match=r"entre 0 et 40 \(reçu\xa0: 40,5\)"):
        evaluate_rule(rule, {"X1": "acquis"}, questionnaire_score=40.5)


# --------------------------------------------------------------------------------------
# 3. Bad inputs
# --------------------------------------------------------------------------------------


def test_rule_input_error_is_a_value_error():
    assert issubclass(RuleInputError, ValueError)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("bloc_code", "extra", "message"),
    [
        ("BC1", {"C2.1": "acquis"}, "La compétence C2.1 n'appartient pas au bloc BC1."),
        ("BC1", {"C3.6": "partiel"}, "La compétence C3.6 n'appartient pas au bloc BC1."),
        ("BC2", {"C1.1": "acquis"}, "La compétence C1.1 n'appartient pas au bloc BC2."),
        ("BC3", {"C3.7": "acquis"}, "La compétence C3.7 n'appartient pas au bloc BC3."),
        (
            "BC1",
            {"C2.2": "acquis", "C2.1": "acquis"},
            "Les compétences C2.1, C2.2 n'appartiennent pas au bloc BC1.",
        ),
    ],
)
def test_rating_for_a_competence_outside_the_bloc(path, bloc_code, extra, message):
    values = ratings(bloc_code, acquis=len(CODES[bloc_code])) | extra
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_rule(
            RULES[bloc_code],
            values,
            questionnaire_score=passing_score(bloc_code, path),
            path=path,
        )
    assert str(excinfo.value) == typeset(message)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("bloc_code", "given", "message"),
    [
        (
            "BC1",
            9,
            "Évaluation manquante pour C1.10 : toutes les compétences du bloc BC1 "
            "doivent être évaluées.",
        ),
        (
            "BC2",
            8,
            "Évaluation manquante pour C2.9, C2.10 : toutes les compétences du bloc BC2 "
            "doivent être évaluées.",
        ),
        (
            "BC3",
            5,
            "Évaluation manquante pour C3.6 : toutes les compétences du bloc BC3 "
            "doivent être évaluées.",
        ),
        (
            "BC3",
            0,
            "Évaluation manquante pour C3.1, C3.2, C3.3, C3.4, C3.5, C3.6 : toutes les "
            "compétences du bloc BC3 doivent être évaluées.",
        ),
    ],
)
def test_missing_rating(path, bloc_code, given, message):
    """Even when the ratings given would already validate the bloc (8 acquises on BC1)."""
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_rule(
            RULES[bloc_code],
            ratings(bloc_code, acquis=given),
            questionnaire_score=passing_score(bloc_code, path),
            path=path,
        )
    assert str(excinfo.value) == typeset(message)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("acquise", "acquise"),
        ("ACQUIS", "ACQUIS"),
        ("partiellement acquis", "partiellement acquis"),
        ("", ""),
        (None, "None"),
        (["acquis"], "['acquis']"),
        (1, "1"),
        (True, "True"),
    ],
)
def test_unknown_rating_value(path, value, shown):
    values = ratings("BC1", acquis=10)
    values["C1.4"] = value
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_rule(
            RULES["BC1"], values, questionnaire_score=passing_score("BC1", path), path=path
        )
    assert str(excinfo.value) == typeset(
        f"Évaluation inconnue « {shown} » pour C1.4 : les valeurs admises sont {ALLOWED_RATINGS}."
    )


@pytest.mark.parametrize("value", [["C1.1", "acquis"], "acquis", None, 8])
def test_ratings_that_are_not_a_mapping(value):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_rule(RULES["BC1"], value)
    assert str(excinfo.value) == typeset(
        "Les évaluations doivent associer chaque code de compétence à une valeur."
    )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("bloc_code", ["BC1", "BC3"])
@pytest.mark.parametrize(
    ("score", "message"),
    [
        (-1, "La note au questionnaire doit être comprise entre 0 et 20 (reçu : -1)."),
        (-0.01, "La note au questionnaire doit être comprise entre 0 et 20 (reçu : -0,01)."),
        (20.01, "La note au questionnaire doit être comprise entre 0 et 20 (reçu : 20,01)."),
        (21, "La note au questionnaire doit être comprise entre 0 et 20 (reçu : 21)."),
        ("25", "La note au questionnaire doit être comprise entre 0 et 20 (reçu : 25)."),
        ("NaN", "La note au questionnaire doit être comprise entre 0 et 20 (reçu : NaN)."),
        (float("inf"), "La note au questionnaire doit être comprise entre 0 et 20 (reçu : inf)."),
        ("quatorze", "La note au questionnaire doit être un nombre, pas « quatorze »."),
        ("", "La note au questionnaire doit être un nombre, pas «  »."),
        (True, "La note au questionnaire doit être un nombre, pas « True »."),
        (False, "La note au questionnaire doit être un nombre, pas « False »."),
        ([14], "La note au questionnaire doit être un nombre, pas « [14] »."),
        ({"note": 14}, "La note au questionnaire doit être un nombre, pas « {'note': 14} »."),
    ],
)
def test_bad_questionnaire_score(path, bloc_code, score, message):
    """Refused on every path, even where the score is not used."""
    with pytest.raises(RuleInputError) as excinfo:
        evaluate(bloc_code, len(CODES[bloc_code]), path=path, score=score)
    assert str(excinfo.value) == typeset(message)


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("elearning", "elearning"),
        ("VAE", "VAE"),
        ("Formation", "Formation"),
        ("", ""),
        (None, "None"),
        (["vae"], "['vae']"),
    ],
)
def test_unknown_path(path, shown):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate("BC3", 6, path=path, score=None)
    assert str(excinfo.value) == typeset(
        f"Parcours inconnu « {shown} » : les valeurs admises sont {ALLOWED_PATHS}."
    )


@pytest.mark.parametrize("code", ["BC4", "BC", "C1.1", "BC1 BC2", ""])
def test_evaluate_bloc_with_an_unknown_code(referentiel, code):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_bloc(code, {})
    assert str(excinfo.value) == typeset(f"Bloc inconnu « {code} » : les blocs sont BC1, BC2, BC3.")


@pytest.mark.parametrize("bloc", [None, 1, ["BC1"], RULES["BC1"]])
def test_evaluate_bloc_with_something_else_than_a_bloc_or_a_code(bloc):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_bloc(bloc, ratings("BC1", 10))
    assert str(excinfo.value) == typeset(
        "Le bloc doit être un bloc du référentiel ou un code tel que « BC1 »."
    )


@pytest.mark.django_db
def test_evaluate_bloc_by_code_with_an_empty_database():
    assert not Certification.objects.exists()
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_bloc("BC1", ratings("BC1", 10))
    assert str(excinfo.value) == typeset(
        "Aucune version publiée du référentiel : chargez-le d'abord."
    )


@pytest.mark.django_db
def test_evaluate_bloc_by_code_with_only_a_draft_version():
    draft = load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8"), publish=False)
    assert draft.published is False
    with pytest.raises(RuleInputError, match="Aucune version publiée du référentiel"):
        evaluate_bloc("BC3", ratings("BC3", 6))
    # The draft bloc itself can still be evaluated, e.g. to simulate the rule.
    bloc = draft.certification.blocs.get(code="BC3")
    assert evaluate_bloc(bloc, ratings("BC3", 6)).validated is True


# --------------------------------------------------------------------------------------
# The data-driven path: evaluate_bloc on the loaded référentiel
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("bloc_code", CERTIFICATION_BLOCS)
def test_rule_read_from_the_database_is_the_data_file_rule(referentiel, bloc_code):
    bloc = referentiel.blocs.get(code=bloc_code)
    assert BlocRule.from_bloc(bloc) == RULES[bloc_code]


DB_CASES = [
    ("BC1", "vae", 8, 2, 0, None, ()),
    ("BC1", "vae", 7, 3, 0, None, (acquises(7, 10, 8), partielles(3, 2))),
    ("BC1", "formation", 8, 2, 0, 14, ()),
    ("BC1", "formation", 9, 0, 1, 20, (non_acquises(1, 0),)),
    (
        "BC1",
        "formation",
        8,
        2,
        0,
        13.99,
        ("Questionnaire : 13,99/20, alors que le minimum est 14/20.",),
    ),
    ("BC1", "vae", 10, 0, 0, 0, ()),
    ("BC2", "formation", 10, 0, 0, 14, ()),
    ("BC2", "vae", 9, 0, 1, None, (non_acquises(1, 0),)),
    (
        "BC2",
        "formation",
        7,
        3,
        0,
        "13,5",
        (
            "Questionnaire : 13,5/20, alors que le minimum est 14/20.",
            acquises(7, 10, 8),
            partielles(3, 2),
        ),
    ),
    ("BC3", "vae", 5, 1, 0, None, ()),
    ("BC3", "formation", 5, 1, 0, None, ()),
    ("BC3", "formation", 4, 2, 0, None, (acquises(4, 6, 5), partielles(2, 1))),
    ("BC3", "vae", 5, 0, 1, None, (non_acquises(1, 0),)),
    ("BC3", "formation", 6, 0, 0, 0, ()),
]


@pytest.mark.parametrize(
    ("bloc_code", "path", "acquis", "partiel", "non_acquis", "score", "reasons"), DB_CASES
)
def test_evaluate_bloc_by_code_and_by_instance(
    referentiel, bloc_code, path, acquis, partiel, non_acquis, score, reasons
):
    values = ratings(bloc_code, acquis, partiel, non_acquis)
    by_code = evaluate_bloc(bloc_code, values, questionnaire_score=score, path=path)
    by_instance = evaluate_bloc(
        referentiel.blocs.get(code=bloc_code), values, questionnaire_score=score, path=path
    )
    pure = evaluate_rule(RULES[bloc_code], values, questionnaire_score=score, path=path)

    assert by_code.reasons == typeset(reasons)
    assert by_code.validated is (reasons == ())
    assert by_code.counts == {"acquis": acquis, "partiel": partiel, "non_acquis": non_acquis}
    assert by_code.certification_blocs == CERTIFICATION_BLOCS
    assert by_code == by_instance == pure


@pytest.mark.parametrize("code", ["bc1", " BC1 ", "Bc1"])
def test_evaluate_bloc_code_is_case_and_space_insensitive(referentiel, code):
    outcome = evaluate_bloc(code, ratings("BC1", 8, 2, 0))
    assert outcome.bloc == "BC1"
    assert outcome.validated is True


def test_evaluate_bloc_missing_score_on_formation(referentiel):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_bloc("BC2", ratings("BC2", 10), path="formation")
    assert str(excinfo.value) == typeset(
        "La note au questionnaire du bloc BC2 est exigée sur le parcours Formation."
    )


def test_evaluate_bloc_competence_of_another_bloc(referentiel):
    values = ratings("BC1", 10) | {"C2.1": "acquis"}
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_bloc(referentiel.blocs.get(code="BC1"), values)
    assert str(excinfo.value) == typeset("La compétence C2.1 n'appartient pas au bloc BC1.")


# --------------------------------------------------------------------------------------
# 4. evaluate_certification
# --------------------------------------------------------------------------------------

OBTENTION = "Tous les blocs de compétences doivent être validés pour obtenir la certification."


def outcomes(**counts):
    """Pure outcomes, e.g. outcomes(BC1=(8, 2, 0), BC3=(4, 2, 0)), on the vae path."""
    return {code: evaluate(code, *values) for code, values in counts.items()}


def test_certification_obtained_with_all_blocs_validated(referentiel):
    results = {
        "BC1": evaluate_bloc("BC1", ratings("BC1", 8, 2), path="formation", questionnaire_score=14),
        "BC2": evaluate_bloc("BC2", ratings("BC2", 10), path="formation", questionnaire_score=20),
        "BC3": evaluate_bloc("BC3", ratings("BC3", 5, 1), path="formation"),
    }
    outcome = evaluate_certification(results)

    assert isinstance(outcome, CertificationOutcome)
    assert outcome.obtained is True
    assert bool(outcome) is True
    assert outcome.validated_blocs == ["BC1", "BC2", "BC3"]
    assert outcome.missing_blocs == []
    assert outcome.reasons == ()


def test_certification_blocs_listed_in_the_référentiel_order():
    results = outcomes(BC3=(6, 0, 0), BC1=(10, 0, 0), BC2=(10, 0, 0))
    outcome = evaluate_certification(results)
    assert outcome.obtained is True
    assert outcome.validated_blocs == ["BC1", "BC2", "BC3"]


@pytest.mark.parametrize(
    ("failing", "validated", "reason"),
    [
        ("BC1", ["BC2", "BC3"], f"Bloc non validé : BC1. {OBTENTION}"),
        ("BC2", ["BC1", "BC3"], f"Bloc non validé : BC2. {OBTENTION}"),
        ("BC3", ["BC1", "BC2"], f"Bloc non validé : BC3. {OBTENTION}"),
    ],
)
def test_certification_not_obtained_with_one_failed_bloc(failing, validated, reason):
    counts = {"BC1": (8, 2, 0), "BC2": (8, 2, 0), "BC3": (5, 1, 0)}
    counts[failing] = (7, 3, 0) if failing != "BC3" else (4, 2, 0)
    results = outcomes(**counts)
    assert results[failing].validated is False

    outcome = evaluate_certification(results)

    assert outcome.obtained is False
    assert bool(outcome) is False
    assert outcome.validated_blocs == validated
    assert outcome.missing_blocs == [failing]
    assert outcome.reasons == typeset((reason,))


def test_certification_not_obtained_with_two_failed_blocs():
    outcome = evaluate_certification(outcomes(BC1=(9, 0, 1), BC2=(10, 0, 0), BC3=(5, 0, 1)))
    assert outcome.obtained is False
    assert outcome.validated_blocs == ["BC2"]
    assert outcome.missing_blocs == ["BC1", "BC3"]
    assert outcome.reasons == typeset((f"Blocs non validés : BC1, BC3. {OBTENTION}",))


def test_certification_not_obtained_with_a_failed_bloc_from_the_database(referentiel):
    results = {
        "BC1": evaluate_bloc("BC1", ratings("BC1", 10), path="formation", questionnaire_score=13.5),
        "BC2": evaluate_bloc("BC2", ratings("BC2", 10), path="formation", questionnaire_score=14),
        "BC3": evaluate_bloc("BC3", ratings("BC3", 6), path="formation"),
    }
    outcome = evaluate_certification(results)
    assert outcome.obtained is False
    assert outcome.missing_blocs == ["BC1"]
    assert outcome.reasons == typeset((f"Bloc non validé : BC1. {OBTENTION}",))


def test_certification_not_obtained_when_a_bloc_is_absent(referentiel):
    results = {
        "BC1": evaluate_bloc("BC1", ratings("BC1", 10)),
        "BC2": evaluate_bloc("BC2", ratings("BC2", 10)),
    }
    outcome = evaluate_certification(results)
    assert outcome.obtained is False
    assert outcome.validated_blocs == ["BC1", "BC2"]
    assert outcome.missing_blocs == ["BC3"]
    assert outcome.reasons == typeset((f"Bloc non validé : BC3. {OBTENTION}",))


def test_certification_with_a_single_bloc_given():
    outcome = evaluate_certification(outcomes(BC2=(10, 0, 0)))
    assert outcome.obtained is False
    assert outcome.validated_blocs == ["BC2"]
    assert outcome.missing_blocs == ["BC1", "BC3"]
    assert outcome.reasons == typeset((f"Blocs non validés : BC1, BC3. {OBTENTION}",))


@pytest.mark.parametrize(
    "previously_validated",
    [["BC3"], ("BC3",), {"BC3"}, iter(["BC3"])],
    ids=["list", "tuple", "set", "iterator"],
)
def test_previously_validated_bloc_counts(referentiel, previously_validated):
    results = {
        "BC1": evaluate_bloc("BC1", ratings("BC1", 8, 2)),
        "BC2": evaluate_bloc("BC2", ratings("BC2", 8, 2)),
    }
    outcome = evaluate_certification(results, previously_validated=previously_validated)
    assert outcome.obtained is True
    assert outcome.validated_blocs == ["BC1", "BC2", "BC3"]
    assert outcome.missing_blocs == []
    assert outcome.reasons == ()


def test_previously_validated_bloc_stays_acquired_when_failed_again():
    results = outcomes(BC1=(10, 0, 0), BC2=(10, 0, 0), BC3=(0, 0, 6))
    outcome = evaluate_certification(results, previously_validated=["BC3"])
    assert outcome.obtained is True
    assert outcome.missing_blocs == []


def test_previously_validated_does_not_hide_a_bloc_failing_now():
    results = outcomes(BC1=(7, 3, 0), BC2=(10, 0, 0))
    outcome = evaluate_certification(results, previously_validated=["BC3"])
    assert outcome.obtained is False
    assert outcome.validated_blocs == ["BC2", "BC3"]
    assert outcome.missing_blocs == ["BC1"]
    assert outcome.reasons == typeset((f"Bloc non validé : BC1. {OBTENTION}",))


def test_certification_with_all_blocs_previously_validated_but_one_given():
    outcome = evaluate_certification(outcomes(BC1=(10, 0, 0)), previously_validated=["BC2", "BC3"])
    assert outcome.obtained is True
    assert outcome.validated_blocs == ["BC1", "BC2", "BC3"]


@pytest.mark.parametrize("results", [{}, [], None, "BC1"], ids=repr)
def test_certification_without_any_outcome(results):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(results)
    assert str(excinfo.value) == typeset("Indiquez le résultat d'au moins un bloc.")


def test_certification_with_outcomes_as_a_list():
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(list(outcomes(BC1=(10, 0, 0)).values()))
    assert str(excinfo.value) == typeset("Indiquez le résultat d'au moins un bloc.")


def test_certification_key_not_matching_the_outcome():
    results = outcomes(BC1=(10, 0, 0), BC3=(6, 0, 0))
    results["BC2"] = results.pop("BC3")
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(results)
    assert str(excinfo.value) == typeset("Le résultat donné pour BC2 est celui du bloc BC3.")


@pytest.mark.parametrize("value", [True, None, "validé", {"validated": True}], ids=repr)
def test_certification_value_that_is_not_an_outcome(value):
    results = outcomes(BC1=(10, 0, 0)) | {"BC2": value}
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(results)
    assert str(excinfo.value) == typeset("Le résultat du bloc BC2 doit venir de evaluate_bloc.")


def test_certification_outcomes_from_different_versions():
    other_version = BlocRule(
        code="BC2",
        competence_codes=CODES["BC2"],
        min_acquired=8,
        max_partial=2,
        certification_blocs=("BC1", "BC2", "BC3", "BC4"),
    )
    results = outcomes(BC1=(10, 0, 0)) | {
        "BC2": evaluate_rule(other_version, ratings("BC2", 10)),
    }
    assert results["BC2"].validated is True
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(results)
    assert str(excinfo.value) == typeset(
        "Les résultats viennent de versions différentes du référentiel."
    )


@pytest.mark.parametrize(
    ("previously_validated", "message"),
    [
        (["BC4"], "Blocs inconnus de cette version du référentiel : BC4."),
        (["BC3", "bc2"], "Blocs inconnus de cette version du référentiel : bc2."),
        (["BC9", "BC0"], "Blocs inconnus de cette version du référentiel : BC0, BC9."),
    ],
)
def test_certification_unknown_previously_validated_bloc(previously_validated, message):
    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(outcomes(BC1=(10, 0, 0)), previously_validated=previously_validated)
    assert str(excinfo.value) == typeset(message)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: evaluate_certification({}), id="empty"),
        pytest.param(lambda: evaluate("BC1", 10, path="cours du soir"), id="path"),
        pytest.param(lambda: evaluate("BC1", 10, score="quatorze"), id="score"),
        pytest.param(lambda: evaluate("BC1", 9), id="missing-rating"),
    ],
)
def test_bad_inputs_are_caught_as_value_errors(call):
    with pytest.raises(ValueError):
        call()


# --------------------------------------------------------------------------------------
# 5. The threshold is data: a new version changes the outcome, the published one does not
# --------------------------------------------------------------------------------------


@pytest.fixture
def draft(referentiel) -> Certification:
    return create_draft_from(referentiel)


def test_draft_is_a_new_unpublished_version(referentiel, draft):
    assert draft.pk != referentiel.pk
    assert draft.is_editable is True
    assert Certification.objects.current() == referentiel


def test_raising_min_acquired_in_a_draft(referentiel, draft):
    bloc = draft.blocs.get(code="BC3")
    bloc.min_acquired = 6
    bloc.save()
    values = ratings("BC3", 5, 1)

    edited = evaluate_bloc(Bloc.objects.get(pk=bloc.pk), values)
    assert edited.validated is False
    assert edited.reasons == typeset(
        ("Compétences « acquises » : 5 sur 6, alors qu'il en faut au moins 6.",)
    )

    # The published version keeps the old rule, by code and by instance.
    assert evaluate_bloc("BC3", values).validated is True
    published_bloc = referentiel.blocs.get(code="BC3")
    assert published_bloc.min_acquired == 5
    assert evaluate_bloc(published_bloc, values).validated is True


def test_lowering_thresholds_in_a_draft(referentiel, draft):
    bloc = draft.blocs.get(code="BC3")
    bloc.min_acquired = 4
    bloc.max_partial = 2
    bloc.save()
    values = ratings("BC3", 4, 2)

    assert evaluate_bloc(bloc, values).validated is True
    assert evaluate_bloc("BC3", values).reasons == typeset((acquises(4, 6, 5), partielles(2, 1)))


def test_allowing_a_non_acquise_in_a_draft(referentiel, draft):
    bloc = draft.blocs.get(code="BC1")
    bloc.max_not_acquired = 1
    bloc.save()
    values = ratings("BC1", 9, 0, 1)

    assert evaluate_bloc(bloc, values).validated is True
    assert evaluate_bloc(bloc, ratings("BC1", 8, 0, 2)).reasons == typeset((non_acquises(2, 1),))
    assert evaluate_bloc("BC1", values).reasons == typeset((non_acquises(1, 0),))


def test_raising_the_questionnaire_minimum_in_a_draft(referentiel, draft):
    bloc = draft.blocs.get(code="BC2")
    bloc.min_questionnaire_score = Decimal("15.5")
    bloc.save()
    values = ratings("BC2", 10)

    edited = evaluate_bloc(bloc, values, path="formation", questionnaire_score=15)
    assert edited.reasons == typeset(("Questionnaire : 15/20, alors que le minimum est 15,5/20.",))
    assert evaluate_bloc(bloc, values, path="formation", questionnaire_score=15.5).validated
    assert evaluate_bloc("BC2", values, path="formation", questionnaire_score=15).validated


def test_requiring_the_questionnaire_on_vae_in_a_draft(referentiel, draft):
    bloc = draft.blocs.get(code="BC3")
    bloc.min_questionnaire_score = Decimal("12")
    bloc.questionnaire_on_vae = True
    bloc.save()
    values = ratings("BC3", 6)

    with pytest.raises(RuleInputError) as excinfo:
        evaluate_bloc(bloc, values, path="vae")
    assert str(excinfo.value) == typeset(
        "La note au questionnaire du bloc BC3 est exigée sur le parcours VAE."
    )
    assert evaluate_bloc(bloc, values, path="vae", questionnaire_score=11).reasons == typeset(
        ("Questionnaire : 11/20, alors que le minimum est 12/20.",)
    )
    assert evaluate_bloc(bloc, values, path="formation").validated is True
    assert evaluate_bloc("BC3", values, path="vae").validated is True


def test_publishing_the_draft_puts_its_rule_in_force(referentiel, draft):
    bloc = draft.blocs.get(code="BC3")
    bloc.min_acquired = 6
    bloc.save()
    values = ratings("BC3", 5, 1)
    assert evaluate_bloc("BC3", values).validated is True

    publish_version(draft)

    assert Certification.objects.current().pk == draft.pk
    assert evaluate_bloc("BC3", values).reasons == typeset((acquises(5, 6, 6),))
    # The retired version, still pinned by older candidacies, keeps its rule.
    assert evaluate_bloc(referentiel.blocs.get(code="BC3"), values).validated is True


def test_certification_refuses_outcomes_of_two_versions_with_the_same_blocs(referentiel, draft):
    bloc = draft.blocs.get(code="BC3")
    bloc.min_acquired = 6
    bloc.save()
    results = {
        "BC1": evaluate_bloc(referentiel.blocs.get(code="BC1"), ratings("BC1", 10)),
        "BC2": evaluate_bloc(draft.blocs.get(code="BC2"), ratings("BC2", 10)),
        "BC3": evaluate_bloc(referentiel.blocs.get(code="BC3"), ratings("BC3", 5, 1)),
    }
    assert evaluate_bloc(bloc, ratings("BC3", 5, 1)).validated is False

    with pytest.raises(RuleInputError) as excinfo:
        evaluate_certification(results)
    assert str(excinfo.value) == typeset(
        "Les résultats viennent de versions différentes du référentiel."
    )


def test_previously_validated_as_a_single_code_string():
    results = outcomes(BC1=(10, 0, 0), BC2=(10, 0, 0))
    outcome = evaluate_certification(results, previously_validated="BC3")
    assert outcome.obtained is True
    assert outcome.validated_blocs == ["BC1", "BC2", "BC3"]


def test_certification_where_not_every_bloc_is_required():
    rule = BlocRule(
        code="BC1",
        competence_codes=CODES["BC1"],
        min_acquired=8,
        max_partial=2,
        certification_blocs=CERTIFICATION_BLOCS,
        all_blocs_required=False,
    )
    failed = evaluate_certification({"BC1": evaluate_rule(rule, ratings("BC1", 7, 3))})
    assert failed.obtained is False
    assert failed.reasons == typeset(("Aucun bloc de compétences n'est validé.",))
    passed = evaluate_certification({"BC1": evaluate_rule(rule, ratings("BC1", 8, 2))})
    assert passed.obtained is True
    assert passed.missing_blocs == ["BC2", "BC3"]
