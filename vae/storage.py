"""Private file storage: files no URL maps to, sent only by views that check permission
(ARCHITECTURE.md §7) — evidence (livret) and generated PDFs (``vae.documents``).

Where they live is Django's STORAGES setting (entries ``evidence`` and ``documents``, see
``config.settings.private_files``): a folder of MEDIA_ROOT by default, object storage
(django-storages) in a deployment of several app servers. The default storage has no
base URL, so ``file.url`` fails loudly instead of leaking a path.
"""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Ces fichiers ne sont servis que par la plateforme.")


def documents_storage():
    """Where generated PDFs live (GeneratedDocument.file's storage: Django calls this once,
    when the model is loaded)."""
    return storages["documents"]


def local_root(storage) -> Path | None:
    """The folder of a storage on this machine's disk, or None for any other (object
    storage, memory): only a file system storage can take a checked file by a rename."""
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None
