"""The evidence list in a real browser: upload through the form, then the extraction status
updating in place (static/js/evidence-status.js) without reloading the page.

Runs when /usr/bin/chromium exists (as the tests of tests/e2e), skipped otherwise.
"""

import pytest
from playwright.sync_api import expect

from livret.dossier.evidence import tasks
from livret.models import Evidence
from tests.factories import CandidacyFactory
from tests.pdf_samples import text_pdf
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_then_status_updates_without_reload(
    sign_in, referentiel, browser_page, client, live_server, settings, tmp_path
):
    # The upload only queues the extraction: it stays pending until the test runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    context, page = browser_page
    sign_in(context, candidacy.candidate)

    pdf = tmp_path / "contrat.pdf"
    pdf.write_bytes(text_pdf(["Contrat de travail", "Avenant"]))
    page.goto(f"/candidature/{candidacy.pk}/livret-2/pieces/ajouter/")
    page.get_by_label("Titre de la pièce").fill("Contrat CDDU 2023")
    page.get_by_label("Nature de la pièce").select_option(label="Contrat de travail")
    page.get_by_label("Fichier").set_input_files(str(pdf))
    page.get_by_role("button", name="Joindre la pièce").click()

    page.get_by_text("La pièce « Contrat CDDU 2023 » est jointe à votre dossier.").wait_for()
    badge = page.locator("[data-evidence-id]")
    assert badge.inner_text().strip().endswith("En attente")
    assert page.get_by_role("link", name="Actualiser").is_visible()
    # A marker that a reload would wipe out.
    page.evaluate("window.__stillHere = true")

    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    tasks.extract(evidence.pk)

    # A locator, not a wait_for_function expression: Playwright evaluates a bare
    # expression with eval(), which the page's CSP (no 'unsafe-eval') refuses.
    expect(page.locator("[data-evidence-label]")).to_have_text("Prête (2 pages)")
    assert page.evaluate("window.__stillHere") is True
    assert badge.get_attribute("aria-live") == "polite"
    assert "evidence-status--ready" in badge.get_attribute("class")
    page.locator("[data-evidence-refresh]").wait_for(state="hidden")
    page.check_a11y()  # the status changed in place: axe looks at the page again


def test_a_refused_file_keeps_what_was_typed(
    sign_in, referentiel, browser_page, client, live_server, tmp_path
):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    context, page = browser_page
    sign_in(context, candidacy.candidate)
    fake = tmp_path / "bulletin.pdf"
    fake.write_text("<!DOCTYPE html><html><body>Pas un PDF</body></html>")
    page.goto(f"/candidature/{candidacy.pk}/livret-2/pieces/ajouter/")
    page.get_by_label("Titre de la pièce").fill("Bulletin de mars")
    page.get_by_label("Nature de la pièce").select_option(label="Bulletin de paie")
    page.get_by_label("Fichier").set_input_files(str(fake))
    page.get_by_role("button", name="Joindre la pièce").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "c'est une page web (HTML)" in alert.inner_text()
    assert page.get_by_label("Titre de la pièce").input_value() == "Bulletin de mars"
    assert page.get_by_label("Nature de la pièce").input_value() == "bulletin_paie"
    assert not Evidence.objects.filter(dossier__candidacy=candidacy).exists()
