"""Who may open the export tab and download the PDF of livret 2, in which states."""

import pytest
from django.urls import reverse

from tests.accounts import log_in
from tests.documents import get_pdf, pdf_bytes, run_document_tasks
from tests.factories import CandidacyFactory
from tests.livret.helpers import make_user, page
from vae import services
from vae.enums import CandidacyState, DocumentKind
from vae.models import GeneratedDocument

pytestmark = pytest.mark.django_db

TAB = "livret:dossier_pdf"
DOWNLOAD = "livret:dossier_pdf_download"


def url(name, candidacy):
    return reverse(name, kwargs={"candidacy_pk": candidacy.pk})


def test_urls():
    assert reverse(TAB, kwargs={"candidacy_pk": 42}) == "/candidature/42/livret-2/export/"
    assert reverse(DOWNLOAD, kwargs={"candidacy_pk": 42}) == (
        "/candidature/42/livret-2/export/telecharger/"
    )


@pytest.mark.parametrize("name", [TAB, DOWNLOAD])
def test_anonymous_is_sent_to_the_login_page(client, eligible, name):
    response = client.get(url(name, eligible))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [TAB, DOWNLOAD])
@pytest.mark.parametrize("kind", ["candidate", "evaluator", "jury"])
def test_anyone_but_the_owner_and_the_certifiers_gets_404(client, eligible, name, kind):
    log_in(client, make_user(kind))  # another candidate, an evaluator, a jury member

    response = client.get(url(name, eligible))

    assert response.status_code == 404
    assert eligible.candidate.get_full_name() not in response.content.decode()


def test_a_certifier_downloads_the_pdf_but_has_no_candidate_tab(client, eligible):
    log_in(client, make_user("certifier"))

    response = get_pdf(client, url(DOWNLOAD, eligible))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_bytes(response).startswith(b"%PDF-")
    # The tab belongs to the candidate's own pages (the back office has its own).
    assert client.get(url(TAB, eligible)).status_code == 404


@pytest.mark.parametrize(
    "state",
    [CandidacyState.DRAFT, CandidacyState.ELIGIBILITY_SUBMITTED, CandidacyState.INELIGIBLE],
)
@pytest.mark.parametrize("kind", ["owner", "certifier"])
def test_no_export_before_the_dossier_exists(client, referentiel, state, kind):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate if kind == "owner" else make_user("certifier"))

    assert client.get(url(TAB, candidacy)).status_code == 404
    assert client.get(url(DOWNLOAD, candidacy)).status_code == 404


@pytest.mark.parametrize("name", [TAB, DOWNLOAD])
def test_post_is_refused(client, eligible, name):
    log_in(client, eligible.candidate)

    assert client.post(url(name, eligible)).status_code == 405


def document_url(candidacy, key="current"):
    document = GeneratedDocument.objects.get(
        candidacy=candidacy, kind=DocumentKind.LIVRET2, key=key
    )
    return reverse("documents:download", args=[document.pk])


def test_the_candidate_exports_a_working_version(client, eligible):
    log_in(client, eligible.candidate)

    response = client.get(url(TAB, eligible))

    assert response.status_code == 200
    html = page(response)
    assert "Export PDF du livret 2" in html
    assert "votre version de travail" in html
    assert "Versions déposées" not in html
    assert 'aria-current="page">Export PDF' in html
    # Asked for by the visit, rendered by the worker: « en préparation » until then.
    assert 'aria-live="polite"' in html and "En préparation…" in html
    assert "Actualiser" in html
    run_document_tasks()
    html = page(client.get(url(TAB, eligible)))
    assert "En préparation…" not in html and "Prêt (PDF, " in html
    assert f'href="{document_url(eligible)}"' in html
    assert "Télécharger le PDF" in html
    download = client.get(document_url(eligible))
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="livret2-{eligible.reference}.pdf"'
    )
    assert pdf_bytes(download).startswith(b"%PDF-")


def test_the_candidate_exports_the_submitted_dossier(client, eligible):
    services.submit_dossier(candidacy=eligible, by=eligible.candidate)
    run_document_tasks()  # the rendering queued by the submission itself
    log_in(client, eligible.candidate)

    response = client.get(url(TAB, eligible))

    assert response.status_code == 200
    html = page(response)
    assert "Votre dossier est déposé depuis le" in html
    assert "Versions déposées" in html
    assert f'href="{document_url(eligible, "depot-1")}"' in html
    assert "Télécharger le PDF du dépôt n° 1" in html
    # The current version is the submitted one: no second rendering of the same content.
    assert not GeneratedDocument.objects.filter(candidacy=eligible, key="current").exists()
    assert pdf_bytes(client.get(url(DOWNLOAD, eligible), {"depot": "1"})).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "state", [CandidacyState.DOSSIER_SUBMITTED, CandidacyState.WITHDRAWN, CandidacyState.DECIDED]
)
def test_the_export_stays_open_once_the_dossier_exists(client, referentiel, state):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate)

    assert client.get(url(TAB, candidacy)).status_code == 200
