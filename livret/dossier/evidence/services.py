"""The writes of evidence files: add, replace, delete and withdraw a piece.

Each checks, under the candidacy's lock (``livret.dossier.services.editing``), that the
dossier may still be changed and that the piece may undergo this change, refuses with
an ``EvidenceRefused`` (``refusals``) and changes nothing then, unsigns the sworn
statement, logs what it did, and once committed tells search that a piece stopped
counting (``livret.signals.evidence_removed``). A file's content is checked
(``inspection``) before the transaction: it reads the whole file and needs no lock.
"""

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from livret import signals
from livret.dossier.evidence import box, overruns, refusals, tasks
from livret.dossier.evidence.inspection import Limits, received
from livret.dossier.evidence.refusals import EvidenceRefused
from livret.dossier.models import CompetenceLink, Evidence
from livret.dossier.services import editing, unsign
from livret.enums import EvidenceKind, ExtractionStatus
from vae.storage import local_root

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceChange:
    evidence: Evidence | None
    # The sworn statement was signed and no longer covers the dossier.
    unsigned: bool
    links_deleted: int = 0


def evidence_storage():
    """The storage the evidence files are in: the model field's own (``livret.dossier.storage``
    gives it once, when the model loads; a deployment or a test may swap it since)."""
    return Evidence._meta.get_field("file").storage


def incoming_dir() -> Path:
    """Where uploads wait while they are checked: next to the final files when they are
    on this disk, so that accepting one is a rename, not a copy; else a temporary folder."""
    root = local_root(evidence_storage())
    if root is None:
        root = Path(tempfile.gettempdir()) / "vae-evidence"
    path = root / ".incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- what may happen to a piece ------------------------------------------------------------


def _refuse_duplicate(dossier, sha256: str) -> None:
    existing = Evidence.objects.filter(dossier=dossier, sha256=sha256).first()
    if existing is None:
        return
    withdrawn = existing.withdrawn_at is not None
    raise refusals.duplicate(
        existing.title,
        withdrawn=withdrawn,
        replaced=not withdrawn and not Evidence.objects.filter(pk=existing.pk).current().exists(),
    )


def _locked(evidence) -> Evidence:
    """The evidence row again, locked, after ``editing`` locked the candidacy."""
    return Evidence.objects.select_for_update().get(pk=evidence.pk)


def _refuse_not_current(evidence) -> None:
    if evidence.withdrawn_at is not None:
        raise refusals.already_withdrawn()
    if Evidence.objects.filter(replaces=evidence).exists():
        raise refusals.already_replaced()


def check_deletable(evidence) -> None:
    """Only a piece never submitted is deleted; a submitted one is withdrawn or replaced."""
    if evidence.is_frozen:
        raise refusals.frozen()


def check_withdrawable(evidence) -> None:
    if not evidence.is_frozen:
        raise refusals.withdraw_not_frozen()
    _refuse_not_current(evidence)


def check_replaceable(evidence) -> None:
    if not evidence.is_frozen:
        raise refusals.replace_not_frozen()
    _refuse_not_current(evidence)


# -- the writes ----------------------------------------------------------------------------


def _store(dossier, by, inspection, *, title, kind, replaces) -> Evidence:
    """Insert the row of an inspected upload (inside the transaction, dossier locked)."""
    evidence = Evidence(
        dossier=dossier,
        title=title,
        kind=kind,
        original_name=inspection.original_name,
        content_type=inspection.content_type,
        size=inspection.size,
        sha256=inspection.sha256,
        page_count=inspection.page_count,
        has_javascript=inspection.has_javascript,
        extraction_status=ExtractionStatus.PENDING,
        uploaded_by=by,
        replaces=replaces,
    )
    evidence.file.name = evidence.file.field.generate_filename(evidence, inspection.original_name)
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        # Another request inserted the same file (or replaced the same piece) between our
        # check and our insert: explain it like the check does.
        _refuse_duplicate(dossier, inspection.sha256)
        if replaces is not None:
            _refuse_not_current(replaces)
        raise
    return evidence


def _move_into_place(inspection, evidence) -> Callable[[], None]:
    """Put the checked file where the storage keeps it; returns how to take it back if
    the transaction fails. On this disk, a rename; elsewhere (object storage), a copy
    through the storage, which may choose another name."""
    storage = evidence_storage()
    if local_root(storage) is None:
        with open(inspection.path, "rb") as stream:
            saved = storage.save(evidence.file.name, File(stream))
        if saved != evidence.file.name:
            evidence.file.name = saved
            evidence.save(update_fields=["file"])
        return partial(storage.delete, saved)
    final_path = Path(storage.path(evidence.file.name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(inspection.path, final_path)
    if storage.file_permissions_mode is not None:
        os.chmod(final_path, storage.file_permissions_mode)
    return partial(final_path.unlink, missing_ok=True)


@contextlib.contextmanager
def _checked(uploaded, by):
    """``inspection.received``, keeping the files the box had to stop (for the slowing
    down of ``overruns``)."""
    try:
        with received(
            uploaded, directory=incoming_dir(), limits=Limits.from_settings()
        ) as inspection:
            yield inspection
    except EvidenceRefused as refusal:
        if isinstance(refusal.__cause__, box.BoxFailure):
            overruns.record(
                user_id=by.pk,
                stage=overruns.Stage.CHECK,
                failure=refusal.__cause__,
                what=f"the upload {uploaded.name!r}",
            )
        raise


def upload_evidence(*, dossier, by, uploaded, title, kind, replaces=None) -> EvidenceChange:
    """Add a file to the dossier (or a new version of a submitted piece: ``replaces``).

    The content checks run before the transaction (they read the whole file and need no
    lock); the permission, the duplicate check and the insert run inside it. Text
    extraction is queued once the row is committed, so the request does not wait for it.
    """
    title = (title or "").strip()
    if not title:
        raise refusals.no_title()
    if kind not in EvidenceKind.values:
        raise refusals.no_kind()
    overruns.check_not_slowed_down(by)
    with _checked(uploaded, by) as inspection:
        take_back = None
        try:
            with transaction.atomic():
                editing(dossier, by)
                if replaces is not None:
                    replaces = _locked(replaces)
                    if replaces.dossier_id != dossier.pk:
                        raise refusals.not_in_dossier()
                    check_replaceable(replaces)
                _refuse_duplicate(dossier, inspection.sha256)
                evidence = _store(
                    dossier, by, inspection, title=title, kind=kind, replaces=replaces
                )
                take_back = _move_into_place(inspection, evidence)
                unsigned = unsign(dossier)
                transaction.on_commit(
                    partial(tasks.extract_evidence_text.enqueue, evidence.pk), robust=True
                )
                if replaces is not None:
                    signals.send_on_commit(
                        signals.evidence_removed,
                        sender=Evidence,
                        evidence_id=replaces.pk,
                        reason=signals.REPLACED,
                        replacement_id=evidence.pk,
                    )
        except BaseException:
            if take_back is not None:
                take_back()
            raise
    logger.info(
        "Evidence %s added to dossier %s by user %s%s",
        evidence.pk,
        dossier.pk,
        by.pk,
        f", replacing {replaces.pk}" if replaces is not None else "",
    )
    return EvidenceChange(evidence=evidence, unsigned=unsigned)


def replace_evidence(*, evidence, by, uploaded, title, kind) -> EvidenceChange:
    """A new version of a submitted piece: a new row that ``replaces`` it.

    The candidate's links stay on the old piece (they were written for its content): the
    new one is linked anew, on the links page.
    """
    return upload_evidence(
        dossier=evidence.dossier,
        by=by,
        uploaded=uploaded,
        title=title,
        kind=kind,
        replaces=evidence,
    )


def delete_evidence(*, evidence, by) -> EvidenceChange:
    """Delete a piece never submitted: its row, its pages, its links and its file."""
    dossier = evidence.dossier
    with transaction.atomic():
        editing(dossier, by)
        evidence = _locked(evidence)
        check_deletable(evidence)
        # CompetenceLink protects its evidence: the links go first, in this transaction.
        links_deleted, _detail = CompetenceLink.objects.filter(evidence=evidence).delete()
        pk, name = evidence.pk, evidence.file.name
        evidence.delete()
        unsigned = unsign(dossier)
        # The file goes only once the rows are gone for good: a rollback keeps both.
        transaction.on_commit(partial(evidence_storage().delete, name), robust=True)
        signals.send_on_commit(
            signals.evidence_removed,
            sender=Evidence,
            evidence_id=pk,
            reason=signals.DELETED,
            replacement_id=None,
        )
    logger.info("Evidence %s deleted from dossier %s by user %s", pk, dossier.pk, by.pk)
    return EvidenceChange(evidence=None, unsigned=unsigned, links_deleted=links_deleted)


def withdraw_evidence(*, evidence, by) -> EvidenceChange:
    """Take a submitted piece out of the dossier: kept (with its links) for the record,
    it no longer counts for the compétences it was linked to."""
    dossier = evidence.dossier
    with transaction.atomic():
        editing(dossier, by)
        evidence = _locked(evidence)
        check_withdrawable(evidence)
        evidence.withdrawn_at = timezone.now()
        evidence.save(update_fields=["withdrawn_at"])
        unsigned = unsign(dossier)
        signals.send_on_commit(
            signals.evidence_removed,
            sender=Evidence,
            evidence_id=evidence.pk,
            reason=signals.WITHDRAWN,
            replacement_id=None,
        )
    logger.info("Evidence %s withdrawn from dossier %s by user %s", evidence.pk, dossier.pk, by.pk)
    return EvidenceChange(evidence=evidence, unsigned=unsigned)
