"""The deliberation's pure rules, table-driven: computed outcome × the two votes ×
président → recorded outcome, casting vote, motivations required; the derived result."""

import pytest

from jury import rules
from jury.enums import DecisionResult
from referentiel.rules import BlocOutcome

PRESIDENT, OTHER = 1, 2
MEMBERS = [(PRESIDENT, "Présidente"), (OTHER, "Assesseur")]
V, N = True, False  # validé / non validé

# computed, président's vote, other's vote -> recorded, casting vote, who must motivate
MATRIX = [
    (V, V, V, V, False, ()),
    (V, V, N, V, True, ("Assesseur",)),
    (V, N, V, N, True, ("Présidente",)),
    (V, N, N, N, False, ("Présidente", "Assesseur")),
    (N, V, V, V, False, ("Présidente", "Assesseur")),
    (N, V, N, V, True, ("Présidente",)),
    (N, N, V, N, True, ("Assesseur",)),
    (N, N, N, N, False, ()),
]


def votes(president, other, *, motivated=False):
    text = "Motif écrit." if motivated else ""
    return [
        rules.Vote(PRESIDENT, "Présidente", president, text),
        rules.Vote(OTHER, "Assesseur", other, text),
    ]


@pytest.mark.parametrize(
    ("computed", "president", "other", "recorded", "casting", "motivate"), MATRIX
)
def test_decision_matrix(computed, president, other, recorded, casting, motivate):
    verdict = rules.bloc_verdict(
        bloc="BC1",
        computed=computed,
        members=MEMBERS,
        president_id=PRESIDENT,
        votes=votes(president, other),
    )
    assert verdict.validated is recorded
    assert verdict.casting_vote is casting
    assert verdict.unmotivated == motivate
    assert verdict.against_computed is (recorded != computed)
    problems = rules.decision_problems(
        [verdict], result=DecisionResult.TOTAL, observations="", recommendations=""
    )
    assert len(problems) == len(motivate)
    assert all("doit être motivé" in problem for problem in problems)
    # Motivated, the same votes leave nothing to complete.
    motivated = rules.bloc_verdict(
        bloc="BC1",
        computed=computed,
        members=MEMBERS,
        president_id=PRESIDENT,
        votes=votes(president, other, motivated=True),
    )
    assert motivated.unmotivated == ()
    assert motivated.validated is recorded


def test_a_missing_vote_leaves_the_bloc_undecided():
    verdict = rules.bloc_verdict(
        bloc="BC2",
        computed=True,
        members=MEMBERS,
        president_id=PRESIDENT,
        votes=[rules.Vote(PRESIDENT, "Présidente", True)],
    )
    assert verdict.validated is None
    assert verdict.waiting_for == ("Assesseur",)
    problems = rules.decision_problems([verdict], result="", observations="", recommendations="")
    assert problems == ["BC2 : Assesseur n'a pas encore voté."]


def test_a_tie_without_the_presidents_vote_is_undecided():
    # Three seats, the président not among the voters recorded: a tie stays open.
    verdict = rules.bloc_verdict(
        bloc="BC1",
        computed=True,
        members=[(2, "A"), (3, "B")],
        president_id=PRESIDENT,
        votes=[rules.Vote(2, "A", True), rules.Vote(3, "B", False, "x")],
    )
    assert verdict.validated is None
    assert not verdict.casting_vote


def outcome(code, validated):
    return BlocOutcome(
        bloc=code,
        path="vae",
        validated=validated,
        reasons=() if validated else ("Compétences « acquises » : 6 sur 10.",),
        certification_blocs=("BC1", "BC2", "BC3"),
        certification_version=("cqp", 1),
    )


TARGETED = ("BC1", "BC2", "BC3")

# decided per bloc, blocs acquired earlier -> result
RESULTS = [
    ({"BC1": V, "BC2": V, "BC3": V}, (), DecisionResult.TOTAL),
    ({"BC1": V, "BC2": N, "BC3": V}, (), DecisionResult.PARTIAL),
    ({"BC1": N, "BC2": N, "BC3": N}, (), DecisionResult.REFUSAL),
    ({"BC3": V}, ("BC1", "BC2"), DecisionResult.TOTAL),
    ({"BC3": N}, ("BC1", "BC2"), DecisionResult.REFUSAL),
    ({"BC2": V, "BC3": N}, ("BC1",), DecisionResult.PARTIAL),
]


@pytest.mark.parametrize(("decided", "earlier", "expected"), RESULTS)
def test_the_result_is_derived(decided, earlier, expected):
    # The computed outcome says the opposite of the jury on purpose: the jury's decides.
    outcomes = {code: outcome(code, not value) for code, value in decided.items()}
    assert rules.decision_result(outcomes, decided, previously_validated=earlier) == expected


@pytest.mark.parametrize(
    ("result", "observations", "recommendations", "missing"),
    [
        (DecisionResult.TOTAL, "", "", []),
        (DecisionResult.PARTIAL, "", "", ["observations", "préconisations"]),
        (DecisionResult.PARTIAL, "Obs.", "", ["préconisations"]),
        (DecisionResult.REFUSAL, "", "Préco.", ["observations"]),
        (DecisionResult.REFUSAL, "  ", "Préco.", ["observations"]),
        (DecisionResult.REFUSAL, "Obs.", "Préco.", []),
    ],
)
def test_texts_required_for_partial_validation_and_refusal(
    result, observations, recommendations, missing
):
    problems = rules.decision_problems(
        [], result=result, observations=observations, recommendations=recommendations
    )
    assert [p.split("rédigez les ")[1].split(" ")[0] for p in problems] == missing


def test_final_rating_is_the_latest_revision():
    class Revision:
        def __init__(self, to_rating):
            self.to_rating = to_rating

    assert rules.final_rating("partiel", []) == "partiel"
    assert rules.final_rating("partiel", [Revision("non_acquis"), Revision("acquis")]) == "acquis"
    assert rules.final_rating("", []) == ""
