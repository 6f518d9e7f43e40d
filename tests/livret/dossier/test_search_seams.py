"""The seams search hangs on: every write of indexed text (evidence pages, narratives) and
every piece that stops counting is announced once, after the commit, with the ids to
(re)index; a write rolled back or refused announces nothing; and no other code path writes
that text.
"""

import ast
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from livret import signals
from livret.dossier.evidence import extraction, tasks
from livret.dossier.evidence.refusals import EvidenceRefused
from livret.dossier.evidence.services import (
    delete_evidence,
    replace_evidence,
    upload_evidence,
    withdraw_evidence,
)
from livret.dossier.models import Evidence, Narrative
from livret.dossier.narratives.services import (
    NarrativeConflict,
    restore_revision,
    save_narrative,
)
from livret.dossier.services import dossier_for
from livret.enums import EvidenceKind, ExtractionStatus
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.pdf_samples import text_pdf
from vae import services as candidacy_services
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

SIGNALS = {
    "evidence_text_extracted": signals.evidence_text_extracted,
    "evidence_removed": signals.evidence_removed,
    "narrative_saved": signals.narrative_saved,
}


class Boom(Exception):
    pass


@pytest.fixture
def sent():
    """Every livret signal sent during the test: (name, sender, arguments)."""
    received = []
    receivers = {}
    for name, signal in SIGNALS.items():

        def receiver(sender, signal, name=name, **arguments):
            received.append((name, sender, arguments))

        receivers[name] = receiver
        signal.connect(receiver, weak=False, dispatch_uid=f"test-{name}")
    yield received
    for name, signal in SIGNALS.items():
        signal.disconnect(dispatch_uid=f"test-{name}")


@pytest.fixture
def eligible(referentiel):
    """An eligible candidacy with an empty livret 2."""
    return CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")


@pytest.fixture
def frozen(referentiel):
    """A complete dossier submitted then returned: editable, its evidence frozen."""
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    candidacy_services.submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    candidacy_services.return_dossier(
        candidacy=candidacy, by=UserFactory(role=Role.CERTIFIER), comment="Complétez."
    )
    candidacy.refresh_from_db()
    return candidacy


def pdf(name="piece.pdf", *texts):
    return SimpleUploadedFile(name, text_pdf(list(texts) or [name]), "application/pdf")


def add_piece(candidacy, name="piece.pdf", *texts):
    return upload_evidence(
        dossier=dossier_for(candidacy),
        by=candidacy.candidate,
        uploaded=pdf(name, *texts),
        title=name,
        kind=EvidenceKind.OTHER,
    ).evidence


def first_activity(candidacy):
    return candidacy.referentiel_tree()[0].activities.all()[0]


def frozen_piece(candidacy):
    return Evidence.objects.filter(dossier__candidacy=candidacy).order_by("pk").first()


# -- sent once, after the commit, with the ids ---------------------------------------------


def test_extracted_text_is_announced_after_its_commit(
    eligible, sent, django_capture_on_commit_callbacks
):
    evidence = add_piece(eligible, "bulletins.pdf", "Bulletin de janvier")  # extracted at once
    sent.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.extract(evidence.pk) == ExtractionStatus.READY
        assert sent == []  # not before the commit
    for callback in callbacks:
        callback()
    assert sent == [("evidence_text_extracted", Evidence, {"evidence_id": evidence.pk})]


def test_an_upload_announces_its_text_once_extracted(
    eligible, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = add_piece(eligible, "contrat.pdf", "Contrat CDDU")
    # Extraction is queued by the upload and, immediate here, stores the pages.
    assert sent == [("evidence_text_extracted", Evidence, {"evidence_id": evidence.pk})]
    assert evidence.pages.get().text.strip() == "Contrat CDDU"


def test_a_failed_page_is_still_announced_with_the_others(
    eligible, sent, django_capture_on_commit_callbacks
):
    evidence = add_piece(eligible, "trois.pdf", "un", "deux", "trois")
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        extraction.record_pages(evidence.pk, ["un", "", "trois"], [(2, "illisible")])
    assert sent == [("evidence_text_extracted", Evidence, {"evidence_id": evidence.pk})]
    evidence.refresh_from_db()
    assert evidence.extraction_status == ExtractionStatus.FAILED


def test_an_unreadable_file_changes_no_text_and_announces_nothing(
    eligible, sent, django_capture_on_commit_callbacks
):
    evidence = add_piece(eligible)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        extraction.record_unreadable(evidence.pk, "fichier illisible")
    assert sent == []


def test_a_deleted_piece_is_announced_once_gone(eligible, sent, django_capture_on_commit_callbacks):
    evidence = add_piece(eligible)
    pk = evidence.pk
    sent.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        delete_evidence(evidence=evidence, by=eligible.candidate)
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [
        (
            "evidence_removed",
            Evidence,
            {"evidence_id": pk, "reason": signals.DELETED, "replacement_id": None},
        )
    ]
    assert not Evidence.objects.filter(pk=pk).exists()


def test_a_withdrawn_piece_is_announced(frozen, sent, django_capture_on_commit_callbacks):
    evidence = frozen_piece(frozen)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_evidence(evidence=evidence, by=frozen.candidate)
    assert sent == [
        (
            "evidence_removed",
            Evidence,
            {"evidence_id": evidence.pk, "reason": signals.WITHDRAWN, "replacement_id": None},
        )
    ]


def test_a_replaced_piece_is_announced_with_its_replacement(
    frozen, sent, django_capture_on_commit_callbacks
):
    old = frozen_piece(frozen)
    with django_capture_on_commit_callbacks(execute=True):
        change = replace_evidence(
            evidence=old,
            by=frozen.candidate,
            uploaded=pdf("v2.pdf", "Version corrigée"),
            title="Version 2",
            kind=EvidenceKind.OTHER,
        )
    new = change.evidence
    assert sent == [
        (
            "evidence_removed",
            Evidence,
            {"evidence_id": old.pk, "reason": signals.REPLACED, "replacement_id": new.pk},
        ),
        # The new version's text, once the queued extraction (immediate here) stored it.
        ("evidence_text_extracted", Evidence, {"evidence_id": new.pk}),
    ]


def test_a_saved_narrative_is_announced_after_its_commit(
    eligible, sent, django_capture_on_commit_callbacks
):
    dossier, activity = dossier_for(eligible), first_activity(eligible)
    with django_capture_on_commit_callbacks() as callbacks:
        saved = save_narrative((dossier, activity), eligible.candidate, "Mon premier récit.", 0)
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [("narrative_saved", Narrative, {"narrative_id": saved.narrative.pk})]


def test_the_autosave_endpoint_announces_the_narrative(
    eligible, client, sent, django_capture_on_commit_callbacks
):
    activity = first_activity(eligible)
    log_in(client, eligible.candidate)
    address = reverse(
        "livret:narrative_autosave",
        kwargs={"candidacy_pk": eligible.pk, "activity_pk": activity.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"text": "Écrit dans l'éditeur.", "base_version": 0})
    assert response.status_code == 200
    narrative = Narrative.objects.get(dossier__candidacy=eligible, activity=activity)
    assert sent == [("narrative_saved", Narrative, {"narrative_id": narrative.pk})]


def test_a_restored_narrative_is_announced(eligible, sent, django_capture_on_commit_callbacks):
    dossier, activity, by = dossier_for(eligible), first_activity(eligible), eligible.candidate
    first = save_narrative((dossier, activity), by, "Version une, assez longue.", 0).narrative
    save_narrative((dossier, activity), by, "V2", first.version)
    revision = first.revisions.get()
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert restore_revision(revision, by).changed
    assert sent == [("narrative_saved", Narrative, {"narrative_id": first.pk})]


# -- nothing sent when nothing changed, or when rolled back --------------------------------


def test_a_save_that_changes_nothing_announces_nothing(
    eligible, sent, django_capture_on_commit_callbacks
):
    dossier, activity, by = dossier_for(eligible), first_activity(eligible), eligible.candidate
    saved = save_narrative((dossier, activity), by, "Le même texte.", 0)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = save_narrative((dossier, activity), by, "Le même texte.", saved.narrative.version)
    assert not again.changed
    assert sent == []


def test_a_conflicting_save_announces_nothing(eligible, sent, django_capture_on_commit_callbacks):
    dossier, activity, by = dossier_for(eligible), first_activity(eligible), eligible.candidate
    save_narrative((dossier, activity), by, "Depuis l'ordinateur.", 0)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NarrativeConflict):
        save_narrative((dossier, activity), by, "Depuis le téléphone.", 0)
    assert sent == []


def test_a_refused_deletion_announces_nothing(frozen, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EvidenceRefused):
        delete_evidence(evidence=frozen_piece(frozen), by=frozen.candidate)
    assert sent == []


ROLLED_BACK_WRITES = {
    "narrative": lambda c: save_narrative(
        (dossier_for(c), first_activity(c)), c.candidate, "Un récit annulé.", 0
    ),
    "extraction": lambda c: extraction.record_pages(
        Evidence.objects.filter(dossier__candidacy=c).get().pk, ["annulé"], []
    ),
    "deletion": lambda c: delete_evidence(
        evidence=Evidence.objects.filter(dossier__candidacy=c).get(), by=c.candidate
    ),
}


@pytest.mark.parametrize("write", ROLLED_BACK_WRITES)
def test_a_write_rolled_back_announces_nothing(
    eligible, sent, django_capture_on_commit_callbacks, write
):
    add_piece(eligible)
    sent.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        ROLLED_BACK_WRITES[write](eligible)
        raise Boom
    assert callbacks == []
    assert sent == []


def test_a_withdrawal_rolled_back_announces_nothing(
    frozen, sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        withdraw_evidence(evidence=frozen_piece(frozen), by=frozen.candidate)
        raise Boom
    assert callbacks == []
    assert sent == []


# -- no second path ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
# The fields search indexes, per model.
INDEXED = {"Narrative": {"text"}, "EvidencePage": {"text"}, "Evidence": {"title"}}
# Rows whose whole content is indexed: created only by the services that announce them.
CREATED_BY_SERVICES = {"Narrative", "EvidencePage"}
WRITERS = {
    Path("livret/dossier/narratives/services.py"),
    Path("livret/dossier/evidence/extraction.py"),
}
# The tests set up their data directly; everything else (the demo included) goes through
# the services.
NOT_CHECKED = {"tests"}
CREATING = {"create", "get_or_create", "update_or_create", "bulk_create"}


def _is_indexed_write(call: ast.Call) -> bool:
    """``Model.objects….update(<indexed field>=…)``, a ``bulk_update`` naming an indexed
    field, or the creation of a row of ``CREATED_BY_SERVICES`` (``Model.objects.create``,
    ``bulk_create``, ``Model(…)``)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in CREATED_BY_SERVICES
    models = {n.id for n in ast.walk(func) if isinstance(n, ast.Name)} & INDEXED.keys()
    if not models or not isinstance(func, ast.Attribute):
        return False
    fields = set().union(*(INDEXED[model] for model in models))
    if func.attr == "update":
        return bool(fields & {keyword.arg for keyword in call.keywords})
    if func.attr == "bulk_update":
        return bool(fields & {n.value for n in ast.walk(call) if isinstance(n, ast.Constant)})
    return func.attr in CREATING and bool(models & CREATED_BY_SERVICES)


def _writes_of_indexed_text(tree) -> list[int]:
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_indexed_write(node)
    )


def test_only_the_services_write_the_indexed_text():
    found = {}
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in NOT_CHECKED or relative.parts[0].startswith("."):
            continue
        if "migrations" in relative.parts or relative in WRITERS:
            continue
        lines = _writes_of_indexed_text(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[str(relative)] = lines
    assert found == {}


def test_the_check_finds_a_write_that_bypasses_the_services():
    code = """
Narrative.objects.filter(pk=1).update(text="contourné")
EvidencePage.objects.bulk_create([EvidencePage(evidence_id=1, number=1, text="x")])
Evidence.objects.filter(pk=1).update(title="renommée")
Narrative.objects.create(dossier_id=1, activity_id=1, text="x")
EvidencePage.objects.bulk_update(pages, ["text"])
Narrative.objects.filter(pk=1).update(version=2)
Evidence.objects.filter(pk=1).update(extraction_status="ready")
Evidence.objects.bulk_update(pieces, ["first_submission"])
Narrative.objects.filter(dossier_id=1).first()
"""
    assert _writes_of_indexed_text(ast.parse(code)) == [2, 3, 3, 4, 5, 6]
