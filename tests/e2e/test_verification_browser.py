"""Someone holding a certificate checks it: types its number as printed (loosely), reads
its status; a mistyped number is explained and kept in the field. Axe checks each page."""

import pytest
from playwright.sync_api import expect

from certificates import services
from tests.certificates.support import DECIDED_ON, register
from tests.factories.candidacies import CandidacyFactory
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_employer_checks_a_certificate_from_its_number(live_server, browser, site):
    candidacy = CandidacyFactory(state=CandidacyState.DECIDED)
    register(candidacy.certification)
    (certificate,) = services.issue_credentials(
        candidacy=candidacy, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/verifier/")
    field = page.get_by_label("Numéro du document")
    field.fill("ABC-123")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator(".field__errors")).to_contain_text("n'a pas la forme")
    expect(page.get_by_label("Numéro du document")).to_have_value("ABC-123")
    page.get_by_label("Numéro du document").fill(certificate.number.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(f"**/verifier/{certificate.number}/")
    expect(page.get_by_role("status")).to_contain_text("Document valide.")
    expect(page.locator("dl.facts")).to_contain_text(certificate.holder_name)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
