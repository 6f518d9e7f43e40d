"""Evidence in a storage that is not this machine's disk (object storage in a deployment
of several app servers, here Django's in-memory storage standing in for it): uploaded
through the storage, read back for extraction and download, deleted through it."""

import pytest
from django.core.files.storage import InMemoryStorage
from django.urls import reverse

from livret.dossier.evidence import services
from livret.dossier.evidence.services import delete_evidence
from livret.enums import ExtractionStatus
from livret.models import Evidence
from tests.livret.dossier.evidence.support import files_on_disk, upload_service
from tests.pdf_samples import text_pdf
from vae.storage import local_root


@pytest.fixture
def remote(monkeypatch):
    storage = InMemoryStorage()
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    return storage


def test_the_default_storage_is_a_private_folder_on_disk():
    root = local_root(services.evidence_storage())
    assert root is not None and root.name == "evidence"
    with pytest.raises(ValueError):
        services.evidence_storage().url("x.pdf")


def stored(storage, folder="") -> list[str]:
    """Every file name in ``storage``, its folders walked."""
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        names += stored(storage, f"{folder}/{sub}".lstrip("/"))
    return names


def test_a_piece_goes_through_a_remote_storage(
    remote, eligible, owner, django_capture_on_commit_callbacks
):
    before = files_on_disk()
    assert local_root(remote) is None
    already = stored(remote)  # the fixture's complete dossier has its own piece
    data = text_pdf(["Bulletin de paie de juin", "Attestation employeur"])
    with django_capture_on_commit_callbacks(execute=True):
        evidence = upload_service(eligible, data, name="paie.pdf").evidence
    evidence.refresh_from_db()
    # Stored by the storage, not renamed into a folder of this disk.
    assert sorted(stored(remote)) == sorted([*already, evidence.file.name])
    assert files_on_disk() == before
    # The extraction read it through the storage's file object.
    assert evidence.extraction_status == ExtractionStatus.READY
    assert [p.text for p in evidence.pages.order_by("number")] == [
        "Bulletin de paie de juin",
        "Attestation employeur",
    ]
    response = owner.get(
        reverse("livret:evidence_file", kwargs={"candidacy_pk": eligible.pk, "pk": evidence.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    name = evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(evidence=evidence, by=eligible.candidate)
    assert not remote.exists(name)


def test_a_failed_upload_leaves_nothing_in_the_remote_storage(remote, eligible, monkeypatch):
    def broken(dossier):
        raise RuntimeError("panne après l'enregistrement du fichier")

    monkeypatch.setattr(services, "unsign", broken)
    before = list(Evidence.objects.filter(dossier=eligible.dossier))
    files = stored(remote)
    with pytest.raises(RuntimeError):
        upload_service(eligible, text_pdf(["page"]), name="piece.pdf")
    assert list(Evidence.objects.filter(dossier=eligible.dossier)) == before
    assert stored(remote) == files
