"""Who opened which file of a candidate: written by every view that sends one."""

from vae.models import AccessedFile, FileAccess


def record_file_access(*, user, candidacy, kind: AccessedFile, object_id: int, label: str):
    """One row when ``user`` is not the candidacy's candidate (their own reading is theirs
    alone); one INSERT, no read: it sits on the download path."""
    rows = record_file_accesses(
        user=user, candidacies=[candidacy], kind=kind, object_id=object_id, label=label
    )
    return rows[0] if rows else None


def record_file_accesses(*, user, candidacies, kind: AccessedFile, object_id: int, label: str):
    """The access log of a file about one candidacy or several (a session's PV), in one
    INSERT: a row for each candidacy that is not ``user``'s own."""
    return FileAccess.objects.bulk_create(
        FileAccess(
            user_id=user.pk,
            candidacy_id=candidacy.pk,
            kind=kind,
            object_id=object_id,
            label=label[:255],
        )
        for candidacy in candidacies
        if candidacy.candidate_id != user.pk
    )
