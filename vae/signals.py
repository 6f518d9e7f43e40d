"""The core's domain signals: what the upper apps react to without the core knowing them."""

from django.dispatch import Signal

# A candidacy has just been opened (``services.start_candidacy``), inside its atomic
# block: livret creates the candidate's livret 1 then. Arguments: ``candidacy``.
candidacy_started = Signal()
