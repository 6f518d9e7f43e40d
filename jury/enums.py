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
