"""Domain signals of the livrets: what changed in the text that search indexes.

Each signal is sent by the one service that makes the change, once, after the transaction
that made it commits (``transaction.on_commit``): a change rolled back sends nothing, and a
receiver always reads committed rows. Receivers get ids, never instances. A failing
receiver is logged (``on_commit(..., robust=True)``): it can neither undo the committed
change nor fail the candidate's request.

The sender is the model whose rows changed (``Evidence``, ``Narrative``).
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

evidence_text_extracted = Signal()
"""The text of an evidence file's pages was stored (or stored again: a re-run replaces
every page). Sent by ``livret.dossier.evidence.extraction.record_pages``.

Arguments: ``evidence_id``. The pages are ``EvidencePage.objects.filter(evidence_id=…)``;
the piece's ``extraction_status`` says whether every page could be read.
"""

evidence_removed = Signal()
"""A piece stopped counting in its dossier: the index can drop it. Sent by the evidence
services ``delete_evidence``, ``withdraw_evidence`` and ``replace_evidence``.

Arguments: ``evidence_id``; ``reason``, one of ``DELETED`` (the row and its pages are gone),
``WITHDRAWN`` (kept for the record, withdrawn from the dossier) or ``REPLACED`` (kept for
the record, replaced by the piece ``replacement_id``, whose text is extracted later and
announced by ``evidence_text_extracted``); ``replacement_id``, None unless replaced.
"""

DELETED = "deleted"
WITHDRAWN = "withdrawn"
REPLACED = "replaced"

narrative_saved = Signal()
"""The text of a narrative changed: saved from the editor (its form or its autosave) or
restored from an earlier version. Sent by ``livret.dossier.narratives.services``
(``save_narrative``, ``restore_revision``); a save that changes nothing, or is refused
as a conflict, sends nothing.

Arguments: ``narrative_id``.
"""


links_changed = Signal()
"""The candidate's links of a piece or a narrative to compétences changed (added, edited,
deleted): the blocs and compétences search files their text under are theirs. Sent by
``livret.dossier.links.services`` (``add_link``, ``update_link``, ``delete_link``).
Arguments: ``evidence_ids`` and ``narrative_ids``, the pieces and narratives whose links
changed (before and after an edit: a link moved from one piece to another changes both).
"""


def send_on_commit(signal: Signal, *, sender, **arguments) -> None:
    """Send ``signal`` once the current transaction commits (at once outside of one); a
    receiver's error is logged, it cannot undo what was committed."""
    transaction.on_commit(partial(signal.send, sender=sender, **arguments), robust=True)
