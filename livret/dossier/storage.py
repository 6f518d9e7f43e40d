"""Where evidence files live: under MEDIA_ROOT/evidence, a folder no URL maps to.

Files are only ever sent by a view that checks permission (ARCHITECTURE.md §7). The
storage has no base URL, so ``file.url`` fails loudly instead of leaking a path.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Les pièces justificatives ne sont servies que par la plateforme.")


def evidence_storage():
    # Read at call time so that tests (temporary MEDIA_ROOT) and deployments agree.
    return PrivateStorage(location=Path(settings.MEDIA_ROOT) / "evidence", base_url=None)
