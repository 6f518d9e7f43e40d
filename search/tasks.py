"""The index follows the texts in tasks, after the commit that changed them: a slow
index never slows the candidate's upload or the evaluator's save, and a failed indexing
is retried by re-running the task (or ``search_reindex``), never lost with the request."""

from django_tasks import task

from search import indexing


@task()
def index_object_task(*, kind: str, object_id: int) -> int:
    """(Re)build one object's entries from its rows: an edit re-indexes, a removal (the
    rows gone or no longer counting) leaves nothing."""
    return indexing.reindex_object(kind, object_id)


@task()
def delete_object_task(*, kind: str, object_id: int) -> int:
    return indexing.delete_object(kind, object_id)


@task()
def index_candidacy_task(*, candidacy_id: int) -> int:
    """Every entry of one candidacy: its state (a facet and a filter) changed."""
    return indexing.reindex_candidacy(candidacy_id)
