"""French typography for text the code builds: a non-breaking space before « : », and
time elapsed said the French way.

Wagtail joins its admin page titles with an English colon (« Modifier: … ») and, in
French, says « il y a 0 minute » for what happened a moment ago; both are corrected here
(``vae.wagtail_hooks`` and ``templates/wagtailadmin/shared/human_readable_date.html``).
"""

import datetime

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

NBSP = "\u00a0"


def with_subtitle(title, subtitle) -> str:
    """« Modifier : Activité 1.1 », with the non-breaking space French puts before « : »."""
    return f"{title}{NBSP}: {subtitle}" if subtitle else str(title)


def time_ago(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """« il y a 3 heures » (its first unit only), « à l'instant » under a minute."""
    now = now or timezone.now()
    if now - value < datetime.timedelta(minutes=1):
        return _("à l'instant")
    return _("il y a %(period)s") % {"period": timesince(value, now).split(",")[0]}
