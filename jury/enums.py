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
