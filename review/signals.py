"""The review's domain signals: what search (an upper layer) reacts to without the
review knowing it.

Sent by ``review.services`` once the write is committed (``transaction.on_commit``): a
receiver reads the rows as they are in the database, and a rolled-back write sends
nothing. Each signal carries ids only; the receiver loads what it indexes.
"""

from django.dispatch import Signal

# A text of the review that search indexes was written (created or changed): an
# evaluator's passage (its comment and quoted words), their justification of a rating, the
# consolidated rating's justification, or their verdict on a candidate's link (its
# reason). Arguments: ``kind`` (``review.enums.ReviewNoteKind``), ``object_id`` (the pk
# of the row, of the model ``ReviewNoteKind(kind).model_label``) and ``candidacy_id``
# (the dossier it belongs to, for the permission filter of the index). Sender: the model.
review_note_saved = Signal()

# A text of the review that search indexes was deleted (an evaluator's passage, the only
# one that can be): drop it from the index. Same arguments as ``review_note_saved``; the
# row no longer exists when it is received.
review_note_deleted = Signal()
