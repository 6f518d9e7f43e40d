"""Issue 14's browser path: from an interviewed candidacy, each member votes the computed
outcome, then each signs with their password; the second signature decides; the candidate finds
the decision and downloads the certificate; its verification page, reached from the
address printed under the QR code, says it is valid. Axe checks every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certificates.models import Credential
from tests.certificates.support import register
from tests.jury.deliberation_support import PASSWORD, heard, members
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server, sign_in, user):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    sign_in(context, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_from_the_interview_to_the_verified_certificate(
    live_server, browser, sign_in, referentiel, tmp_path
):
    register(referentiel)
    slot = heard()
    candidacy = slot.candidacy
    url = reverse("jury:deliberation", args=[slot.pk])
    # One browser at a time: signing a user in through the test client ends the session
    # it held before.
    for member in members(slot):
        context, page = new_page(browser, live_server, sign_in, member.user)
        page.goto(url)
        # The votes come prefilled with the computed outcome (all « acquis »: validé).
        page.get_by_role("button", name="Enregistrer mes votes").click()
        page.wait_for_load_state()
        context.close()
    # Both have voted: each signs the decision as it stands (the second one decides).
    for member in members(slot):
        context, page = new_page(browser, live_server, sign_in, member.user)
        page.goto(url)
        page.get_by_label("Votre mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Signer la décision").click()
        page.wait_for_load_state()
        context.close()
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.DECIDED
    (certificate,) = Credential.objects.filter(candidacy=candidacy)

    context, page = new_page(browser, live_server, sign_in, candidacy.candidate)
    page.goto(reverse("candidacy:detail", args=[candidacy.pk]))
    expect(page.get_by_role("heading", name="La décision du jury")).to_be_visible()
    expect(page.get_by_text(certificate.number)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (PDF)").click()
    saved = tmp_path / "certificat.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Page de vérification de ce document").click()
    page.wait_for_url(f"**/verifier/{certificate.number}/")
    expect(page.get_by_role("status")).to_contain_text("Document valide.")
    context.close()
