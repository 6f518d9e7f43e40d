"""The consolidation page of the certifier's representative: access, divergences, majority
prefill, saving through the service, and the provisional outcome per bloc."""

import html

import pytest
from django.urls import reverse

from review import services
from review.enums import AssignmentStatus
from review.models import CompetenceRating, ConsolidatedRating, ReviewEvent, ReviewSettings
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_consolidation,
    make_grids,
    make_panel,
)
from vae.enums import CandidacyState as S
from vae.enums import Role

SECRET = "Justification-secrète du professionnel : la paie est établie sans contrôle."


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=S.UNDER_REVIEW)


@pytest.fixture
def panel(candidacy):
    return make_panel(candidacy)


@pytest.fixture
def seat(panel):
    """The certifier's representative's assignment."""
    assert panel[3].category == "certifier"
    return panel[3]


@pytest.fixture
def competences(candidacy):
    return candidacy.targeted_competences()


@pytest.fixture
def all_submitted(candidacy, panel):
    make_grids(candidacy, panel, rating="acquis", submit=True)
    return panel


def url(assignment):
    return reverse("review:consolidation", args=[assignment.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def set_ratings(panel, competence, values, justifications=None):
    """Give ``competence`` the ratings ``values`` (one per evaluator, in panel order)."""
    for index, (assignment, value) in enumerate(zip(panel, values, strict=True)):
        CompetenceRating.objects.filter(assignment=assignment, competence=competence).update(
            rating=value,
            justification=(justifications or {}).get(index, "Vu dans les pièces."),
        )


def consolidation_data(competences, values):
    data = {}
    for competence in competences:
        rating, justification = values.get(competence.code, ("", ""))
        if rating:
            data[f"c{competence.pk}-rating"] = rating
        data[f"c{competence.pk}-justification"] = justification
    return data


def set_spread_setting(value):
    settings = ReviewSettings.load()
    settings.divergence_spread = value
    settings.save()


# -- access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, seat):
    response = client.get(url(seat))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.CERTIFIER, Role.JURY_MEMBER])
def test_other_roles_do_not_find_it(client, seat, all_submitted, role):
    log_in(client, UserFactory(role=role))
    assert client.get(url(seat)).status_code == 404
    assert client.post(url(seat), {}).status_code == 404


def test_another_evaluators_assignment_is_not_found(client, panel, seat, all_submitted):
    log_in(client, panel[0].evaluator)
    assert client.get(url(seat)).status_code == 404


@pytest.mark.parametrize("index", [0, 1, 2])
def test_other_seats_are_refused(client, panel, all_submitted, competences, index):
    assignment = panel[index]
    assert assignment.category != "certifier"
    log_in(client, assignment.evaluator)
    assert client.get(url(assignment)).status_code == 403
    data = consolidation_data(competences, {competences[0].code: ("acquis", "Consolidé.")})
    assert client.post(url(assignment), data).status_code == 403
    assert not ConsolidatedRating.objects.exists()


def test_before_all_grids_are_in_it_is_refused(client, candidacy, panel, seat, competences):
    make_grids(candidacy, panel[1:], rating="acquis", submit=True)
    make_grids(candidacy, panel[:1], rating="non_acquis", submit=False)
    CompetenceRating.objects.filter(assignment=panel[0]).update(justification=SECRET)
    log_in(client, seat.evaluator)
    response = client.get(url(seat))
    page = text(response)
    assert response.status_code == 200
    assert "La consolidation s'ouvre quand les quatre évaluateurs ont remis leur grille." in page
    assert panel[0].evaluator.get_full_name() in page  # the awaited grid
    assert panel[1].evaluator.get_full_name() not in page
    assert SECRET not in page
    assert 'type="radio"' not in page
    assert "Résultat provisoire" not in page
    data = consolidation_data(competences, {competences[0].code: ("acquis", "Consolidé.")})
    assert client.post(url(seat), data).status_code == 403
    assert not ConsolidatedRating.objects.exists()


def test_a_seat_left_empty_by_a_conflict_is_said(client, candidacy, panel, seat):
    make_grids(candidacy, panel, submit=True)
    panel[2].status = AssignmentStatus.CONFLICT
    panel[2].save()
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert "Sièges à pourvoir" in page
    assert "Il manque 1 « Représentant de l'organisme de formation (OF) »." in page


def test_before_the_declaration_it_sends_to_the_declaration(client, candidacy):
    seat = make_panel(candidacy, declared=False)[3]
    log_in(client, seat.evaluator)
    response = client.get(url(seat))
    assert response["Location"] == reverse("review:declare", args=[seat.pk])


def test_after_the_review_it_is_read_only(client, referentiel):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    panel = make_panel(candidacy)
    make_grids(candidacy, panel, submit=True)
    make_consolidation(candidacy)
    seat = panel[3]
    log_in(client, seat.evaluator)
    response = client.get(url(seat))
    page = text(response)
    assert response.status_code == 200
    assert 'type="radio"' not in page
    assert "Consolidé après lecture des quatre grilles." in page
    # One message, the one of the state: closed, not « peut maintenant clore ».
    assert "Toutes les compétences sont consolidées et l'évaluation est close." in page
    assert "peut maintenant clore" not in page
    competences = candidacy.targeted_competences()
    data = consolidation_data(competences, {competences[0].code: ("non_acquis", "Changé.")})
    assert client.post(url(seat), data).status_code == 403
    assert not ConsolidatedRating.objects.filter(rating="non_acquis").exists()


# -- the page -------------------------------------------------------------------------------


def test_the_four_ratings_and_justifications_side_by_side(
    client, panel, seat, all_submitted, competences
):
    set_ratings(panel, competences[0], ["acquis", "acquis", "partiel", "acquis"], {2: SECRET})
    log_in(client, seat.evaluator)
    response = client.get(url(seat))
    page = text(response)
    assert response.status_code == 200
    assert SECRET in page
    for assignment in panel:
        assert assignment.evaluator.get_full_name() in page
    assert f"<caption>Appréciations des évaluateurs pour {competences[0].code}</caption>" in page
    assert "Répartition : 3 acquis, 1 partiellement acquis" in page
    assert page.count("<fieldset") >= 26


def test_divergence_with_the_default_spread_of_two(client, panel, seat, all_submitted, competences):
    set_spread_setting(2)
    c1, c2 = competences[0], competences[1]
    set_ratings(panel, c1, ["acquis", "non_acquis", "acquis", "acquis"])
    set_ratings(panel, c2, ["acquis", "partiel", "acquis", "acquis"])
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert "1 divergence entre évaluateurs" in page
    assert f"{c1.code} — Divergence : acquis / non acquis" in page
    assert '<p class="warning"><strong>Divergence : acquis / non acquis</strong>' in page
    assert "(écart de 2 niveaux)" in page
    assert f"{c2.code} — Divergence" not in page
    assert "Divergence : acquis / partiellement acquis" not in page
    assert "« acquis » face à « non acquis » (écart de deux niveaux)" in page


def test_divergence_with_a_spread_of_one(client, panel, seat, all_submitted, competences):
    set_spread_setting(1)
    c1, c2 = competences[0], competences[1]
    set_ratings(panel, c1, ["acquis", "non_acquis", "partiel", "acquis"])
    set_ratings(panel, c2, ["acquis", "partiel", "acquis", "acquis"])
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert "2 divergences entre évaluateurs" in page
    assert f"{c1.code} — Divergence : acquis / partiellement acquis / non acquis" in page
    assert f"{c2.code} — Divergence : acquis / partiellement acquis" in page
    assert "(écart de 1 niveau)" in page
    assert "tout désaccord entre évaluateurs" in page


def test_no_divergence_is_said_too(client, seat, all_submitted):
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert "Aucune divergence entre les évaluateurs." in page
    assert 'class="warning"' not in page


def test_the_majority_is_prefilled(client, panel, seat, all_submitted, competences):
    c1, c2, c3 = competences[:3]
    set_ratings(panel, c1, ["partiel", "partiel", "partiel", "acquis"])
    set_ratings(panel, c2, ["acquis", "acquis", "non_acquis", "non_acquis"])  # 2-2: none
    set_ratings(panel, c3, ["acquis", "acquis", "partiel", "non_acquis"])  # 2-1-1: none
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert f'value="partiel" id="id_c{c1.pk}-rating_1" checked' in page
    for competence in (c2, c3):
        assert f'id="id_c{competence.pk}-rating_0" checked' not in page
        assert f'id="id_c{competence.pk}-rating_1" checked' not in page
        assert f'id="id_c{competence.pk}-rating_2" checked' not in page
    assert "Majorité : partiellement acquis." in page
    assert "Pas de majorité." in page


def test_an_existing_consolidation_is_prefilled_over_the_majority(
    client, panel, seat, all_submitted, competences
):
    c1 = competences[0]
    services.consolidate(
        assignment=seat,
        competence=c1,
        rating="partiel",
        justification="Le devis n'est pas analysé seul.",
        by=seat.evaluator,
    )
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert f'value="partiel" id="id_c{c1.pk}-rating_1" checked' in page
    assert "Le devis n'est pas analysé seul.</textarea>" in page
    assert "Consolidée : partiellement acquis" in page


# -- saving ---------------------------------------------------------------------------------


def test_consolidating_saves_through_the_service(client, seat, all_submitted, competences):
    log_in(client, seat.evaluator)
    c1, c2 = competences[:2]
    data = consolidation_data(
        competences,
        {c1.code: ("acquis", "Les quatre grilles concordent."), c2.code: ("partiel", "Écart.")},
    )
    # Untouched compétences carry their majority prefill: they are not saved.
    for competence in competences[2:]:
        data[f"c{competence.pk}-rating"] = "acquis"
    response = client.post(url(seat), data, follow=True)
    assert response.redirect_chain[-1][0] == url(seat)
    assert "2 appréciations consolidées enregistrées." in text(response)
    rows = dict(ConsolidatedRating.objects.values_list("competence__code", "rating"))
    assert rows == {c1.code: "acquis", c2.code: "partiel"}
    assert ConsolidatedRating.objects.get(competence=c1).decided_by == seat.evaluator
    assert ReviewEvent.objects.filter(kind="consolidated").count() == 2


def test_a_missing_justification_keeps_what_was_typed(client, seat, all_submitted, competences):
    log_in(client, seat.evaluator)
    c1, c2 = competences[:2]
    data = consolidation_data(
        competences, {c1.code: ("non_acquis", ""), c2.code: ("partiel", "Gardé tel quel.")}
    )
    response = client.post(url(seat), data)
    page = text(response)
    assert response.status_code == 200
    assert "<title>Erreur : " in page
    assert f"{c1.code} — Justifiez l'appréciation consolidée." in page
    assert f'value="non_acquis" id="id_c{c1.pk}-rating_2" checked' in page
    assert "Gardé tel quel.</textarea>" in page
    assert list(ConsolidatedRating.objects.values_list("competence__code", flat=True)) == [c2.code]


# -- provisional outcome --------------------------------------------------------------------


def test_provisional_outcome_waits_for_every_competence(client, seat, all_submitted, competences):
    services.consolidate(
        assignment=seat,
        competence=competences[0],
        rating="acquis",
        justification="Concordant.",
        by=seat.evaluator,
    )
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert "Résultat provisoire par bloc" in page
    assert "1 compétence consolidée sur 10 : le résultat s'affichera" in page
    assert "0 compétence consolidée sur 6" in page
    assert "peut maintenant clore" not in page


def test_provisional_outcome_with_reasons_and_closing_note(
    client, candidacy, seat, all_submitted, competences
):
    for competence in competences:
        rating = "non_acquis" if competence.code == "C1.1" else "acquis"
        if competence.code in ("C2.1", "C2.2", "C2.3"):
            rating = "partiel"
        services.consolidate(
            assignment=seat,
            competence=competence,
            rating=rating,
            justification="Décidé à la lecture des quatre grilles.",
            by=seat.evaluator,
        )
    log_in(client, seat.evaluator)
    page = text(client.get(url(seat)))
    assert "Provisoire — le jury décidera." in page
    assert page.count("Non validé (provisoire — le jury décidera)") == 2
    assert page.count("Validé (provisoire — le jury décidera)") == 1
    # The reasons are those of the référentiel's rule, with the counts.
    assert "Compétences «\u00a0non acquises\u00a0»\u00a0: 1, alors que le maximum est 0." in page
    assert (
        "Compétences «\u00a0acquises\u00a0»\u00a0: 7 sur 10, alors qu'il en faut au moins 8."
        in page
    )
    assert (
        "Compétences «\u00a0partiellement acquises\u00a0»\u00a0: 3, alors que le maximum est 2."
        in page
    )
    assert "Toutes les compétences sont consolidées." in page
    assert "Le certificateur peut maintenant clore l'évaluation du dossier" in page
    assert "close" not in page.replace("peut maintenant clore", "")
