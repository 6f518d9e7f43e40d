"""The lower apps' domain signals, turned into indexing tasks run after the commit.

The signals are already sent after their commit; ``on_commit`` here still matters when a
receiver runs inside a caller's transaction (a service calling another): the task then
waits for the outermost commit, and a rollback enqueues nothing.
"""

from functools import partial

from django.db import transaction

from search.base import Kind
from search.tasks import delete_object_task, index_candidacy_task, index_object_task


def _enqueue(task, **arguments) -> None:
    transaction.on_commit(partial(task.enqueue, **arguments), robust=True)


def evidence_extracted(sender, *, evidence_id, **_arguments):
    _enqueue(index_object_task, kind=Kind.EVIDENCE_PAGE, object_id=evidence_id)


def evidence_removed(sender, *, evidence_id, **_arguments):
    # Deleted, withdrawn or replaced: its pages no longer count (a replacement is
    # announced by its own extraction).
    _enqueue(delete_object_task, kind=Kind.EVIDENCE_PAGE, object_id=evidence_id)


def narrative_saved(sender, *, narrative_id, **_arguments):
    _enqueue(index_object_task, kind=Kind.NARRATIVE, object_id=narrative_id)


def note_saved(sender, *, kind, object_id, **_arguments):
    _enqueue(index_object_task, kind=Kind(str(kind)).value, object_id=object_id)


def note_deleted(sender, *, kind, object_id, **_arguments):
    _enqueue(delete_object_task, kind=Kind(str(kind)).value, object_id=object_id)


def candidacy_moved(*, candidacy, **_arguments):
    """A transition's effect: the candidacy's state is a facet and a filter of its entries."""
    _enqueue(index_candidacy_task, candidacy_id=candidacy.pk)
