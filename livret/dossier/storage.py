"""Where evidence files live: under MEDIA_ROOT/evidence, a folder no URL maps to.

Files are only ever sent by a view that checks permission (ARCHITECTURE.md §7); the
storage itself is the core's (``vae.storage``), shared with the generated PDFs.
"""

from vae.storage import PrivateStorage, private_storage

__all__ = ["PrivateStorage", "evidence_storage"]


def evidence_storage() -> PrivateStorage:
    return private_storage("evidence")
