"""The livret 2 PDF as a generated document: rendered in a task after the commit, stored
with its SHA-256, rendered again only when the dossier changed, the submitted version
rendered once at the submission and never again; its status and download, for whom."""

import dataclasses
import datetime
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from livret.dossier.export import request_export
from livret.dossier.services import dossier_for
from livret.models import Narrative
from tests.accounts import log_in
from tests.documents import pdf_bytes, run_document_tasks
from tests.factories import CandidacyFactory
from tests.livret.helpers import make_user, page
from vae import services
from vae.documents import registry, tasks
from vae.documents.services import LOST_AFTER
from vae.enums import CandidacyState, DocumentKind, DocumentStatus
from vae.models import GeneratedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts the renderings of livret 2 PDFs (the real renderer still runs)."""
    kind = registry.document_type(DocumentKind.LIVRET2)
    calls = []

    def counted(document):
        calls.append(document.key)
        return kind.render(document)

    monkeypatch.setitem(registry._types, kind.kind, dataclasses.replace(kind, render=counted))
    return calls


def current(candidacy):
    return request_export(candidacy, dossier_for(candidacy))


def status(client, document):
    return client.get(reverse("documents:status", args=[document.pk]))


def test_the_pdf_is_rendered_in_a_task_after_the_commit_and_stored_with_its_sha256(
    eligible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = current(eligible)
        # Nothing rendered before the commit: the request only asked.
        assert document.status == DocumentStatus.PENDING and not document.file

    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    data = document.file.read()
    document.file.close()
    assert data.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.finished_at is not None
    # Stored privately: under MEDIA_ROOT/documents, with no public URL.
    assert Path(document.file.path).is_relative_to(Path(settings.MEDIA_ROOT) / "documents")
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


def test_the_current_version_is_rendered_again_only_when_the_dossier_changed(eligible, renders):
    first = current(eligible)
    run_document_tasks()
    first.refresh_from_db()
    old_file = first.file.path

    # Asked again, unchanged: nothing queued, nothing rendered.
    assert current(eligible).status == DocumentStatus.READY
    assert run_document_tasks() == 0
    assert renders == ["current"]

    narrative = Narrative.objects.filter(dossier__candidacy=eligible).first()
    Narrative.objects.filter(pk=narrative.pk).update(text="Un récit réécrit.", version=7)
    again = current(eligible)
    assert again.pk == first.pk and again.status == DocumentStatus.PENDING
    run_document_tasks()
    again.refresh_from_db()
    assert renders == ["current", "current"]
    assert again.status == DocumentStatus.READY and again.sha256 != first.sha256
    assert not Path(old_file).exists()  # the outdated file is not kept


def test_a_task_for_an_outdated_version_stores_nothing(eligible):
    document = current(eligible)
    outdated = document.version
    Narrative.objects.filter(dossier__candidacy=eligible).update(version=9)
    current(eligible)

    assert tasks.generate(document.pk, outdated) == tasks.STALE
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and not document.file


def test_the_submitted_version_is_rendered_once_at_the_submission(
    eligible, certifier, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_dossier(candidacy=eligible, by=eligible.candidate)

    submitted = GeneratedDocument.objects.get(candidacy=eligible, key="depot-1")
    assert submitted.status == DocumentStatus.READY and submitted.frozen
    assert renders == ["depot-1"]
    sha256 = submitted.sha256

    # Returned, changed, asked again: the PDF of submission 1 is never rendered again.
    services.return_dossier(candidacy=eligible, by=certifier, comment="Précisez le récit 1.1.")
    Narrative.objects.filter(dossier__candidacy=eligible).update(text="Corrigé.", version=5)
    dossier = dossier_for(eligible)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = request_export(eligible, dossier, dossier.submissions.get(number=1))
    assert callbacks == []
    assert again.sha256 == sha256
    assert renders == ["depot-1"]


def test_a_failure_is_recorded_in_french_and_retried_when_asked_again(eligible, monkeypatch):
    kind = registry.document_type(DocumentKind.LIVRET2)

    def broken(document):
        raise RuntimeError("police absente")

    monkeypatch.setitem(registry._types, kind.kind, dataclasses.replace(kind, render=broken))
    document = current(eligible)
    run_document_tasks()
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "La création du PDF n'a pas abouti."

    monkeypatch.setitem(registry._types, DocumentKind.LIVRET2, kind)
    assert current(eligible).status == DocumentStatus.PENDING  # asked again: queued again
    run_document_tasks()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.error == ""


# -- the page, the status and the download ----------------------------------------------


def test_the_download_says_en_preparation_then_serves_the_stored_file(client, eligible):
    log_in(client, eligible.candidate)
    url = reverse("livret:dossier_pdf_download", kwargs={"candidacy_pk": eligible.pk})

    waiting = client.get(url)

    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    html = page(waiting)
    assert "En préparation…" in html and 'aria-live="polite"' in html
    document = GeneratedDocument.objects.get(candidacy=eligible)
    assert f'data-document-status-url="{reverse("documents:status", args=[document.pk])}"' in html
    state = json.loads(status(client, document).content)
    assert state["status"] == "pending" and state["final"] is False and state["url"] == ""

    run_document_tasks()
    state = json.loads(status(client, document).content)
    assert state["status"] == "ready" and state["final"] is True
    assert state["label"].startswith("Prêt (PDF, ") and state["label"].endswith(" Ko)")
    assert state["url"] == reverse("documents:download", args=[document.pk])
    served = client.get(url)
    data = pdf_bytes(served)
    assert hashlib.sha256(data).hexdigest() == state["sha256"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in served["Cache-Control"]


@pytest.fixture
def ready(eligible):
    document = current(eligible)
    run_document_tasks()
    document.refresh_from_db()
    return document


@pytest.mark.parametrize("name", ["documents:download", "documents:status"])
def test_anonymous_is_sent_to_the_login_page(client, ready, name):
    response = client.get(reverse(name, args=[ready.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["documents:download", "documents:status"])
@pytest.mark.parametrize("kind", ["candidate", "evaluator", "jury"])
def test_anyone_but_the_owner_and_the_certifiers_gets_404(client, ready, name, kind):
    log_in(client, make_user(kind))  # another candidate, an unassigned evaluator, a jury member

    response = client.get(reverse(name, args=[ready.pk]))

    assert response.status_code == 404
    assert ready.candidacy.candidate.get_full_name() not in response.content.decode()


@pytest.mark.parametrize("name", ["documents:download", "documents:status"])
def test_the_owner_of_another_candidacy_gets_404(client, ready, referentiel, name):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    log_in(client, other.candidate)

    assert client.get(reverse(name, args=[ready.pk])).status_code == 404
    assert client.get(reverse(name, args=[ready.pk + 1000])).status_code == 404


@pytest.mark.parametrize("kind", ["owner", "certifier"])
def test_the_owner_and_the_certifiers_download_it(client, ready, kind):
    log_in(client, ready.candidacy.candidate if kind == "owner" else make_user("certifier"))

    response = client.get(reverse("documents:download", args=[ready.pk]))

    assert pdf_bytes(response).startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="livret2-{ready.candidacy.reference}.pdf"'
    )


def test_a_document_not_ready_is_not_downloadable(client, eligible):
    document = current(eligible)
    log_in(client, eligible.candidate)

    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_post_is_refused(client, ready):
    log_in(client, ready.candidacy.candidate)

    for name in ["documents:download", "documents:status"]:
        assert client.post(reverse(name, args=[ready.pk])).status_code == 405


def test_once_the_candidacy_leaves_the_dossier_states_nobody_reads_it(client, ready):
    # A state without a dossier (here forced: no transition leads back there).
    type(ready.candidacy).objects.filter(pk=ready.candidacy.pk).update(
        state=CandidacyState.ELIGIBILITY_SUBMITTED
    )
    log_in(client, ready.candidacy.candidate)

    assert client.get(reverse("documents:download", args=[ready.pk])).status_code == 404


# -- WeasyPrint and PDFium stay out of the web processes -----------------------------------


def test_loading_the_apps_and_the_urls_does_not_import_weasyprint_pdfium_or_pypdf():
    # pypdf costs a web worker about 27 MB: only the box's child that checks a file needs
    # it (livret/dossier/evidence/box.py).
    code = (
        "import sys, django; django.setup();"
        "from django.urls import resolve; resolve('/');"
        "import config.urls, livret.dossier.views, review.views.admin, demo.documents;"
        "import vae.documents.tasks, vae.documents.pdf, livret.dossier.evidence.tasks;"
        "import livret.dossier.evidence.services, livret.dossier.evidence.inspection;"
        "import config.wsgi;"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported';"
        "assert 'pypdfium2' not in sys.modules, 'pypdfium2 imported';"
        "assert 'pypdf' not in sys.modules, 'pypdf imported'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_a_lost_rendering_is_queued_again_when_asked(eligible, django_capture_on_commit_callbacks):
    document = current(eligible)  # queued, but the commit never comes: as if lost
    GeneratedDocument.objects.filter(pk=document.pk).update(
        requested_at=document.requested_at - LOST_AFTER - datetime.timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        current(eligible)

    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


def test_two_tasks_for_the_same_version_leave_one_file(eligible):
    document = current(eligible)
    folder = Path(settings.MEDIA_ROOT) / "documents" / str(eligible.pk)
    before = set(folder.iterdir()) if folder.exists() else set()
    tasks.generate(document.pk, document.version)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.RUNNING)

    tasks.generate(document.pk, document.version)  # a duplicate, run after the first

    document.refresh_from_db()
    assert set(folder.iterdir()) - before == {Path(document.file.path)}
