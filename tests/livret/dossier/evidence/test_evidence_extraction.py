"""Text extraction of evidence files: the task, its failures, and the command re-running it."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdfium2 import PdfTextPage

from livret.dossier.evidence import tasks
from livret.dossier.evidence.presentation import dossier_evidence
from livret.dossier.evidence.tasks import extract_evidence_text
from livret.enums import ExtractionStatus
from livret.models import Evidence, EvidencePage
from tests.accounts import log_in
from tests.factories import CandidacyFactory
from tests.livret.dossier.evidence.support import jpeg_bytes, png_bytes, upload_service
from tests.livret.helpers import url
from tests.pdf_samples import text_pdf
from vae.enums import CandidacyState


@pytest.fixture
def eligible(referentiel):
    return CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")


def pages_of(evidence) -> list[str]:
    return [page.text.strip() for page in evidence.pages.order_by("number")]


def new_pdf(candidacy, texts, title="Bulletins"):
    return upload_service(candidacy, text_pdf(texts), title=title).evidence


def test_the_task_reads_each_page(eligible):
    evidence = new_pdf(eligible, ["Bulletin de paie\nJanvier 2024", "Contrat CDDU", "Fin"])
    assert evidence.extraction_status == ExtractionStatus.PENDING
    result = extract_evidence_text.enqueue(evidence.pk)  # immediate backend in tests
    assert result.return_value == ExtractionStatus.READY
    evidence.refresh_from_db()
    assert evidence.extraction_status == ExtractionStatus.READY
    assert evidence.extraction_error == ""
    assert evidence.extracted_at is not None
    assert pages_of(evidence) == ["Bulletin de paie\nJanvier 2024", "Contrat CDDU", "Fin"]
    assert list(evidence.pages.values_list("number", flat=True)) == [1, 2, 3]


def test_running_it_again_replaces_the_pages(eligible):
    evidence = new_pdf(eligible, ["un", "deux"])
    tasks.extract(evidence.pk)
    first_ids = set(evidence.pages.values_list("pk", flat=True))
    EvidencePage.objects.filter(evidence=evidence, number=1).update(text="périmé")
    tasks.extract(evidence.pk)
    assert pages_of(evidence) == ["un", "deux"]
    assert evidence.pages.count() == 2
    assert not first_ids & set(evidence.pages.values_list("pk", flat=True))


def test_many_pages_are_inserted_in_batches(eligible, django_assert_max_num_queries):
    evidence = new_pdf(eligible, [f"page {n}" for n in range(1, 251)])
    # 250 pages: 3 inserts of at most 100 rows, not 250 queries.
    with django_assert_max_num_queries(12):
        tasks.extract(evidence.pk)
    assert evidence.pages.count() == 250
    assert evidence.pages.get(number=250).text.strip() == "page 250"


@pytest.mark.parametrize("maker", [jpeg_bytes, png_bytes])
def test_an_image_gets_one_page_without_text(eligible, maker):
    evidence = upload_service(eligible, maker(), name="scan.img").evidence
    assert tasks.extract(evidence.pk) == ExtractionStatus.READY
    assert pages_of(evidence) == [""]


def test_a_failing_page_keeps_the_others_and_marks_the_piece_failed(eligible, monkeypatch, caplog):
    evidence = new_pdf(eligible, ["page un", "page deux", "page trois"])
    real = PdfTextPage.get_text_range

    def flaky(self, *args, **kwargs):
        text = real(self, *args, **kwargs)
        if "deux" in text:
            raise ValueError("flux de contenu illisible")
        return text

    monkeypatch.setattr(PdfTextPage, "get_text_range", flaky)
    assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    evidence.refresh_from_db()
    assert evidence.extraction_status == ExtractionStatus.FAILED
    # The candidate reads which page and what to do, not the library's message, which
    # goes to the log, once.
    assert evidence.extraction_error.startswith(
        "Le texte de la page 2 n'a pas pu être lu : les autres pages restent lisibles"
    )
    assert "numérisez-le" in evidence.extraction_error
    assert "illisible" not in evidence.extraction_error
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        f"Evidence {evidence.pk}: 1 page(s) unreadable, first page 2: "
        "ValueError: flux de contenu illisible"
    ]
    assert pages_of(evidence) == ["page un", "", "page trois"]


def test_several_failing_pages_are_counted(eligible, monkeypatch):
    evidence = new_pdf(eligible, ["a", "b", "c"])

    def broken(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(PdfTextPage, "get_text_range", broken)
    tasks.extract(evidence.pk)
    evidence.refresh_from_db()
    assert evidence.extraction_error.startswith(
        "Le texte de la page 1 n'a pas pu être lu (et 2 autres pages) : "
    )
    assert "boom" not in evidence.extraction_error


def test_an_unreadable_file_fails_with_a_french_reason(eligible):
    evidence = new_pdf(eligible, ["a"])
    EvidencePage.objects.create(evidence=evidence, number=1, text="ancien texte")
    Path(evidence.file.path).unlink()
    assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    evidence.refresh_from_db()
    assert evidence.extraction_error.startswith("Le fichier n'a pas pu être lu : ")
    assert evidence.extracted_at is not None
    # A failure to open changes no page: what was read before stays.
    assert pages_of(evidence) == ["ancien texte"]


def test_a_deleted_piece_is_skipped(eligible):
    assert tasks.extract(999999) == "missing"


def test_the_status_endpoint_follows_the_extraction(eligible, client):
    evidence = new_pdf(eligible, ["a", "b"])
    log_in(client, eligible.candidate)
    status_url = url("livret:evidence_status", eligible)
    before = client.get(status_url).json()
    assert before == {
        "done": False,
        "evidence": {
            str(evidence.pk): {"status": "pending", "label": "En attente", "final": False}
        },
    }
    tasks.extract(evidence.pk)
    after = client.get(status_url).json()
    assert after == {
        "done": True,
        "evidence": {
            str(evidence.pk): {"status": "ready", "label": "Prête (2 pages)", "final": True}
        },
    }


def test_a_scanned_pdf_is_ready_without_text(eligible):
    evidence = new_pdf(eligible, ["", ""])
    tasks.extract(evidence.pk)
    (described,) = dossier_evidence(eligible.dossier)
    assert described.status_text == "Prête (2 pages, sans texte lisible : document numérisé ?)"


# -- the management command -----------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("extract_evidence", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_pending_pieces_by_default(eligible):
    pending = new_pdf(eligible, ["en attente"], title="En attente")
    ready = new_pdf(eligible, ["prête"], title="Prête")
    tasks.extract(ready.pk)
    EvidencePage.objects.filter(evidence=ready).update(text="inchangé")
    output = run()
    assert f"{pending.pk} « En attente » : Prête" in output
    assert "1 pièce(s) traitée(s), 1 prête(s)." in output
    assert pages_of(pending) == ["en attente"]
    assert pages_of(ready) == ["inchangé"]


def test_the_command_reruns_failed_pieces(eligible):
    failed = new_pdf(eligible, ["à refaire"], title="À refaire")
    Evidence.objects.filter(pk=failed.pk).update(
        extraction_status=ExtractionStatus.FAILED, extraction_error="ancien échec"
    )
    pending = new_pdf(eligible, ["autre"], title="Autre")
    output = run("--failed")
    assert f"{failed.pk} « À refaire » : Prête" in output
    failed.refresh_from_db()
    pending.refresh_from_db()
    assert failed.extraction_status == ExtractionStatus.READY
    assert failed.extraction_error == ""
    assert pending.extraction_status == ExtractionStatus.PENDING


def test_the_command_all_and_ids(eligible):
    one = new_pdf(eligible, ["un"], title="Un")
    two = new_pdf(eligible, ["deux"], title="Deux")
    assert "2 pièce(s) traitée(s), 2 prête(s)." in run("--all")
    Path(two.file.path).unlink()
    output = run(str(two.pk))
    assert "Le fichier n'a pas pu être lu" in output
    assert f"{one.pk} «" not in output
    with pytest.raises(CommandError, match="Pièces introuvables : 999999"):
        run("999999")
    with pytest.raises(CommandError):
        run("--all", "--failed")


def test_the_command_with_nothing_to_do(eligible):
    assert "Aucune pièce à traiter." in run()


def test_pages_with_text_are_counted_when_stored_and_read_without_the_texts(eligible):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from livret.dossier.evidence import extraction

    evidence = new_pdf(eligible, ["Bulletin", "", "Contrat"])
    assert evidence.text_pages is None  # nothing stored yet
    extraction.record_pages(evidence.pk, ["Bulletin", "", "Contrat"], [])
    evidence.refresh_from_db()
    assert evidence.text_pages == 2
    extraction.record_pages(evidence.pk, ["", ""], [])
    with CaptureQueriesContext(connection) as queries:
        (described,) = dossier_evidence(eligible.dossier)
    assert described.text_pages == 0
    assert "sans texte lisible" in described.status_text
    assert not [q for q in queries.captured_queries if "livret_evidencepage" in q["sql"]]
