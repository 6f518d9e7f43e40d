"""A visitor reads the certification; a certifier reaches the référentiel back office."""

import pytest
from playwright.sync_api import expect

from tests.accounts import enrolled_device, pass_second_factor
from tests.factories import UserFactory
from vae.enums import Role

# The live server reads committed data, hence transactional tests. The flush between them
# removes the rows migrations made; post_migrate recreates permissions and role groups,
# ensure_site_pages recreates Wagtail's root page and locale.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_referentiel_with_the_keyboard(live_server, page, site):
    page.goto(live_server.url + "/")
    # The skip link is the first thing the keyboard reaches, and it moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Le référentiel de la certification"
    ).click()
    page.wait_for_url("**/certification/")
    assert page.get_by_role("heading", level=1).inner_text() == "Le référentiel de la certification"
    assert page.locator("article.competence").count() == 26
    assert page.locator("section.bloc").count() == 3
    page.get_by_role("link", name="BC3 – Etablir l'état des comptes sociaux").click()
    assert page.evaluate("location.hash") == "#bc3"
    c35 = page.locator("article#c35")
    assert c35.locator("p.preamble").inner_text() == (
        "Le candidat réalise la situation finale estimée du projet :"
    )
    assert c35.locator("li").count() == 4
    # The FAQ answers open with the keyboard.
    page.goto(live_server.url + "/faq/")
    first = page.locator("details").first
    assert first.get_attribute("open") is None
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("open") is not None


def test_certification_page_fits_a_phone_screen(live_server, browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    phone = context.new_page()
    phone.goto(live_server.url + "/certification/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert phone.locator("article.competence").count() == 26
    context.close()


def test_certifier_logs_in_and_sees_a_published_version_read_only(live_server, page, site):
    certifier = UserFactory(
        email="certif@exemple.fr", password="bon-mot-de-passe", role=Role.CERTIFIER
    )
    enrolled_device(certifier)
    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/compte/connexion/?next=/admin/")
    page.get_by_label("Adresse e-mail").fill("certif@exemple.fr")
    page.get_by_label("Mot de passe").fill("bon-mot-de-passe")
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    # The second step of a certifier's login: the authenticator application's code.
    page.wait_for_url("**/compte/double-authentification/?next=%2Fadmin%2F")
    pass_second_factor(page, certifier)
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/snippets/referentiel/certification/")
    assert page.locator("table").get_by_text("Publiée", exact=True).is_visible()
    bloc = site.blocs.get(code="BC2")
    page.goto(live_server.url + f"/admin/snippets/referentiel/bloc/edit/{bloc.pk}/")
    page.wait_for_url(f"**/admin/snippets/referentiel/bloc/inspect/{bloc.pk}/")
    assert page.get_by_text("ne peut plus être modifiée").first.is_visible()


@pytest.mark.parametrize("viewport", [(1280, 800), (375, 812)])
def test_home_page_starts_the_journey_and_the_referentiel_leads_back_to_its_summary(
    live_server, browser, site, viewport
):
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    journey = page.get_by_role("region", name="Les étapes de votre VAE")
    steps = journey.get_by_role("listitem")
    expect(steps).to_have_count(5)
    expect(steps.nth(4)).to_contain_text("dans les 15 jours qui suivent le jury")
    # The call to action is in the first screen, and leads to the sign-up.
    cta = page.get_by_role("link", name="Commencer ma VAE")
    assert cta.bounding_box()["y"] + cta.bounding_box()["height"] <= height
    cta.click()
    page.wait_for_url("**/compte/inscription/")

    page.goto(live_server.url + "/certification/")
    summary = page.get_by_role("navigation", name="Sommaire")
    expect(summary.get_by_role("listitem")).to_have_count(5)  # 3 blocs, then 2 parts
    summary.locator('a[href="#bc3-regle"]').click()
    assert page.evaluate("location.hash") == "#bc3-regle"
    page.locator("section#bc3").get_by_role("link", name="Retour au sommaire").click()
    assert page.evaluate("location.hash") == "#sommaire"
    expect(summary).to_be_in_viewport()
    context.close()
