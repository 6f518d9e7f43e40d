from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class JuryCollege(models.TextChoices):
    """The jury seats of the référentiel; values are the seats' role codes."""

    EMPLOYERS = "employers_college", _("Collège employeur")
    EMPLOYEES = "employees_college", _("Collège salarié")


class Modality(models.TextChoices):
    ON_SITE = "presentiel", _("Présentiel")
    REMOTE = "distance", _("À distance")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    HELD = "held", _("Tenue")
    CLOSED = "closed", _("Close")


class SessionTransition(models.TextChoices):
    """The transitions of a session's life; each has its service in ``jury.services``."""

    HOLD = "hold", _("Session tenue")
    CLOSE = "close", _("Session close")


@dataclass(frozen=True)
class SessionTransitionRule:
    """One row of a session's life: from which statuses, to which, and the certifier's
    button. The guards are ``jury.rules``' (``hold_problems``, ``close_problems``)."""

    sources: tuple[SessionStatus, ...]
    target: SessionStatus
    button: str


# The one table of a session's life, read by the services, the back office and the tests.
# « Tenue » from the session's day on; « close » once no candidate of it is still convoked
# (each heard or absent): nothing is scheduled, composed or declared in it any more.
SESSION_TRANSITIONS: dict[SessionTransition, SessionTransitionRule] = {
    SessionTransition.HOLD: SessionTransitionRule(
        (SessionStatus.PLANNED,), SessionStatus.HELD, _("Marquer la session comme tenue")
    ),
    SessionTransition.CLOSE: SessionTransitionRule(
        (SessionStatus.HELD,), SessionStatus.CLOSED, _("Clore la session")
    ),
}


class SlotStatus(models.TextChoices):
    """A slot's life: scheduled, then either the interview took place or the candidate
    was absent; a rescheduling or a withdrawal cancels it. Never deleted."""

    SCHEDULED = "scheduled", _("Convoqué")
    INTERVIEWED = "interviewed", _("Entretien passé")
    ABSENT = "absent", _("Absent")
    CANCELLED = "cancelled", _("Annulé")


# Slots that hold their time in the session: two of these never overlap.
OCCUPYING_STATUSES = (SlotStatus.SCHEDULED, SlotStatus.INTERVIEWED)


class ConvocationStatus(models.TextChoices):
    SENT = "sent", _("Envoyée")
    CANCELLED = "cancelled", _("Annulée")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")


class JuryNoteKind(models.TextChoices):
    """The jury's texts that search indexes, as ``jury.signals`` names them;
    ``model_label`` is the model the signal's ``object_id`` is of."""

    BLOC_NOTE = "bloc_note", _("Notes d'entretien sur un bloc")
    RATING_REVISION = "rating_revision", _("Appréciation révisée par le jury")

    @property
    def model_label(self) -> str:
        return {
            JuryNoteKind.BLOC_NOTE: "jury.InterviewBlocNote",
            JuryNoteKind.RATING_REVISION: "jury.RatingRevision",
        }[self]


class DecisionResult(models.TextChoices):
    """The overall result of a jury decision: derived from the blocs, never typed."""

    TOTAL = "validation_totale", _("Validation totale")
    PARTIAL = "validation_partielle", _("Validation partielle")
    REFUSAL = "refus", _("Refus de validation")
