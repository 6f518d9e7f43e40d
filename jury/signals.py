"""The jury's domain signals: what search (an upper layer) reacts to without the jury
knowing it, sent once the write is committed (never on a rollback), ids only.
"""

from django.dispatch import Signal

# A text of the interview record was written: a bloc's questions, answers and
# observations, or the reason of a revised rating. Arguments: ``kind``
# (``jury.enums.JuryNoteKind``), ``object_id`` (the row's pk, of the model
# ``JuryNoteKind(kind).model_label``) and ``candidacy_id`` (for the index's permission
# filter). Sender: the model.
jury_note_saved = Signal()
