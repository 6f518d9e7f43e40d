"""Search in a browser: an evaluator searches « tresorerie » from their workspace, sees
the highlighted hit, narrows by a facet, opens the evidence at the page with the word
highlighted, selects the highlighted word and links it to the criterion the page's
suggestions offer; axe runs on every page (tests/e2e/a11y.py), at a phone's width too,
with no horizontal scroll. The candidate's link form: the suggested compétences follow the
piece chosen in the list."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from livret.models import Evidence, EvidencePage
from referentiel.models import Criterion
from review.enums import PassageKind
from review.models import CriterionLink
from search import api
from tests.factories import CandidacyFactory, make_panel
from tests.search.support import add_evidence
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "laptop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS.values()), ids=list(VIEWPORTS))
def test_evaluator_finds_and_opens_the_page_highlighted(
    live_server, browser, sign_in, referentiel, viewport
):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    EvidencePage.objects.create(evidence=evidence, number=1, text="Bulletin de paie de mars.")
    EvidencePage.objects.create(
        evidence=evidence,
        number=2,
        text="Le plan de trésorerie du tournage, mois par mois : "
        "la position de la banque communiquée au producteur.",
    )
    api.index_document(evidence)
    assignment = make_panel(candidacy)[0]
    context = browser.new_context(viewport=viewport, locale="fr-FR", base_url=live_server.url)
    sign_in(context, assignment.evaluator)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/evaluation/")
    page.get_by_label("Rechercher dans mes dossiers").fill("tresorerie")
    page.get_by_label("Rechercher dans mes dossiers").press("Enter")
    status = page.get_by_role("status").filter(has_text="résultat")
    expect(status).to_contain_text("1 résultat en")
    expect(page.locator(".search-snippet mark")).to_have_text("trésorerie")

    page.get_by_role("link", name="Page de pièce justificative").click()
    expect(page.get_by_text("Filtre choisi")).to_be_visible()
    expect(page.get_by_label("Rechercher", exact=True)).to_have_value("tresorerie")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator(".search-hits").get_by_role("link").first.click()
    expect(page).to_have_url(
        f"{live_server.url}/evaluation/affectations/{assignment.pk}/pieces/{evidence.pk}/pages/2/?surligner=tresorerie#texte-page"
    )
    expect(page.locator("mark.search-hit")).to_have_text("trésorerie")
    expect(page.get_by_role("status").filter(has_text="surligné")).to_be_visible()

    # The highlighted word, selected in the page's text, becomes the passage to link.
    page.evaluate(
        """() => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector("mark.search-hit"));
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    expect(page.locator("[data-passage-preview]")).to_contain_text("trésorerie")
    # The criterion on the cash position, offered beside the form, ticked by its button.
    criterion = Criterion.objects.get(
        competence__activity__bloc__certification=candidacy.certification,
        text__startswith="La position de trésorerie",
    )
    page.locator(f'[data-suggest-criterion="{criterion.pk}"]').click()
    expect(page.locator(f"#link-criterion-{criterion.pk}")).to_be_checked()
    page.get_by_role("button", name="Relier ce passage").click()

    expect(page.get_by_role("status").filter(has_text="Passage relié")).to_have_text(
        "Passage relié à 1 critère."
    )
    mine = page.locator("#mes-passages")
    expect(mine.locator(".review-passage__quote")).to_have_text("trésorerie")
    expect(mine.locator(".review-passage__criteria")).to_contain_text(criterion.text)
    link = CriterionLink.objects.get(assignment=assignment)
    assert (link.kind, link.evidence_id, link.page) == (PassageKind.PAGE_TEXT, evidence.pk, 2)
    assert (link.start, link.end, link.quote) == (11, 21, "trésorerie")
    assert list(link.criteria.all()) == [criterion]
    context.close()


def test_the_candidates_suggestions_follow_the_piece_chosen(
    live_server, browser, sign_in, referentiel
):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    first, last = candidacy.targeted_competences()[0], candidacy.targeted_competences()[-1]
    one = add_evidence(candidacy, "Pièce une", first.criteria.first().text)
    two = add_evidence(candidacy, "Pièce deux", last.criteria.first().text)
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    sign_in(context, candidacy.candidate)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{reverse('livret:link_add', args=[candidacy.pk])}?evidence={one.pk}")
    suggestions = page.locator("[data-link-suggestions]")
    expect(suggestions.get_by_role("heading")).to_have_text(
        "Compétences suggérées pour « Pièce une »"
    )
    page.get_by_label("Ce qui la prouve").select_option(f"piece-{two.pk}")
    expect(suggestions.get_by_role("heading")).to_have_text(
        "Compétences suggérées pour « Pièce deux »"
    )
    expect(suggestions.get_by_role("status")).to_have_text(
        "Compétences suggérées pour « Pièce deux » : mises à jour."
    )
    page.check_a11y()
    suggestions.get_by_role("button", name=f"Choisir {last.code}").click()
    expect(page.get_by_label("Compétence", exact=True)).to_have_value(str(last.pk))
    expect(page.get_by_label("Compétence", exact=True)).to_be_focused()

    # A choice with nothing to suggest empties the list, and says so.
    page.get_by_label("Ce qui la prouve").select_option("")
    expect(suggestions.get_by_role("heading")).to_have_count(0)
    expect(suggestions.get_by_role("status")).to_have_text(
        "Aucune compétence suggérée pour ce choix."
    )
    context.close()
