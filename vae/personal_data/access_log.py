"""Who opened which file of a candidate: written by every view that sends one."""

from vae.models import AccessedFile, FileAccess


def record_file_access(*, user, candidacy, kind: AccessedFile, object_id: int, label: str):
    """One row when ``user`` is not the candidacy's candidate (their own reading is theirs
    alone); one INSERT, no read: it sits on the download path."""
    if candidacy.candidate_id == user.pk:
        return None
    return FileAccess.objects.create(
        user_id=user.pk,
        candidacy_id=candidacy.pk,
        kind=kind,
        object_id=object_id,
        label=label[:255],
    )
