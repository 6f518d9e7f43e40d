"""Helpers of the evidence tests (upload, snapshot, sample images): not a test module.

Shared by ``test_evidence_files``, ``test_evidence_views`` and ``test_evidence_extraction``.
"""

import io
import re
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from livret import evidence as services
from livret.enums import EvidenceKind
from livret.models import (
    CompetenceLink,
    Dossier,
    Evidence,
    EvidencePage,
    Narrative,
    NoEvidenceReason,
)
from tests.livret.helpers import page, url

BAD_FILES = Path(__file__).parent / "bad_files"


def bad_file(name: str) -> bytes:
    return (BAD_FILES / name).read_bytes()


def jpeg_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 30)).save(out, "PNG")
    return out.getvalue()


def declared_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width`` × ``height`` with almost no pixel data."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def evidence_root() -> Path:
    return Path(services.evidence_storage().location)


def files_on_disk() -> list[str]:
    root = evidence_root()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def snapshot(candidacy) -> dict:
    """Everything livret 2 stores for ``candidacy``, files on disk included."""
    candidacy.refresh_from_db()
    dossier = Dossier.objects.get(candidacy=candidacy)
    return {
        "state": candidacy.state,
        "dossier": (dossier.sworn_name, dossier.sworn_place, dossier.sworn_at),
        "evidence": list(Evidence.objects.filter(dossier=dossier).order_by("pk").values()),
        "pages": list(
            EvidencePage.objects.filter(evidence__dossier=dossier).order_by("pk").values()
        ),
        "links": list(CompetenceLink.objects.filter(dossier=dossier).order_by("pk").values()),
        "narratives": list(Narrative.objects.filter(dossier=dossier).order_by("pk").values()),
        "no_evidence": list(NoEvidenceReason.objects.filter(dossier=dossier).values()),
        "files": files_on_disk(),
    }


def upload(
    client,
    candidacy,
    data: bytes,
    *,
    name="piece.pdf",
    title="Contrats 2024",
    kind=EvidenceKind.PAYSLIP,
    content_type="application/pdf",
):
    return client.post(
        url("livret:evidence_upload", candidacy),
        {"title": title, "kind": kind, "file": SimpleUploadedFile(name, data, content_type)},
    )


def flat(text: str) -> str:
    # Messages hold no-break spaces (« 20,0 Mo », « 50 000 »): compare words only.
    return " ".join(text.split())


def visible(response) -> str:
    """The page's text without its tags (hidden labels included), words only."""
    return flat(re.sub(r"<[^>]+>", "", page(response)))


def upload_service(candidacy, data, *, name="piece.pdf", title="Pièce", **kwargs):
    return services.upload_evidence(
        dossier=candidacy.dossier,
        by=candidacy.candidate,
        uploaded=SimpleUploadedFile(name, data),
        title=title,
        kind=kwargs.pop("kind", EvidenceKind.OTHER),
        **kwargs,
    )
