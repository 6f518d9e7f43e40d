"""Files the box stopped (``box.BoxFailure``), and the slowing down of a candidate who
uploads several of them in a short time.

Each such file costs a worker its whole time limit: without this, changing one byte of a
hostile file (which defeats the duplicate check) and uploading it again and again would
keep the workers busy. Genuine files almost never overrun, so a candidate who meets the
limit has sent several odd files in a row, and is told how to prepare them while waiting.
"""

import datetime
import logging
import math

from django.conf import settings
from django.utils import timezone

from livret.dossier.evidence import box, refusals
from livret.dossier.models import EvidenceOverrun

logger = logging.getLogger(__name__)

Stage = EvidenceOverrun.Stage

# The box's failures that cost a worker its limits, and count for the slowing down; an
# ordinary error (a file PDFium cannot open at all) is only logged.
OVERRUN_KINDS = (box.TIMEOUT, box.MEMORY, box.CRASH)


def record(*, user_id: int, stage: str, failure, sha256: str = "", what: str) -> None:
    """Log the technical detail of a box failure, once per file (never per page or per
    object: the box silenced the libraries' loggers), and keep it when it is an overrun."""
    logger.warning(
        "Evidence box failed at %s of %s (user %s, %s): %s",
        stage,
        what,
        user_id,
        failure.kind,
        failure.detail,
    )
    if failure.kind in OVERRUN_KINDS:
        EvidenceOverrun.objects.create(
            user_id=user_id, stage=stage, kind=failure.kind, sha256=sha256
        )


def check_not_slowed_down(user) -> None:
    """Refuse (``EvidenceRefused``, code ``slowed_down``) an upload by a candidate whose
    files overran the box ``VAE_EVIDENCE_OVERRUN_LIMIT`` times within the window, saying
    how many minutes are left before the oldest of them leaves the window."""
    limit = settings.VAE_EVIDENCE_OVERRUN_LIMIT
    window = datetime.timedelta(minutes=settings.VAE_EVIDENCE_OVERRUN_WINDOW_MINUTES)
    now = timezone.now()
    recent = list(
        EvidenceOverrun.objects.filter(user=user, occurred_at__gt=now - window)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return
    # Uploads open again when fewer than ``limit`` overruns remain within the window: when
    # the oldest of the last ``limit`` leaves it.
    free_at = recent[-1] + window
    minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
    count = EvidenceOverrun.objects.filter(user=user, occurred_at__gt=now - window).count()
    raise refusals.slowed_down(count, minutes)
