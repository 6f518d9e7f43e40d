"""The candidate's « Mes données personnelles » in a real browser: reached from the
dashboard, checked by axe, the archive downloaded with a click; the privacy notice reached
from the footer.

Runs when /usr/bin/chromium exists (as the tests of tests/e2e), skipped otherwise.
"""

import io
import json
import zipfile

import pytest

from tests.factories import CandidacyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_candidate_downloads_their_data_from_their_space(sign_in, site, browser_page):
    candidacy = CandidacyFactory(dossier_submitted=True)
    context, page = browser_page
    sign_in(context, candidacy.candidate)

    page.goto("/candidature/")
    page.get_by_role("link", name="Télécharger tout ce que la plateforme conserve").click()
    page.get_by_role("heading", level=1, name="Mes données personnelles").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données (ZIP)").click()
    assert download.value.suggested_filename.startswith("mes-donnees-vae-")
    with open(download.value.path(), "rb") as stream:
        archive = zipfile.ZipFile(io.BytesIO(stream.read()))
    data = json.loads(archive.read("donnees.json"))
    assert data["compte"]["candidatures"][0]["référence"] == candidacy.reference
    assert any("/pieces/" in name for name in archive.namelist())

    page.get_by_role("contentinfo").get_by_role("link", name="Politique de confidentialité").click()
    page.get_by_role("heading", level=1, name="Politique de confidentialité").wait_for()
    page.check_a11y()
