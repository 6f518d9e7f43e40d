"""The review's demo data: evaluators, a review under way and a completed one, built once."""

from django.core import mail

from demo.reviews import (
    CERTIF,
    EVALUATOR_PASSWORD,
    EVALUATORS,
    HELENE,
    OF,
    PRO1,
    PRO2,
    create_demo_reviews,
)
from review import rules, services
from review.enums import AssignmentStatus
from review.models import (
    Assignment,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
)
from tests.demo_command.support import counts
from vae.enums import CandidacyState as S
from vae.models import Candidacy, User

MATHIEU = "mathieu.roche@demo.vae.local"
SARAH = "sarah.benoit@demo.vae.local"


def test_demo_reviews_are_created_once(referentiel):
    lines = create_demo_reviews()
    first = counts()
    again = create_demo_reviews()
    assert counts() == first
    assert again == lines
    assert mail.outbox == []  # nothing is sent before commit, and the command drops it


def test_demo_evaluators_have_their_seat_and_password(referentiel):
    lines = create_demo_reviews()
    for email, _first, _last, category, _organisation in EVALUATORS:
        user = User.objects.get(email=email)
        assert user.check_password(EVALUATOR_PASSWORD)
        assert user.evaluator_profile.category == category
        assert any(email in line for line in lines)
    assert {
        u.evaluator_profile.category for u in User.objects.filter(email__startswith="eval.")
    } == {
        "external_professional",
        "training_body",
        "certifier",
    }


def test_the_review_under_way(referentiel):
    create_demo_reviews()
    candidacy = Candidacy.objects.get(candidate__email=MATHIEU)
    assert candidacy.state == S.UNDER_REVIEW
    assert [b.code for b in candidacy.targeted_blocs.all()] == ["BC2"]
    seats = {
        a.evaluator.email: a
        for a in Assignment.objects.filter(candidacy=candidacy).select_related("evaluator")
    }
    # Sandrine Olivier knew the candidate: replaced by the README's demo evaluator.
    assert seats[PRO2].status == AssignmentStatus.CONFLICT
    assert seats[PRO2].declaration_details
    assert all(seats[e].status == AssignmentStatus.ACTIVE for e in (PRO1, HELENE, OF, CERTIF))
    assert rules.panel_problems(candidacy) == []
    assert {e for e, a in seats.items() if a.grid_submitted} == {PRO1, CERTIF}
    assert not services.all_grids_submitted(candidacy)
    assert CompetenceRating.objects.filter(assignment=seats[PRO1]).count() == 10
    assert CompetenceRating.objects.filter(assignment=seats[OF]).count() == 3
    assert CompetenceRating.objects.filter(assignment=seats[HELENE]).count() == 1
    assert CriterionLink.objects.filter(assignment=seats[PRO1]).count() == 3
    assert CriterionLink.objects.filter(assignment=seats[HELENE]).count() == 2
    # The passages were selected in the real texts.
    narrative_link = CriterionLink.objects.filter(assignment=seats[PRO1], kind="narrative").get()
    assert narrative_link.quote.startswith("je collectais chaque lundi")
    assert not ConsolidatedRating.objects.filter(candidacy=candidacy).exists()
    # Its history is that of real transitions.
    assert list(candidacy.transitions.values_list("transition", flat=True)) == [
        "submit_eligibility",
        "accept_eligibility",
        "submit_dossier",
        "start_review",
    ]


def test_the_completed_review(referentiel):
    lines = create_demo_reviews()
    candidacy = Candidacy.objects.get(candidate__email=SARAH)
    assert candidacy.state == S.REVIEWED
    assert [b.code for b in candidacy.targeted_blocs.all()] == ["BC3"]
    assert services.all_grids_submitted(candidacy)
    assert rules.consolidation_problems(candidacy) == []
    consolidated = dict(
        ConsolidatedRating.objects.filter(candidacy=candidacy).values_list(
            "competence__code", "rating"
        )
    )
    assert consolidated["C3.4"] == "partiel"
    assert list(consolidated.values()).count("acquis") == 5
    ratings = CompetenceRating.objects.filter(
        assignment__candidacy=candidacy, competence__code="C3.4"
    ).values_list("rating", flat=True)
    assert rules.is_divergent(ratings, 2)
    ((_bloc, outcome),) = rules.provisional_outcomes(candidacy)
    assert outcome.validated
    last = candidacy.transitions.order_by("pk").last()
    assert (last.transition, last.actor.email, last.actor_role) == (
        "complete_review",
        "certificateur@demo.vae.local",
        "certificateur",
    )
    assert any(SARAH in line and "BC3 validé" in line for line in lines)
