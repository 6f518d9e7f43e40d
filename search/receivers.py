"""The lower apps' domain signals, turned into indexing tasks run after the commit.

The livret's, review's and jury's signals are themselves sent from ``on_commit`` (see
their modules): their receivers run once the write is committed, and enqueue at once. A
candidacy's transition is different: its effects run inside the transition's atomic
block, so its task waits for the commit (``on_commit``), and a rollback enqueues nothing.
"""

from functools import partial, wraps

from django.db import transaction

from search import indexing
from search.base import Kind
from search.tasks import delete_object_task, index_candidacy_task, index_object_task


def _unless_paused(receiver):
    """The receiver, doing nothing inside ``search.indexing.paused()``."""

    @wraps(receiver)
    def receive(*args, **kwargs):
        if not indexing.is_paused():
            receiver(*args, **kwargs)

    return receive


@_unless_paused
def evidence_extracted(sender, *, evidence_id, **_arguments):
    index_object_task.enqueue(kind=Kind.EVIDENCE_PAGE, object_id=evidence_id)


@_unless_paused
def evidence_removed(sender, *, evidence_id, **_arguments):
    # Deleted, withdrawn or replaced: its pages no longer count (a replacement is
    # announced by its own extraction).
    delete_object_task.enqueue(kind=Kind.EVIDENCE_PAGE, object_id=evidence_id)


@_unless_paused
def narrative_saved(sender, *, narrative_id, **_arguments):
    index_object_task.enqueue(kind=Kind.NARRATIVE, object_id=narrative_id)


@_unless_paused
def links_changed(sender, *, evidence_ids, narrative_ids, **_arguments):
    # Their texts are filed under the blocs and compétences the candidate linked.
    for evidence_id in evidence_ids:
        index_object_task.enqueue(kind=Kind.EVIDENCE_PAGE, object_id=evidence_id)
    for narrative_id in narrative_ids:
        index_object_task.enqueue(kind=Kind.NARRATIVE, object_id=narrative_id)


@_unless_paused
def note_saved(sender, *, kind, object_id, **_arguments):
    index_object_task.enqueue(kind=Kind(str(kind)).value, object_id=object_id)


@_unless_paused
def note_deleted(sender, *, kind, object_id, **_arguments):
    delete_object_task.enqueue(kind=Kind(str(kind)).value, object_id=object_id)


@_unless_paused
def candidacy_moved(*, candidacy, **_arguments):
    """A transition's effect: the candidacy's state is a facet and a filter of its entries."""
    transaction.on_commit(
        partial(index_candidacy_task.enqueue, candidacy_id=candidacy.pk), robust=True
    )
