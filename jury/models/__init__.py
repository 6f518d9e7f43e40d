"""The deliberation jury: its members, its sessions, the candidates' slots in a session,
their convocations and the members' conflict-of-interest declarations (``sessions``); the
interview's record (``interview``); the deliberation, the decision and the PV (``decision``).

Nothing here is ever deleted once it has happened: a rescheduled slot is cancelled and a
new one made, a convocation replaced is kept as cancelled, a rectified decision keeps the
version it replaced, so that what a candidate was told, and when, stays on record (an
appeal reads it).
"""

from jury.models.decision import (
    DELIBERATION_TEXT_MAX_CHARS,
    RECTIFICATION_REASON_MAX_CHARS,
    BlocVote,
    DecidedBloc,
    DecisionRectification,
    Deliberation,
    DeliberationSignature,
    SessionMinutes,
)
from jury.models.interview import (
    InterviewBlocNote,
    InterviewRecord,
    RatingRevision,
    VersionedRow,
)
from jury.models.sessions import (
    ADDRESS_MAX_CHARS,
    INTERVIEW_TEXT_MAX_CHARS,
    NOTE_MAX_CHARS,
    ConflictDeclaration,
    Convocation,
    JuryMember,
    JuryMemberQuerySet,
    JurySeat,
    JurySession,
    SessionStatusChange,
    Slot,
    SlotQuerySet,
)

__all__ = [
    "ADDRESS_MAX_CHARS",
    "DELIBERATION_TEXT_MAX_CHARS",
    "INTERVIEW_TEXT_MAX_CHARS",
    "NOTE_MAX_CHARS",
    "RECTIFICATION_REASON_MAX_CHARS",
    "BlocVote",
    "ConflictDeclaration",
    "Convocation",
    "DecidedBloc",
    "DecisionRectification",
    "Deliberation",
    "DeliberationSignature",
    "InterviewBlocNote",
    "InterviewRecord",
    "JuryMember",
    "JuryMemberQuerySet",
    "JurySeat",
    "JurySession",
    "RatingRevision",
    "SessionMinutes",
    "SessionStatusChange",
    "Slot",
    "SlotQuerySet",
    "VersionedRow",
]
