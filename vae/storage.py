"""Private file storage: files under MEDIA_ROOT that no URL maps to.

Evidence files (livret) and generated PDFs (``vae.documents``) are only ever sent by a
view that checks permission (ARCHITECTURE.md §7). The storage has no base URL, so
``file.url`` fails loudly instead of leaking a path.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Ces fichiers ne sont servis que par la plateforme.")


def private_storage(folder: str) -> PrivateStorage:
    # Read at call time so that tests (temporary MEDIA_ROOT) and deployments agree.
    return PrivateStorage(location=Path(settings.MEDIA_ROOT) / folder, base_url=None)


def documents_storage() -> PrivateStorage:
    """Where generated PDFs live: MEDIA_ROOT/documents."""
    return private_storage("documents")
