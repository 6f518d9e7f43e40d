"""Helpers of the personal data tests (no tests here)."""

import io
import json
import zipfile

from django.urls import reverse

from livret.models import Evidence


def download_archive(client) -> zipfile.ZipFile:
    response = client.get(reverse("personal_data:archive"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def archive_json(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("donnees.json"))


def all_text(archive: zipfile.ZipFile) -> str:
    """Every member's name and bytes, as text: what « nothing of anyone else » is checked in."""
    return "\n".join(
        f"{name}\n{archive.read(name).decode('latin-1')}" for name in archive.namelist()
    )


def evidence_of(candidacy) -> Evidence:
    return Evidence.objects.filter(dossier__candidacy=candidacy).order_by("pk").first()


def evidence_url(evidence) -> str:
    return reverse("livret:evidence_file", args=[evidence.dossier.candidacy_id, evidence.pk])
