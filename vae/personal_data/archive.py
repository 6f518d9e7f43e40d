"""The archive a person downloads of everything the platform holds about them: one ZIP
with ``donnees.json`` (every registered section) and their files under ``fichiers/``.

Streamed: the JSON is built first (a few queries per section), then each file is read
from storage and compressed chunk by chunk; neither the archive nor a file is ever held
whole in memory, whatever the number of pieces.
"""

import json
import zipfile
from collections.abc import Iterator

from django.utils import timezone

from vae.personal_data.records import plain
from vae.personal_data.registry import ArchiveFile, sections

ARCHIVE_FORMAT = 1
CHUNK = 64 * 1024


class _Pipe:
    """A write-only file for ``zipfile`` (which then works without seeking): what it is
    given waits here until the streaming generator takes it."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def collect(user) -> tuple[dict, list[ArchiveFile]]:
    """The JSON document and the files of ``user``'s archive."""
    document = {
        "format": ARCHIVE_FORMAT,
        "créé le": plain(timezone.now()),
        "personne": user.email,
    }
    files: list[ArchiveFile] = []
    for section in sections():
        document[section.key] = section.collect(user)
        if section.files is not None:
            files.extend(section.files(user))
    return document, files


def stream_archive(user) -> Iterator[bytes]:
    """The archive's bytes, chunk by chunk. The JSON is collected here, before the first
    byte is sent: a failure then is an error page, not a truncated download."""
    document, files = collect(user)
    return _zip(document, files)


def _zip(document, files) -> Iterator[bytes]:
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(document, ensure_ascii=False, indent=2, default=str)
        )
        yield pipe.take()
        seen = set()
        for item in files:
            name = _unique(item.name, seen)
            try:
                source = item.open()
            except (FileNotFoundError, ValueError):
                # Purged or missing on disk: the JSON still describes it.
                continue
            with source, archive.open(name, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield pipe.take()
    yield pipe.take()


def _unique(name: str, seen: set) -> str:
    """Two files of the same name (two « bulletin.pdf ») both go in the archive."""
    candidate, number = name, 1
    while candidate in seen:
        number += 1
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem} ({number}).{extension}" if dot else f"{name} ({number})"
    seen.add(candidate)
    return candidate


def safe_filename(name: str) -> str:
    """A file name someone typed, as one path segment of the archive: no folder, no
    « .. », nothing an unzipping tool would write outside its folder."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return "".join(char for char in name if char.isprintable()) or "fichier"


def archive_filename() -> str:
    return f"mes-donnees-vae-{timezone.localdate():%Y-%m-%d}.zip"
