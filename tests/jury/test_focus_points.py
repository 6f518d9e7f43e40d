"""The « points à approfondir » of an interview: compétences consolidated as partially
or not acquired, divergent between evaluators, or with criteria no passage covers."""

from types import SimpleNamespace

import pytest

from jury import rules, selectors
from review.enums import AssignmentStatus, PassageKind
from review.models import CompetenceRating, ConsolidatedRating, CriterionLink
from tests.factories import CandidacyFactory, make_consolidation, make_grids, make_panel
from vae.enums import CandidacyState as S


def competence(pk, code, criteria):
    return SimpleNamespace(
        pk=pk,
        code=code,
        statement=f"Énoncé {code}",
        criteria=[SimpleNamespace(pk=pk * 10 + i, text=f"Critère {code}.{i}") for i in criteria],
    )


C1, C2, C3 = competence(1, "C1", [1, 2]), competence(2, "C2", [1]), competence(3, "C3", [1])
ALL_COVERED = {11, 12, 21, 31}


def points(**changes):
    values = {
        "consolidated": {1: "acquis", 2: "acquis", 3: "acquis"},
        "ratings": {1: ["acquis"] * 4, 2: ["acquis"] * 4, 3: ["acquis"] * 4},
        "covered": ALL_COVERED,
        "threshold": 2,
    } | changes
    return rules.focus_points([C1, C2, C3], **values)


def test_nothing_to_explore_when_all_is_acquired_agreed_and_covered():
    assert points() == []


@pytest.mark.parametrize(
    ("rating", "reason"),
    [
        ("partiel", "Appréciation consolidée : partiellement acquis."),
        ("non_acquis", "Appréciation consolidée : non acquis."),
    ],
)
def test_a_weak_consolidated_rating(rating, reason):
    found = points(consolidated={1: "acquis", 2: rating, 3: "acquis"})
    assert [(p.code, p.reasons) for p in found] == [("C2", (reason,))]


@pytest.mark.parametrize(
    ("given", "threshold", "divergent"),
    [
        (["acquis", "acquis", "acquis", "non_acquis"], 2, True),
        (["acquis", "acquis", "partiel", "partiel"], 2, False),
        (["acquis", "acquis", "partiel", "partiel"], 1, True),
    ],
)
def test_a_divergence_follows_the_reviews_threshold(given, threshold, divergent):
    ratings = {1: ["acquis"] * 4, 2: ["acquis"] * 4, 3: given}
    found = points(ratings=ratings, threshold=threshold)
    assert [p.code for p in found] == (["C3"] if divergent else [])
    if divergent:
        assert found[0].reasons[0].startswith("Divergence : acquis / ")


def test_criteria_no_passage_covers_are_listed():
    found = points(covered={11, 21, 31})
    assert [(p.code, p.uncovered, p.reasons) for p in found] == [
        ("C1", ("Critère C1.2",), ("1 critère sans passage relié par les évaluateurs.",))
    ]


def test_every_reason_of_one_competence_and_the_referentiel_order():
    found = points(
        consolidated={1: "acquis", 2: "acquis", 3: "non_acquis"},
        ratings={1: ["acquis", "non_acquis"], 2: ["acquis"], 3: ["non_acquis"] * 2},
        covered={21},
    )
    assert [p.code for p in found] == ["C1", "C3"]
    assert len(found[0].reasons) == 2  # divergent, two criteria without a passage
    assert "2 critères sans passage" in found[0].reasons[1]
    assert len(found[1].reasons) == 2  # non acquis, its criterion without a passage


# -- from the review's rows -------------------------------------------------------------


def test_the_selector_reads_the_review(referentiel):
    candidacy = CandidacyFactory(state=S.REVIEWED, blocs=["BC3"])
    panel = make_panel(candidacy)
    make_grids(candidacy, panel)
    make_consolidation(candidacy)
    competences = candidacy.targeted_competences()
    first, second, third = competences[:3]
    # Every criterion covered by a passage, except those of the third compétence.
    narrative = candidacy.dossier.narratives.first()
    link = CriterionLink.objects.create(
        assignment=panel[0], kind=PassageKind.NARRATIVE, narrative=narrative, start=0, end=5
    )
    link.criteria.set([c for comp in competences if comp != third for c in comp.criteria.all()])
    ConsolidatedRating.objects.filter(candidacy=candidacy, competence=first).update(
        rating="partiel"
    )
    CompetenceRating.objects.filter(assignment=panel[1], competence=second).update(
        rating="non_acquis"
    )
    found = {p.code: p for p in selectors.focus_points(candidacy)}
    assert set(found) == {first.code, second.code, third.code}
    assert found[first.code].reasons == ("Appréciation consolidée : partiellement acquis.",)
    assert found[second.code].reasons == ("Divergence : acquis / non acquis.",)
    assert found[third.code].uncovered == tuple(c.text for c in third.criteria.all())
    # A removed evaluator's ratings count no more.
    panel[1].status = AssignmentStatus.REMOVED
    panel[1].save()
    assert second.code not in {p.code for p in selectors.focus_points(candidacy)}
