"""The certifier's decisions in a browser: the action panel in view on a laptop and on a
phone, and a decision taken with the keyboard alone, through its confirmation step."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts import enrolled_device, pass_second_factor
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import CandidacyState, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Decision-Deliberee-2026"


def certifier_page(browser, live_server, path, *, width, height):
    certifier = UserFactory(email="certif@exemple.fr", password=PASSWORD, role=Role.CERTIFIER)
    enrolled_device(certifier)
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("Adresse e-mail").fill(certifier.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    pass_second_factor(page, certifier)
    page.wait_for_url(f"**{path}")
    return page


def in_view(locator) -> bool:
    """Seen on screen: inside the viewport and on top (not under Wagtail's sticky header)."""
    return locator.evaluate(
        """(element) => {
            const box = element.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            if (y < 0 || y > window.innerHeight) return false;
            const top = document.elementFromPoint(x, y);
            return top !== null && (element === top || element.contains(top));
        }"""
    )


def test_the_actions_stay_in_view_on_a_laptop(live_server, browser, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBILITY_SUBMITTED)
    path = reverse("candidacy_admin:detail", args=[candidacy.pk])
    page = certifier_page(browser, live_server, path, width=1280, height=800)
    panel = page.get_by_role("complementary", name="Décisions")
    accept = panel.get_by_role("link", name="Déclarer recevable")
    assert in_view(accept)
    assert in_view(panel.get_by_role("heading", name="Décisions"))
    # Far down the page, reading the history: the decisions are still at hand. (Wagtail's
    # admin scrolls its <main>, not the window.)
    page.get_by_role("heading", name="Historique").scroll_into_view_if_needed()
    assert page.evaluate("document.querySelector('main').scrollTop") > 800
    assert in_view(accept)
    assert in_view(panel.get_by_role("heading", name="Décisions"))
    page.context.close()


def test_the_actions_come_first_on_a_phone(live_server, browser, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBILITY_SUBMITTED)
    path = reverse("candidacy_admin:detail", args=[candidacy.pk])
    page = certifier_page(browser, live_server, path, width=375, height=740)
    panel = page.get_by_role("complementary", name="Décisions")
    expect(panel).to_be_visible()
    # First thing under the page's header, before the summary and livret 1.
    assert in_view(panel.get_by_role("heading", name="Décisions"))
    assert in_view(panel.get_by_role("link", name="Déclarer recevable"))
    # Nothing wider than the screen: the long labels wrap inside their buttons.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.context.close()


def test_a_decision_taken_with_the_keyboard_only(live_server, browser, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBILITY_SUBMITTED)
    path = reverse("candidacy_admin:detail", args=[candidacy.pk])
    page = certifier_page(browser, live_server, path, width=1280, height=800)
    page.get_by_role("link", name="Déclarer non recevable").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Déclarer non recevable", exact=True).wait_for()
    # The comment is required: « Vérifier » without it says so and keeps the page.
    page.get_by_role("button", name="Vérifier avant de confirmer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("n'a pas été enregistré")
    motif = page.get_by_label("Motif de non-recevabilité")
    motif.focus()
    page.keyboard.type("Moins d'un an d'expérience dans le métier.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Vérifier avant de confirmer")).to_be_focused()
    page.keyboard.press("Enter")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Vérifiez avant de confirmer : Déclarer non recevable")
    expect(main).to_contain_text("aucun retour en arrière n'est possible")
    expect(main).to_contain_text("« Votre demande n'est pas recevable »")
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.ELIGIBILITY_SUBMITTED
    # « Modifier le commentaire » brings the text back, then the confirmation again.
    page.get_by_role("button", name="Modifier le commentaire").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Motif de non-recevabilité")).to_have_value(
        "Moins d'un an d'expérience dans le métier."
    )
    page.get_by_role("button", name="Vérifier avant de confirmer").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Confirmer : Déclarer non recevable").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{path}")
    expect(page.get_by_text("Demande déclarée non recevable").first).to_be_visible()
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.INELIGIBLE
    entry = candidacy.transitions.get()
    assert entry.comment == "Moins d'un an d'expérience dans le métier."
    page.context.close()
