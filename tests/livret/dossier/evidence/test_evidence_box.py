"""Evidence processing in a box (issue 12): the upload checks and the text extraction run
in a child process with a wall-clock and an address-space limit, killed on overrun.

The two hostile PDFs of the issue are built by ``tests.pdf_samples`` at a scale that the
short limits set here (2 s, 256 MB) stop: each piece ends « échec » with a French reason,
and the worker (this process) is free again. The full-size files and the timings are in
``tests/benchmarks/test_box_bench.py``.
"""

import logging
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from django.utils import timezone

from livret.dossier.evidence import box, inspection, overruns, tasks
from livret.dossier.evidence.refusals import EvidenceRefused
from livret.enums import ExtractionStatus
from livret.models import Evidence, EvidenceOverrun
from tests.factories.vae import UserFactory
from tests.livret.dossier.evidence.support import (
    flat,
    snapshot,
    upload,
    upload_service,
    visible,
)
from tests.pdf_samples import form_bomb_pdf, shared_stream_pdf, text_pdf

SHORT = box.BoxLimits(seconds=2, memory_bytes=256 * 1024 * 1024)

# Library messages a candidate once read as failure reasons.
ENGLISH = ("maximum recursion", "Limit reached", "Error", "error", "Traceback", "decompress")


@pytest.fixture
def short_limits(settings):
    settings.VAE_EVIDENCE_CHECK_SECONDS = 2
    settings.VAE_EVIDENCE_EXTRACT_SECONDS = 2
    settings.VAE_EVIDENCE_BOX_MEMORY_MB = 256
    return settings


def form_bomb() -> bytes:
    # A few hundred bytes; PDFium needs minutes for its one page (it compares every
    # character drawn with the others at the same place).
    return form_bomb_pdf(tokens=4_000, draws=40)


def shared_stream() -> bytes:
    # 60 pages reading one stream of 20 MB of text operators: 80 KB on disk.
    return shared_stream_pdf(pages=60, inflated_bytes=20_000_000)


def assert_worker_free():
    # No child left behind, and the next piece is read as usual.
    assert multiprocessing.active_children() == []


def assert_french_reason(reason: str):
    assert reason.startswith("Ce PDF n'a pas pu être traité : ")
    assert "découpez-le en plusieurs pièces" in reason
    assert "numérisez" in reason
    assert not [word for word in ENGLISH if word in reason]


# -- the box itself -------------------------------------------------------------------------


def test_the_box_returns_what_the_function_returns():
    assert box.run(sorted, [3, 1, 2], limits=SHORT) == [1, 2, 3]


def test_a_refusal_comes_back_whole_and_other_errors_are_failures():
    def refuse():
        raise EvidenceRefused("Ce PDF est endommagé.", code="pdf_damaged")

    with pytest.raises(EvidenceRefused) as refused:
        box.run(refuse, limits=SHORT, answers=(EvidenceRefused,))
    assert (refused.value.message, refused.value.code) == ("Ce PDF est endommagé.", "pdf_damaged")

    with pytest.raises(box.BoxFailure) as failed:
        box.run(refuse, limits=SHORT)  # not an expected answer here
    assert failed.value.kind == box.ERROR
    assert "EvidenceRefused" in failed.value.detail


def test_a_child_past_its_time_is_killed():
    def spin():
        while True:
            pass

    with pytest.raises(box.BoxFailure) as failed:
        box.run(spin, limits=box.BoxLimits(seconds=0.5, memory_bytes=SHORT.memory_bytes))
    assert failed.value.kind == box.TIMEOUT
    assert_worker_free()


def test_a_child_past_its_memory_fails_without_growing_the_parent():
    def hog():
        return len(bytearray(1024 * 1024 * 1024))

    with pytest.raises(box.BoxFailure) as failed:
        box.run(hog, limits=SHORT)
    assert failed.value.kind == box.MEMORY
    assert_worker_free()


def test_a_child_that_dies_is_a_crash():
    def die():
        os.kill(os.getpid(), signal.SIGSEGV)

    with pytest.raises(box.BoxFailure) as failed:
        box.run(die, limits=SHORT)
    assert failed.value.kind == box.CRASH
    assert "SIGSEGV" in failed.value.detail
    assert_worker_free()


def test_the_libraries_log_nothing_in_the_box():
    """One malformed PDF made pypdf log 16,508 lines: in the box its loggers are off."""

    def chatter():
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger().addHandler(handler)
        logging.getLogger("pypdf._reader").warning("Object 12 0 not defined.")
        logging.getLogger("pypdfium2").warning("bruit")
        logging.getLogger("livret.dossier.evidence").warning("ours")
        return [record.getMessage() for record in records]

    assert box.run(chatter, limits=SHORT) == ["ours"]
    assert logging.getLogger("pypdf").level == logging.NOTSET  # silenced in the child only


def test_several_boxes_answer_in_the_order_of_their_calls():
    def identify(number):
        return (number, os.getpid())

    answers = box.run_all(identify, [(number,) for number in range(3)], limits=SHORT)
    assert [number for number, _pid in answers] == [0, 1, 2]
    # Each call ran in a child of its own, none in this process.
    assert len({pid for _number, pid in answers} | {os.getpid()}) == 4
    assert_worker_free()


def test_one_box_that_fails_ends_the_others_at_once():
    def one_dies(number):
        if number == 1:
            os.kill(os.getpid(), signal.SIGSEGV)
        while True:  # the others would spin until their time is up
            pass

    # A limit no test run waits for: the failure of child 1 is seen as it happens, and the
    # spinning children are killed then, not at the end of their time.
    limits = box.BoxLimits(seconds=3600, memory_bytes=SHORT.memory_bytes)
    with pytest.raises(box.BoxFailure) as failed:
        box.run_all(one_dies, [(0,), (1,), (2,)], limits=limits)
    assert failed.value.kind == box.CRASH
    assert "SIGSEGV" in failed.value.detail
    assert_worker_free()


def test_the_wall_clock_limit_counts_for_all_boxes_together():
    def spin(_number):
        while True:
            pass

    limits = box.BoxLimits(seconds=0.5, memory_bytes=SHORT.memory_bytes)
    with pytest.raises(box.BoxFailure) as failed:
        box.run_all(spin, [(0,), (1,)], limits=limits)
    assert failed.value.kind == box.TIMEOUT
    assert_worker_free()


def test_a_large_piece_is_read_by_several_boxes_with_the_same_text(eligible, settings, monkeypatch):
    pages = [f"Relevé n° {number} : cachets, répétitions, Congés Spectacles" for number in range(9)]
    evidence = upload_service(eligible, text_pdf(pages)).evidence
    seen = []
    run_all = box.run_all

    def counting(function, calls, **kwargs):
        seen.append(len(calls))
        return run_all(function, calls, **kwargs)

    monkeypatch.setattr(box, "run_all", counting)
    monkeypatch.setattr(tasks, "PARALLEL_FROM_BYTES", 0)
    settings.VAE_EVIDENCE_EXTRACT_PROCESSES = 3
    assert tasks.extract(evidence.pk) == ExtractionStatus.READY
    assert [page.text for page in evidence.pages.order_by("number")] == pages
    settings.VAE_EVIDENCE_EXTRACT_PROCESSES = 1
    assert tasks.extract(evidence.pk) == ExtractionStatus.READY
    assert [page.text for page in evidence.pages.order_by("number")] == pages
    monkeypatch.setattr(tasks, "PARALLEL_FROM_BYTES", 10**9)  # a small piece: one box
    settings.VAE_EVIDENCE_EXTRACT_PROCESSES = 3
    assert tasks.extract(evidence.pk) == ExtractionStatus.READY
    assert seen == [3, 1, 1]
    assert_worker_free()


# -- the hostile files of the issue ---------------------------------------------------------


@pytest.mark.parametrize("maker", [form_bomb, shared_stream], ids=["form-bomb", "shared-stream"])
def test_a_hostile_pdf_ends_failed_within_the_limit(eligible, short_limits, maker, caplog):
    # Accepted at upload: the structure is sound, only reading the pages is endless.
    evidence = upload_service(eligible, maker(), title="Piège").evidence
    with caplog.at_level(logging.WARNING):
        assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    evidence.refresh_from_db()
    assert evidence.extraction_status == ExtractionStatus.FAILED
    assert evidence.extracted_at is not None
    assert_french_reason(evidence.extraction_error)
    assert not evidence.pages.exists()
    # The technical detail is logged once for the piece.
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert f"evidence {evidence.pk}" in record.getMessage()
    overrun = EvidenceOverrun.objects.get()
    assert (overrun.user, overrun.stage, overrun.sha256) == (
        eligible.candidate,
        EvidenceOverrun.Stage.EXTRACTION,
        evidence.sha256,
    )
    assert_worker_free()
    normal = upload_service(eligible, text_pdf(["Bulletin de paie"]), title="Paie").evidence
    assert tasks.extract(normal.pk) == ExtractionStatus.READY


def test_the_reason_names_the_time_limit(eligible, short_limits):
    evidence = upload_service(eligible, form_bomb()).evidence
    tasks.extract(evidence.pk)
    evidence.refresh_from_db()
    assert "sa lecture a dépassé la durée permise (2 secondes)" in evidence.extraction_error


def test_a_file_too_heavy_for_the_memory_limit_ends_failed(eligible, short_limits):
    short_limits.VAE_EVIDENCE_EXTRACT_SECONDS = 20  # the memory limit is reached first
    short_limits.VAE_EVIDENCE_BOX_MEMORY_MB = 64
    evidence = upload_service(eligible, shared_stream()).evidence
    assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    evidence.refresh_from_db()
    assert_french_reason(evidence.extraction_error)
    assert "sa lecture demandait plus de mémoire que permis" in evidence.extraction_error
    assert EvidenceOverrun.objects.get().kind == box.MEMORY
    assert_worker_free()


@pytest.mark.parametrize("maker", [form_bomb, shared_stream], ids=["form-bomb", "shared-stream"])
def test_the_dev_upload_answers_with_the_piece_failed(
    eligible, owner, short_limits, django_capture_on_commit_callbacks, maker
):
    """With the immediate backend, the extraction runs in the upload request: the box
    bounds it, the request answers and the candidate sees the reason."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(owner, eligible, maker(), title="Piège")
    assert response.status_code == 302
    evidence = Evidence.objects.get(dossier__candidacy=eligible, title="Piège")
    assert evidence.extraction_status == ExtractionStatus.FAILED
    listing = visible(owner.get(response["Location"]))
    assert "Ce PDF n'a pas pu être traité" in listing
    assert_worker_free()


def peak_rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmHWM")


def test_the_worker_memory_does_not_grow_with_a_hostile_pdf(eligible, short_limits):
    # Read in this process, this file takes PDFium well over 100 MB (see the benchmark).
    evidence = upload_service(eligible, shared_stream()).evidence
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = peak_rss_mb()
    assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    assert peak_rss_mb() - before < 50


def test_pages_too_long_to_be_text_are_not_kept(eligible, monkeypatch):
    monkeypatch.setattr("livret.dossier.evidence.text.MAX_PAGE_CHARS", 20)
    evidence = upload_service(eligible, text_pdf(["court", "x" * 30])).evidence
    assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    evidence.refresh_from_db()
    assert [p.text.strip() for p in evidence.pages.order_by("number")] == ["court", ""]
    assert evidence.extraction_error.startswith("Le texte de la page 2 n'a pas pu être lu")


# -- the checks at upload -------------------------------------------------------------------


def spin(*args):
    while True:
        pass


def test_a_check_past_its_limit_refuses_the_upload_and_keeps_nothing(
    eligible, owner, short_limits, monkeypatch, caplog
):
    short_limits.VAE_EVIDENCE_CHECK_SECONDS = 0.5
    monkeypatch.setattr(inspection, "_check_pdf", spin)
    before = snapshot(eligible)
    with caplog.at_level(logging.WARNING):
        response = upload(owner, eligible, text_pdf(["page"]), title="Lent à vérifier")
    assert response.status_code == 200
    text = visible(response)
    assert "Ce PDF n'a pas pu être traité : sa lecture a dépassé la durée permise" in text
    assert 'value="Lent à vérifier"' in response.content.decode()  # what was typed is kept
    assert snapshot(eligible) == before
    assert EvidenceOverrun.objects.get().stage == EvidenceOverrun.Stage.CHECK
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert_worker_free()


# -- slowing down a candidate whose files keep overrunning ---------------------------------


def overrun(user, minutes_ago=0):
    row = EvidenceOverrun.objects.create(user=user, stage="extraction", kind=box.TIMEOUT)
    EvidenceOverrun.objects.filter(pk=row.pk).update(
        occurred_at=timezone.now() - timezone.timedelta(minutes=minutes_ago)
    )


def test_repeated_overruns_slow_the_candidate_down(eligible, owner, settings):
    settings.VAE_EVIDENCE_OVERRUN_LIMIT = 2
    settings.VAE_EVIDENCE_OVERRUN_WINDOW_MINUTES = 60
    overrun(eligible.candidate, minutes_ago=45)
    upload_service(eligible, text_pdf(["une"]), title="Une")  # one overrun: allowed
    overrun(eligible.candidate, minutes_ago=10)
    before = snapshot(eligible)
    response = upload(owner, eligible, text_pdf(["deux"]), title="Deux")
    assert response.status_code == 200
    text = flat(visible(response))
    # The older of the two leaves the window in 15 minutes.
    assert "Récemment, 2 de vos fichiers n'ont pas pu être traités" in text
    assert "attendez 15 minutes avant de déposer un nouveau fichier" in text
    assert snapshot(eligible) == before


def test_overruns_out_of_the_window_or_of_someone_else_do_not_count(eligible, settings):
    settings.VAE_EVIDENCE_OVERRUN_LIMIT = 2
    settings.VAE_EVIDENCE_OVERRUN_WINDOW_MINUTES = 60
    other = UserFactory()
    overrun(eligible.candidate, minutes_ago=61)
    overrun(eligible.candidate, minutes_ago=5)
    overrun(other)
    overrun(other)
    overruns.check_not_slowed_down(eligible.candidate)  # does not raise
    with pytest.raises(EvidenceRefused) as refused:
        overruns.check_not_slowed_down(other)
    assert refused.value.code == "slowed_down"


def test_an_ordinary_unreadable_file_is_not_an_overrun(eligible, monkeypatch):
    def broken(path, part, parts):
        raise ValueError("not a PDF PDFium knows")

    monkeypatch.setattr(tasks, "read_page_part", broken)
    evidence = upload_service(eligible, text_pdf(["page"])).evidence
    assert tasks.extract(evidence.pk) == ExtractionStatus.FAILED
    evidence.refresh_from_db()
    assert evidence.extraction_error.startswith(
        "Ce PDF n'a pas pu être traité : sa structure est trop complexe ou endommagée"
    )
    assert not EvidenceOverrun.objects.exists()
