"""Where evidence files live: the ``evidence`` entry of Django's STORAGES setting, by
default a folder of MEDIA_ROOT that no URL maps to (``config.settings.private_storage``),
possibly object storage (django-storages) in a deployment of several app servers.

Files are only ever sent by a view that checks permission (ARCHITECTURE.md §7). The
default storage has no base URL, so ``file.url`` fails loudly instead of leaking a path.
"""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Les pièces justificatives ne sont servies que par la plateforme.")


def evidence_storage():
    # Evidence.file's storage (Django calls this once, when the model is loaded).
    return storages["evidence"]


def local_root(storage) -> Path | None:
    """The folder of a storage on this machine's disk, or None for any other (object
    storage, memory): only a file system storage can take a checked file by a rename."""
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None
