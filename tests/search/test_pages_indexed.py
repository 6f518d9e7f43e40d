"""The search pages over the real index (the configured database backend): an evaluator
finds a page of their dossier and opens it with the words highlighted; another
evaluator, even filtering on that candidacy, gets nothing of it."""

from html import unescape

import pytest
from django.urls import reverse

from livret.models import Evidence, EvidencePage
from search import api
from tests.accounts import log_in
from tests.factories import CandidacyFactory, make_panel
from tests.review.support import source_texts
from vae.enums import CandidacyState

PAGE_TEXT = "Budget du tournage.\r\nLe plan de trésorerie prévoit l'avance du CNC en mars."


@pytest.fixture
def candidacy(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    EvidencePage.objects.create(evidence=evidence, number=1, text="Bulletin de paie")
    EvidencePage.objects.create(evidence=evidence, number=2, text=PAGE_TEXT)
    api.index_document(evidence)
    return candidacy


@pytest.fixture
def assignment(candidacy):
    return make_panel(candidacy)[0]


def test_an_evaluator_finds_the_page_and_opens_it_highlighted(client, candidacy, assignment):
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    log_in(client, assignment.evaluator)
    response = client.get(reverse("search:evaluator"), {"q": "tresorerie"})
    html = response.content.decode()
    assert "<mark>trésorerie</mark>" in html
    page_url = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 2])
    link = f"{page_url}?surligner=tresorerie#texte-page"
    assert f'href="{link}"' in html

    page = client.get(link.split("#")[0])
    assert page.status_code == 200
    body = page.content.decode()
    assert '<mark class="search-hit">trésorerie</mark>' in body
    assert "1 passage surligné sur cette page" in unescape(body)
    # The highlight adds no text: passages are still selected over the page's own text.
    assert source_texts(page)[f"page:{evidence.pk}:2"] == PAGE_TEXT.replace("\r\n", "\n")


def test_another_evaluator_gets_nothing_even_filtering_on_that_candidacy(
    client, candidacy, assignment
):
    other = make_panel(CandidacyFactory(state=CandidacyState.UNDER_REVIEW))[0]
    log_in(client, other.evaluator)
    response = client.get(
        reverse("search:evaluator"), {"q": "tresorerie", "candidature": candidacy.pk}
    )
    html = unescape(response.content.decode())
    assert "Aucun résultat pour «\u00a0tresorerie\u00a0»" in html
    assert "<mark>" not in html
    assert "search-hit-item" not in html
    assert candidacy.reference not in html


def test_the_candidate_finds_their_own_page(client, candidacy):
    log_in(client, candidacy.candidate)
    url = reverse("search:candidate", args=[candidacy.pk])
    html = client.get(url, {"q": "avance CNC"}).content.decode()
    assert "<mark>CNC</mark>" in html
    assert "#page=2" in html
