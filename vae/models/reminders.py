"""The reminders already sent (``manage.py send_reminders``, ``vae.reminders``).

One row per (kind, object, recipient), written in the same transaction as the sending
and before it: the unique constraint is what makes two runs of the command (cron
overlapping a manual run, two servers) send each reminder once.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    kind = models.CharField(_("type de rappel"), max_length=50)
    # What the reminder is about, with what makes it due (« candidacy:42:2027-03-01 »):
    # a new date (a moved interview, an extended recevabilité) is a new reminder.
    object_key = models.CharField(_("objet"), max_length=120)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("destinataire"),
    )
    due_at = models.DateTimeField(_("dû le"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient"], name="reminder_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key} → {self.recipient_id}"
