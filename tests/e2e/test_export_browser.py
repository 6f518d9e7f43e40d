"""The livret 2 export tab in a real browser: « En préparation… » while the PDF is being
rendered, then the link, shown in place (static/js/document-status.js) without a reload.

Runs when /usr/bin/chromium exists (as the tests of tests/e2e), skipped otherwise.
"""

import pytest

from tests.documents import run_document_tasks
from tests.factories import CandidacyFactory
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_export_link_appears_once_the_pdf_is_ready(
    sign_in,
    referentiel,
    browser_page,
    client,
    live_server,
    settings,
):
    # The visit only queues the rendering: it stays pending until the test runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    context, page = browser_page
    sign_in(context, candidacy.candidate)

    page.goto(f"/candidature/{candidacy.pk}/livret-2/export/")
    status = page.locator("[data-document-status-url]").first
    assert status.locator("[aria-live=polite]").inner_text().strip().endswith("En préparation…")
    link = page.get_by_role("link", name="Télécharger le PDF", exact=True)
    assert not link.is_visible()
    assert page.get_by_role("link", name="Actualiser").is_visible()
    page.evaluate("window.__stillHere = true")  # a marker that a reload would wipe out

    run_document_tasks()

    link.wait_for(state="visible")
    assert page.evaluate("window.__stillHere") is True
    assert status.get_attribute("data-status") == "ready"
    assert "Prêt (PDF, " in status.inner_text()
    page.locator("[data-document-refresh]").first.wait_for(state="hidden")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"livret2-{candidacy.reference}.pdf"
    page.check_a11y()
