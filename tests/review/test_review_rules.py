"""Unit tests of review.rules and of the guards of review.services and of the two review
transitions of the candidacy machine (through vae.services)."""

from fractions import Fraction

import pytest
from django.core import mail

from referentiel.models import Bloc
from review import rules, services
from review.enums import AssignmentStatus
from review.models import Assignment, CompetenceRating, ConsolidatedRating, ReviewEvent
from tests.factories import (
    CandidacyFactory,
    EvaluatorFactory,
    UserFactory,
    make_consolidation,
    make_grids,
    make_panel,
)
from vae import services as vae_services
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.models import CandidacyTransition
from vae.workflow import TransitionForbidden, TransitionRefused

EXTERNAL = "Professionnel du métier externe"
TRAINING = "Représentant de l'organisme de formation (OF)"
CERTIFIER = "Représentant du certificateur"


@pytest.fixture
def certifier(db):
    return UserFactory(role=Role.CERTIFIER, email="certificatrice@cpnef.fr")


@pytest.fixture
def submitted(referentiel):
    return CandidacyFactory(state=S.DOSSIER_SUBMITTED)


@pytest.fixture
def under_review(referentiel):
    return CandidacyFactory(state=S.UNDER_REVIEW)


# -- composition ----------------------------------------------------------------------------


def test_seats_come_from_the_referentiel(submitted):
    assert rules.seats(submitted) == {
        "external_professional": (EXTERNAL, 2),
        "training_body": (TRAINING, 1),
        "certifier": (CERTIFIER, 1),
    }


def test_the_exact_composition_has_no_problem(submitted):
    panel = ["certifier", "external_professional", "training_body", "external_professional"]
    assert rules.composition_problems(submitted, panel) == []


def test_missing_seats_are_named(submitted):
    assert rules.composition_problems(submitted, ["external_professional"]) == [
        f"Il manque 1 « {EXTERNAL} ».",
        f"Il manque 1 « {TRAINING} ».",
        f"Il manque 1 « {CERTIFIER} ».",
    ]
    assert rules.composition_problems(submitted, [])[0] == f"Il manque 2 « {EXTERNAL} »."


def test_excess_seats_are_named(submitted):
    panel = ["external_professional"] * 3 + ["training_body", "certifier", "certifier"]
    assert rules.composition_problems(submitted, panel) == [
        f"Trop de « {EXTERNAL} » : 3 pour 2 siège(s).",
        f"Trop de « {CERTIFIER} » : 2 pour 1 siège(s).",
    ]


def test_an_unknown_category_is_named(submitted):
    panel = ["external_professional", "external_professional", "training_body", "certifier"]
    assert rules.composition_problems(submitted, [*panel, "employers_college"]) == [
        "La composition du référentiel ne prévoit pas de « employers_college » (1)."
    ]


def test_a_category_the_version_does_not_seat_is_named_by_its_label(submitted):
    submitted.certification.seats.filter(role="training_body").delete()
    panel = ["external_professional", "external_professional", "training_body", "certifier"]
    assert rules.composition_problems(submitted, panel) == [
        "La composition du référentiel ne prévoit pas de "
        "« Représentant de l'organisme de formation » (1)."
    ]


def test_panel_problems_name_the_evaluators_still_to_declare(submitted):
    panel = make_panel(submitted, declared=False)
    assert sorted(rules.panel_problems(submitted)) == sorted(
        f"{a.evaluator.get_full_name()} n'a pas encore déclaré ne pas connaître le candidat."
        for a in panel
    )


# -- divergence and agreement ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "spread"),
    [
        ([], 0),
        (["acquis"] * 4, 0),
        (["acquis", "partiel"], 1),
        (["partiel", "non_acquis", "partiel"], 1),
        (["acquis", "non_acquis"], 2),
        (["acquis", "partiel", "non_acquis", "acquis"], 2),
    ],
)
def test_spread(ratings, spread):
    assert rules.spread(ratings) == spread


@pytest.mark.parametrize(
    ("ratings", "threshold", "divergent"),
    [
        (["acquis", "acquis", "acquis", "acquis"], 1, False),
        (["acquis", "acquis", "acquis", "acquis"], 2, False),
        (["acquis", "partiel", "acquis", "acquis"], 1, True),
        (["acquis", "partiel", "acquis", "acquis"], 2, False),
        (["acquis", "non_acquis", "acquis", "acquis"], 1, True),
        (["acquis", "non_acquis", "acquis", "acquis"], 2, True),
        (["partiel", "non_acquis", "partiel", "partiel"], 2, False),
    ],
)
def test_is_divergent_for_both_spread_settings(ratings, threshold, divergent):
    assert rules.is_divergent(ratings, threshold) is divergent


def test_rating_counts():
    assert rules.rating_counts(["acquis", "non_acquis", "acquis"]) == [2, 0, 1]
    assert rules.rating_counts([]) == [0, 0, 0]


# Fleiss (1971), as reproduced in every textbook since (and on Wikipedia's « Fleiss'
# kappa » page): 10 subjects, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, κ = 0.210.
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_on_the_textbook_example():
    kappa = rules.fleiss_kappa(FLEISS_1971)
    assert round(kappa, 3) == 0.210
    assert kappa == pytest.approx(float(Fraction(4211, 20059)), abs=1e-12)


def test_fleiss_kappa_on_a_hand_computed_table():
    # Four evaluators, three compétences, three ratings (acquis, partiel, non acquis):
    # P_i = 1, 1/3, 1/3 so P̄ = 5/9; p_j = 1/2, 1/3, 1/6 so P̄e = 7/18; κ = 3/11.
    table = [[4, 0, 0], [2, 2, 0], [0, 2, 2]]
    assert rules.fleiss_kappa(table) == pytest.approx(3 / 11, abs=1e-12)


def test_fleiss_kappa_limits():
    assert rules.fleiss_kappa([[4, 0, 0], [0, 4, 0]]) == pytest.approx(1.0)
    assert rules.fleiss_kappa([[4, 0, 0], [4, 0, 0]]) is None  # chance agreement is total
    assert rules.fleiss_kappa([]) is None
    assert rules.fleiss_kappa([[0, 0, 0]]) is None
    with pytest.raises(ValueError):
        rules.fleiss_kappa([[4, 0, 0], [2, 1, 0]])
    with pytest.raises(ValueError):
        rules.fleiss_kappa([[1, 0, 0]])


# -- provisional outcome and consolidation problems -----------------------------------------


def test_provisional_outcomes_wait_for_every_competence(under_review):
    outcomes = rules.provisional_outcomes(under_review)
    assert [bloc.code for bloc, _outcome in outcomes] == ["BC1", "BC2", "BC3"]
    assert all(outcome is None for _bloc, outcome in outcomes)
    make_consolidation(under_review, rating="acquis")
    outcomes = rules.provisional_outcomes(under_review)
    assert all(outcome.validated for _bloc, outcome in outcomes)
    assert outcomes[0][1].summary == "Bloc BC1 validé."


def test_provisional_outcomes_give_the_rule_reasons(under_review):
    make_consolidation(under_review, rating="acquis")
    ConsolidatedRating.objects.filter(competence__code__in=["C3.1", "C3.2"]).update(
        rating="partiel"
    )
    outcomes = {bloc.code: outcome for bloc, outcome in rules.provisional_outcomes(under_review)}
    bc3 = outcomes["BC3"]
    assert not bc3.validated
    assert bc3.reasons == (
        "Compétences «\u00a0acquises\u00a0»\u00a0: 4 sur 6, alors qu'il en faut au moins 5.",
        "Compétences «\u00a0partiellement acquises\u00a0»\u00a0: 2, alors que le maximum est 1.",
    )


def test_provisional_outcomes_leave_a_questionnaire_to_the_jury(under_review):
    # Were the certifier to require the questionnaire on the VAE path, its score is not
    # known during the review: the compétences are still judged, nothing crashes.
    Bloc.objects.filter(code="BC3").update(questionnaire_on_vae=True, min_questionnaire_score=14)
    make_consolidation(under_review, rating="acquis")
    outcomes = {bloc.code: outcome for bloc, outcome in rules.provisional_outcomes(under_review)}
    assert outcomes["BC3"].validated
    assert outcomes["BC3"].questionnaire_score is None


def test_consolidation_problems_list_the_missing_codes(under_review):
    assert rules.consolidation_problems(under_review)[0].startswith(
        "Il manque l'appréciation consolidée des compétences C1.1, C1.2"
    )
    make_consolidation(under_review)
    ConsolidatedRating.objects.filter(competence__code="C2.4").delete()
    assert rules.consolidation_problems(under_review) == [
        "Il manque l'appréciation consolidée de la compétence C2.4."
    ]


# -- start_review and complete_review through vae.services ----------------------------------


def test_start_review_is_refused_without_a_panel_and_writes_nothing(submitted, certifier):
    with pytest.raises(TransitionRefused) as refused:
        vae_services.start_review(candidacy=submitted, by=certifier)
    assert refused.value.problems == [
        f"Il manque 2 « {EXTERNAL} ».",
        f"Il manque 1 « {TRAINING} ».",
        f"Il manque 1 « {CERTIFIER} ».",
    ]
    submitted.refresh_from_db()
    assert submitted.state == S.DOSSIER_SUBMITTED
    assert not CandidacyTransition.objects.filter(candidacy=submitted).exists()


def test_start_review_is_refused_until_everyone_declared(submitted, certifier):
    panel = make_panel(submitted, declared=False)
    services.declare(assignment=panel[0], by=panel[0].evaluator, knows_candidate=False)
    with pytest.raises(TransitionRefused) as refused:
        vae_services.start_review(candidacy=submitted, by=certifier)
    assert len(refused.value.problems) == 3
    assert panel[0].evaluator.get_full_name() not in " ".join(refused.value.problems)
    assert panel[1].evaluator.get_full_name() in " ".join(refused.value.problems)
    submitted.refresh_from_db()
    assert submitted.state == S.DOSSIER_SUBMITTED
    assert not CandidacyTransition.objects.filter(candidacy=submitted).exists()


def test_start_review_by_someone_else_is_forbidden(submitted):
    panel = make_panel(submitted)
    with pytest.raises(TransitionForbidden):
        vae_services.start_review(candidacy=submitted, by=panel[3].evaluator)
    submitted.refresh_from_db()
    assert submitted.state == S.DOSSIER_SUBMITTED
    assert not CandidacyTransition.objects.filter(candidacy=submitted).exists()


def test_start_review_with_the_full_declared_panel(submitted, certifier):
    make_panel(submitted, declared=True)
    vae_services.start_review(candidacy=submitted, by=certifier)
    submitted.refresh_from_db()
    assert submitted.state == S.UNDER_REVIEW
    row = CandidacyTransition.objects.get(candidacy=submitted)
    assert (row.transition, row.source_state, row.target_state) == (
        "start_review",
        S.DOSSIER_SUBMITTED,
        S.UNDER_REVIEW,
    )
    assert row.actor == certifier
    assert row.actor_role == Role.CERTIFIER == "certificateur"


def test_complete_review_is_refused_until_everything_is_consolidated(under_review, certifier):
    panel = make_panel(under_review)
    make_grids(under_review, panel)
    with pytest.raises(TransitionRefused) as refused:
        vae_services.complete_review(candidacy=under_review, by=certifier)
    assert refused.value.problems[0].startswith(
        "Il manque l'appréciation consolidée des compétences C1.1"
    )
    make_consolidation(under_review)
    ConsolidatedRating.objects.filter(competence__code="C3.6").delete()
    with pytest.raises(TransitionRefused) as refused:
        vae_services.complete_review(candidacy=under_review, by=certifier)
    assert refused.value.problems == ["Il manque l'appréciation consolidée de la compétence C3.6."]
    under_review.refresh_from_db()
    assert under_review.state == S.UNDER_REVIEW
    assert not CandidacyTransition.objects.filter(candidacy=under_review).exists()


def test_complete_review_once_consolidated(under_review, certifier):
    panel = make_panel(under_review)
    make_grids(under_review, panel)
    make_consolidation(under_review)
    with pytest.raises(TransitionForbidden):
        vae_services.complete_review(candidacy=under_review, by=panel[3].evaluator)
    vae_services.complete_review(candidacy=under_review, by=certifier)
    under_review.refresh_from_db()
    assert under_review.state == S.REVIEWED
    row = CandidacyTransition.objects.get(candidacy=under_review)
    assert (row.transition, row.source_state, row.target_state) == (
        "complete_review",
        S.UNDER_REVIEW,
        S.REVIEWED,
    )
    assert row.actor == certifier
    assert row.actor_role == "certificateur"


# -- conflict of interest and replacement ---------------------------------------------------


def test_a_declared_conflict_frees_the_seat_and_a_replacement_fills_it(
    submitted, certifier, django_capture_on_commit_callbacks
):
    evaluators = [
        EvaluatorFactory(category="external_professional"),
        EvaluatorFactory(category="external_professional"),
        EvaluatorFactory(category="training_body"),
        EvaluatorFactory(category="certifier"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        panel = services.assign_panel(candidacy=submitted, evaluators=evaluators, by=certifier)
    assert len(mail.outbox) == 4  # each evaluator is told to declare
    mail.outbox.clear()
    for assignment in panel[1:]:
        services.declare(assignment=assignment, by=assignment.evaluator, knows_candidate=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.declare(
            assignment=panel[0],
            by=evaluators[0],
            knows_candidate=True,
            details="Nous avons travaillé ensemble sur une série en 2021.",
        )
    conflict = Assignment.objects.get(pk=panel[0].pk)
    assert conflict.status == AssignmentStatus.CONFLICT
    assert conflict.ended_at is not None
    assert conflict.declaration_details.startswith("Nous avons travaillé ensemble")
    assert ReviewEvent.objects.filter(assignment=conflict, kind="declared_conflict").count() == 1
    # The certifiers are e-mailed and asked for a replacement.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [certifier.email]
    assert "Conflit d'intérêts déclaré" in message.subject
    assert submitted.reference in message.body
    # The seat is free again: the review cannot start.
    assert rules.panel_problems(submitted) == [f"Il manque 1 « {EXTERNAL} »."]
    with pytest.raises(TransitionRefused):
        vae_services.start_review(candidacy=submitted, by=certifier)
    # The evaluator who knows the candidate cannot be assigned again.
    with pytest.raises(TransitionRefused) as refused:
        services.assign_panel(candidacy=submitted, evaluators=[evaluators[0]], by=certifier)
    assert "a déclaré connaître le candidat" in refused.value.message
    # A replacement of another seat is refused, with what is wrong.
    with pytest.raises(TransitionRefused) as refused:
        services.assign_panel(
            candidacy=submitted,
            evaluators=[EvaluatorFactory(category="training_body")],
            by=certifier,
        )
    assert refused.value.problems == [
        f"Il manque 1 « {EXTERNAL} ».",
        f"Trop de « {TRAINING} » : 2 pour 1 siège(s).",
    ]
    replacement = EvaluatorFactory(category="external_professional")
    (new,) = services.assign_panel(candidacy=submitted, evaluators=[replacement], by=certifier)
    assert new.status == AssignmentStatus.AWAITING_DECLARATION
    assert new.category == "external_professional"
    assert rules.panel_problems(submitted) == [
        f"{replacement.get_full_name()} n'a pas encore déclaré ne pas connaître le candidat."
    ]
    services.declare(assignment=new, by=replacement, knows_candidate=False)
    vae_services.start_review(candidacy=submitted, by=certifier)
    submitted.refresh_from_db()
    assert submitted.state == S.UNDER_REVIEW


def test_declaring_twice_is_forbidden(submitted):
    assignment = make_panel(submitted, declared=False)[0]
    services.declare(assignment=assignment, by=assignment.evaluator, knows_candidate=False)
    with pytest.raises(TransitionForbidden):
        services.declare(assignment=assignment, by=assignment.evaluator, knows_candidate=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


# -- guards of rate, submit_grid and consolidate --------------------------------------------


@pytest.fixture
def panel(under_review):
    return make_panel(under_review)


def test_rate_needs_a_rating_and_a_justification(under_review, panel):
    assignment = panel[0]
    competence = under_review.targeted_competences()[0]
    with pytest.raises(TransitionRefused, match=r"Justifiez votre appréciation\."):
        services.rate(
            assignment=assignment,
            competence=competence,
            rating="acquis",
            justification="   ",
            by=assignment.evaluator,
        )
    with pytest.raises(TransitionRefused, match="Choisissez acquis"):
        services.rate(
            assignment=assignment,
            competence=competence,
            rating="excellent",
            justification="Vu.",
            by=assignment.evaluator,
        )
    assert not CompetenceRating.objects.exists()


def test_rate_refuses_a_competence_the_candidacy_does_not_target(under_review, panel):
    under_review.targeted_blocs.set(Bloc.objects.filter(code__in=["BC1", "BC2"]))
    bc3 = Bloc.objects.get(code="BC3").competences().first()
    with pytest.raises(TransitionRefused, match="n'est pas visée"):
        services.rate(
            assignment=panel[0],
            competence=bc3,
            rating="acquis",
            justification="Vu.",
            by=panel[0].evaluator,
        )


def test_rate_on_anothers_assignment_is_forbidden(under_review, panel):
    competence = under_review.targeted_competences()[0]
    with pytest.raises(TransitionForbidden):
        services.rate(
            assignment=panel[0],
            competence=competence,
            rating="acquis",
            justification="Vu.",
            by=panel[1].evaluator,
        )
    assert not CompetenceRating.objects.exists()


def test_submit_grid_lists_what_is_missing_and_then_freezes_the_grid(under_review, panel):
    assignment = panel[0]
    competences = under_review.targeted_competences()
    for competence in competences[:-2]:
        services.rate(
            assignment=assignment,
            competence=competence,
            rating="acquis",
            justification="Vu.",
            by=assignment.evaluator,
        )
    with pytest.raises(TransitionRefused) as refused:
        services.submit_grid(assignment=assignment, by=assignment.evaluator)
    assert refused.value.problems == [
        "Compétence C3.5 à apprécier.",
        "Compétence C3.6 à apprécier.",
    ]
    assignment.refresh_from_db()
    assert not assignment.grid_submitted
    for competence in competences[-2:]:
        services.rate(
            assignment=assignment,
            competence=competence,
            rating="partiel",
            justification="Vu.",
            by=assignment.evaluator,
        )
    services.submit_grid(assignment=assignment, by=assignment.evaluator)
    assert ReviewEvent.objects.filter(assignment=assignment, kind="grid_submitted").count() == 1
    with pytest.raises(TransitionRefused, match="Votre grille est remise"):
        services.rate(
            assignment=assignment,
            competence=competences[0],
            rating="non_acquis",
            justification="Changé.",
            by=assignment.evaluator,
        )


def test_consolidate_only_by_the_certifier_seat_once_all_grids_are_in(under_review, panel):
    competence = under_review.targeted_competences()[0]
    seat = panel[3]
    make_grids(under_review, panel[:3])
    make_grids(under_review, panel[3:], submit=False)
    kwargs = {"competence": competence, "rating": "acquis", "justification": "Concordant."}
    with pytest.raises(TransitionForbidden):
        services.consolidate(assignment=seat, by=seat.evaluator, **kwargs)  # own grid not in
    seat.grid_submitted_at = seat.assigned_at
    seat.save()
    with pytest.raises(TransitionForbidden):
        services.consolidate(assignment=panel[0], by=panel[0].evaluator, **kwargs)
    with pytest.raises(TransitionRefused, match="Justifiez"):
        services.consolidate(assignment=seat, by=seat.evaluator, **{**kwargs, "justification": ""})
    assert not ConsolidatedRating.objects.exists()
    services.consolidate(assignment=seat, by=seat.evaluator, **kwargs)
    row = ConsolidatedRating.objects.get()
    assert (row.rating, row.decided_by) == ("acquis", seat.evaluator)


def test_all_grids_submitted_needs_the_full_panel(under_review, panel):
    assert not services.all_grids_submitted(under_review)
    make_grids(under_review, panel)
    assert services.all_grids_submitted(under_review)
    panel[0].status = AssignmentStatus.REMOVED
    panel[0].save()
    assert not services.all_grids_submitted(under_review)
