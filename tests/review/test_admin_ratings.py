"""Staff follow-up of a review: every rating, divergences, consolidation, outcome per bloc."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.models import CompetenceRating, ConsolidatedRating, ReviewSettings
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_consolidation,
    make_grids,
    make_panel,
)
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

S = CandidacyState


@pytest.fixture
def certifier(client):
    user = UserFactory(role=Role.CERTIFIER)
    log_in(client, user)
    return user


@pytest.fixture
def running(referentiel, certifier):
    """Under review, four grids: C1.1 acquis/non acquis, C1.2 acquis/partiel, the rest acquis.
    The training body's grid is not submitted yet."""
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    assignments = make_panel(candidacy, by=certifier)
    make_grids(candidacy, assignments[:2] + assignments[3:])
    make_grids(candidacy, assignments[2:3], submit=False)
    by_code = {c.code: c for c in candidacy.targeted_competences()}
    CompetenceRating.objects.filter(assignment=assignments[0], competence=by_code["C1.1"]).update(
        rating="non_acquis", justification="Le devis joint n'est pas de sa main."
    )
    CompetenceRating.objects.filter(assignment=assignments[1], competence=by_code["C1.2"]).update(
        rating="partiel", justification="Plateau évoqué, sans exemple."
    )
    return candidacy, assignments


def ratings_url(candidacy):
    return reverse("review_admin:ratings", args=[candidacy.pk])


def text(response) -> str:
    return unescape(response.content.decode())


def row_of(page, code) -> str:
    """The summary-table row of one compétence."""
    match = re.search(
        rf'<tr[^>]*>\s*<th scope="row"><a href="#competence-{re.escape(code)}">.*?</tr>', page, re.S
    )
    assert match, code
    return match.group(0)


def test_staff_see_every_rating_and_justification(client, running):
    candidacy, assignments = running
    response = client.get(ratings_url(candidacy))
    assert response.status_code == 200
    page = text(response)
    for assignment in assignments:
        assert assignment.evaluator.get_full_name() in page
    assert "Le devis joint n'est pas de sa main." in page
    assert "Plateau évoqué, sans exemple." in page
    # Staff are not blind: the grid not yet submitted shows too, marked as a draft.
    assert "(brouillon)" in page
    assert "Des grilles restent à remettre" in page


def test_divergences_are_marked_per_the_setting(client, running):
    candidacy, _assignments = running
    page = text(client.get(ratings_url(candidacy)))
    # Default spread 2: only acquis next to non acquis.
    assert 'class="review-divergent"' in row_of(page, "C1.1")
    assert "Divergence" in row_of(page, "C1.1")
    assert "review-divergent" not in row_of(page, "C1.2")
    assert "review-divergent" not in row_of(page, "C1.3")
    assert "Divergence entre évaluateurs : 3 × acquis, 1 × non acquis." in page
    assert "Compétences en divergence : <strong>1</strong>" in page

    settings_row = ReviewSettings.load()
    settings_row.divergence_spread = 1
    settings_row.save()
    page = text(client.get(ratings_url(candidacy)))
    assert "review-divergent" in row_of(page, "C1.1")
    assert "review-divergent" in row_of(page, "C1.2")
    assert "review-divergent" not in row_of(page, "C1.3")
    assert "Compétences en divergence : <strong>2</strong>" in page


def test_consolidated_ratings_and_provisional_outcomes(client, running):
    candidacy, assignments = running
    page = text(client.get(ratings_url(candidacy)))
    assert "Résultat provisoire du bloc BC1 : en attente." in page
    assert "Pas encore d'appréciation consolidée." in page

    make_consolidation(candidacy, by=assignments[3].evaluator)
    ConsolidatedRating.objects.filter(candidacy=candidacy, competence__code="C1.1").update(
        rating="non_acquis", justification="Le devis n'est pas du candidat."
    )
    page = text(client.get(ratings_url(candidacy)))
    assert "Résultat provisoire : bloc BC1 non validé" in page
    assert "Compétences «\u00a0non acquises\u00a0»\u00a0: 1, alors que le maximum est 0." in page
    assert "Résultat provisoire : bloc BC2 validé" in page
    assert "Résultat provisoire : bloc BC3 validé" in page
    assert "Le devis n'est pas du candidat." in page
    assert "<strong>non acquis</strong>" in row_of(page, "C1.1")
    assert "Appréciations consolidées : <strong>26 sur 26</strong>" in page


def test_removed_evaluators_ratings_do_not_count(client, certifier, running):
    from review import services

    candidacy, assignments = running
    services.remove_assignment(assignment=assignments[0], by=certifier, reason="Indisponible.")
    page = text(client.get(ratings_url(candidacy)))
    assert assignments[0].evaluator.get_full_name() not in page.split("Évaluateurs en place")[1]
    assert "Le devis joint n'est pas de sa main." not in page
    assert "review-divergent" not in row_of(page, "C1.1")


def test_ratings_page_costs_the_same_queries_for_one_bloc_or_three(client, running, referentiel):
    candidacy, _assignments = running
    client.get(ratings_url(candidacy))  # first visit: the settings row is created
    with CaptureQueriesContext(connection) as three_blocs:
        client.get(ratings_url(candidacy))
    candidacy.targeted_blocs.set(referentiel.blocs.filter(code="BC3"))
    # Both measured once the version's tree of these blocs is in the cache.
    client.get(ratings_url(candidacy))
    with CaptureQueriesContext(connection) as one_bloc:
        response = client.get(ratings_url(candidacy))
    assert len(response.context["grid"].rows) == 6
    assert len(one_bloc) == len(three_blocs)


@pytest.mark.parametrize("state", [S.ELIGIBLE, S.DOSSIER_SUBMITTED])
def test_before_the_review_the_ratings_page_is_refused_with_a_message(
    client, certifier, referentiel, state
):
    candidacy = CandidacyFactory(state=state)
    response = client.get(ratings_url(candidacy))
    assert response.status_code == 302
    assert response["Location"] == reverse("review_admin:panel", args=[candidacy.pk])
    [message] = [unescape(str(m)) for m in get_messages(response.wsgi_request)]
    assert "se consultent une fois l'évaluation lancée" in message
    assert f"« {state.label} »" in message


def test_after_the_review_the_ratings_stay_visible(client, certifier, referentiel):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    assignments = make_panel(candidacy, by=certifier)
    make_grids(candidacy, assignments)
    make_consolidation(candidacy)
    response = client.get(ratings_url(candidacy))
    assert response.status_code == 200
    assert "Toutes les grilles sont remises." in text(response)
