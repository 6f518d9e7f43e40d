"""Criteria suggested beside the evaluator's passage form: ranked by the search's French
analyser and BM25, offered, never linked by themselves."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from livret.models import CompetenceLink, Evidence
from review.models import CriterionLink
from search.suggestions import suggest
from tests.accounts import log_in
from tests.factories import CandidacyFactory, make_panel
from tests.review.support import add_pages
from tests.search.support import add_evidence
from vae.enums import CandidacyState


@dataclass(frozen=True)
class Criterion:
    pk: int
    text: str


CRITERIA = [
    Criterion(1, "Le plan de trésorerie du film est établi et suivi mois par mois."),
    Criterion(2, "Les bulletins de paie des intermittents sont conformes."),
    Criterion(3, "Les déclarations sociales (DPAE, AEM) sont faites à temps."),
    Criterion(4, "Le budget est présenté aux financeurs."),
]


def test_the_criterion_sharing_the_pages_words_comes_first():
    page = "Plan de tresorerie : encaissements et décaissements, trésorerie mensuelle."
    found = suggest(page, CRITERIA)
    assert [s.criterion.pk for s in found] == [1]
    assert found[0].shared == ("plan", "tresorer")


def test_ranked_best_first_and_limited():
    page = "Bulletin de paie d'un intermittent ; budget du film ; DPAE ; bulletins."
    found = suggest(page, CRITERIA, limit=2)
    assert len(found) == 2
    assert found[0].criterion.pk == 2  # « bulletin » twice, « intermittent »
    assert found[0].score >= found[1].score


def test_no_shared_word_no_suggestion():
    assert suggest("Facture d'hôtel", CRITERIA) == []
    assert suggest("", CRITERIA) == []


@pytest.fixture
def page_of_dossier(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    assignment = make_panel(candidacy)[0]
    criterion = next(
        c for competence in candidacy.targeted_competences() for c in competence.criteria.all()
    )
    add_pages(candidacy, texts=(criterion.text,))
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    return assignment, evidence, criterion


def test_the_evidence_page_offers_the_criteria_and_links_nothing(client, page_of_dossier):
    assignment, evidence, criterion = page_of_dossier
    log_in(client, assignment.evaluator)
    url = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    html = client.get(url).content.decode()
    section = html.split('id="suggestions-titre"')[1].split("</section>")[0]
    assert f'data-suggest-criterion="{criterion.pk}"' in section
    assert "js/criterion-suggestions.js" in html
    assert CriterionLink.objects.filter(assignment=assignment).count() == 0


# -- the candidate's link form ----------------------------------------------------------------


def test_the_candidate_s_link_form_suggests_competences_for_the_chosen_piece(referentiel, client):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    competence = candidacy.targeted_competences()[-1]
    criterion = competence.criteria.first()
    # The page speaks the words of one criterion of the last targeted compétence.
    evidence = add_evidence(candidacy, "Ma pièce", criterion.text, "Deuxième page.")
    client.force_login(candidacy.candidate)
    url = reverse("livret:link_add", args=[candidacy.pk])
    page = client.get(url, {"evidence": evidence.pk}).content.decode()
    assert "Compétences suggérées pour « Ma pièce »" in page
    assert f'data-suggest-competence="{competence.pk}"' in page
    assert competence_suggestions_js() in page
    # Nothing chosen, or a piece that is not the candidate's: no suggestion.
    assert "Compétences suggérées" not in client.get(url).content.decode()
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    theirs = add_evidence(other, "Leur pièce", criterion.text)
    assert "Compétences suggérées" not in client.get(url, {"evidence": theirs.pk}).content.decode()
    # Suggesting links nothing.
    assert not CompetenceLink.objects.filter(dossier__candidacy=candidacy).exists()


def competence_suggestions_js() -> str:
    return "js/competence-suggestions"
