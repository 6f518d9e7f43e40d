"""Every role lands on its work, in a browser: an evaluator who is also a candidate on a
phone, a jury member, and a certifier from the « À traiter » panel to the filtered list."""

import pytest
from playwright.sync_api import expect

from tests.accounts import enrolled_device, pass_second_factor
from tests.factories import CandidacyFactory, UserFactory, make_member
from vae.enums import CandidacyState, Role
from vae.roles import assign_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Arrivee-Espace-2026"


def log_in(page, live_server, email):
    """Log in from the header's link, as a visitor would: no `next`."""
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion/" not in url)


def test_evaluator_candidate_lands_on_the_workspace_and_reaches_the_candidacy_on_a_phone(
    live_server, browser, referentiel
):
    user = UserFactory(email="double@exemple.fr", password=PASSWORD, role=Role.EVALUATOR)
    assign_role(user, Role.CANDIDATE)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, live_server, user.email)
    phone.wait_for_url(live_server.url + "/evaluation/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes dossiers à évaluer")
    menu = phone.get_by_role("navigation", name="Mon compte")
    current = menu.get_by_role("link", name="Mes dossiers à évaluer")
    expect(current).to_have_attribute("aria-current", "page")
    # The header fits the phone's width: nothing sideways.
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # The other space is one tap away, and becomes the current one.
    menu.get_by_role("link", name="Ma candidature").click()
    phone.wait_for_url(live_server.url + "/candidature/")
    expect(menu.get_by_role("link", name="Ma candidature")).to_have_attribute(
        "aria-current", "page"
    )
    expect(menu.get_by_role("link", name="Mes dossiers à évaluer")).not_to_have_attribute(
        "aria-current", "page"
    )
    context.close()


def test_jury_member_lands_on_their_sessions(live_server, page, referentiel):
    make_member(email="jury@exemple.fr", password=PASSWORD)
    log_in(page, live_server, "jury@exemple.fr")
    page.wait_for_url(live_server.url + "/jury/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace du jury")
    expect(page.get_by_role("heading", name="Sessions à venir")).to_be_visible()
    page.get_by_role("link", name="Vérifier votre profil").click()
    page.wait_for_url(live_server.url + "/compte/profil/")


def test_certifier_goes_from_the_todo_panel_to_the_candidacies_waiting(
    live_server, page, referentiel
):
    certifier = UserFactory(email="certif@exemple.fr", password=PASSWORD, role=Role.CERTIFIER)
    enrolled_device(certifier)
    waiting = [CandidacyFactory(state=CandidacyState.ELIGIBILITY_SUBMITTED) for _ in range(2)]
    CandidacyFactory(state=CandidacyState.DRAFT)
    log_in(page, live_server, "certif@exemple.fr")
    # Certifiers give their application's code after the password.
    pass_second_factor(page, certifier)
    page.wait_for_url(live_server.url + "/admin/")
    panel = page.locator("#a-traiter-section")
    expect(panel.get_by_role("heading", name="À traiter")).to_be_visible()
    panel.get_by_role("link", name="2 recevabilités à examiner").click()
    page.wait_for_url("**/admin/candidatures/?todo=eligibility")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    for candidacy in waiting:
        expect(page.get_by_role("link", name=candidacy.reference)).to_be_visible()
