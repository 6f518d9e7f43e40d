"""Reminders: e-mails sent because a date comes near or has passed, each one once.

``manage.py send_reminders`` runs every hour from cron. It asks each registered kind
which reminders are due now and sends those not sent yet, recording each in
``SentReminder`` before sending it, in one transaction per reminder:

- the row's unique constraint (kind, object key, recipient) decides who sends: a second
  run, even one running at the same moment on another server, fails to insert the row
  (it waits for the first transaction, then meets the constraint) and sends nothing;
- an e-mail that cannot be sent (mail server down) rolls its row back: the next run
  tries again. A reminder is thus sent once, except in the rare case where the database
  fails between the mail server's acceptance and the commit (it would be sent again).

The sending happens in the command itself, not in a queued task: the command is already
a background process, and a queued task that failed would leave a row saying « sent ».

A kind is registered by the app that owns its condition, from its ``AppConfig.ready()``
(the core knows no upper app)::

    reminders.register_kind("grid_overdue", label="…", find=overdue_grids)

``find(now)`` yields ``Due`` reminders: the recipient (a user), the object key (what
the reminder is about, with the date that makes it due, so that a moved date gives a new
reminder), the due moment (aware) and a builder that renders the ``vae.emails.Email``
(called only when the reminder is actually sent). ``find`` should select only what may
be due around ``now`` (its query is the kind's window); reminders whose moment has not
come are skipped here anyway.

Kinds registered now: ``eligibility_expiring`` (the core, ``vae.reminder_kinds``) and
``grid_overdue`` (``review.reminders``). The jury's kinds are registered by the jury app
the same way, from its own rows:

- ``interview_in_14_days`` and ``interview_in_2_days``: to the candidate, from the slots
  of the convocations in force (not cancelled), due at the slot's start minus 14 (or 2)
  days, key « convocation:<uid>:<start ISO> » so that a rescheduled interview is
  reminded again; a slot already less than 2 days ahead when the 14-day reminder would
  come is not yielded by that kind (the convocation itself has just been sent);
- ``session_in_2_days``: to each member holding a seat of a planned session, due at its
  start minus 2 days, key « session:<pk>:<start ISO> »;
- ``session_without_decision``: to the certifiers, for a session held 7 days ago whose
  candidacies are still ``interviewed``, due at its date plus 7 days, key
  « session:<pk> ».
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from vae.emails import Email, templated_email
from vae.models import SentReminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder a kind says is due (or about to be)."""

    recipient: object  # a User
    key: str
    due_at: dt.datetime
    build: Callable[[], Email]


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: str  # French: what the command's report and the admin show
    find: Callable[[dt.datetime], Iterable[Due]]


_kinds: dict[str, ReminderKind] = {}


def register_kind(code: str, *, label: str, find: Callable[[dt.datetime], Iterable[Due]]):
    """Register (or replace, so that it stays idempotent) the reminder kind ``code``."""
    _kinds[code] = ReminderKind(code, label, find)


def kinds() -> list[ReminderKind]:
    return list(_kinds.values())


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the site's time zone: the due moment of a date's reminder."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Report:
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # kind, key, address
    already_sent: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def send_once(kind: str, due: Due, *, now: dt.datetime) -> bool:
    """Record then send one reminder, in one transaction; False when it was already sent
    (by an earlier run, or by a run going on at the same moment)."""
    with transaction.atomic():
        try:
            # Its own savepoint: a clash on the constraint leaves the outer transaction
            # usable (PostgreSQL aborts a transaction on an error otherwise).
            with transaction.atomic():
                SentReminder.objects.create(
                    kind=kind,
                    object_key=due.key,
                    recipient=due.recipient,
                    due_at=due.due_at,
                    sent_at=now,
                )
        except IntegrityError:
            return False
        # Any error from here on rolls the row back: the next run tries again.
        due.build().message([due.recipient.email]).send()
    return True


def send_reminders(now: dt.datetime | None = None, *, only: Iterable[str] = ()) -> Report:
    """Send every reminder due at ``now`` that was not sent yet; ``only`` restricts the
    run to some kinds (their codes)."""
    now = now or timezone.now()
    wanted = set(only)
    report = Report()
    for kind in kinds():
        if wanted and kind.code not in wanted:
            continue
        try:
            _send_kind(kind, now, report)
        except Exception:
            # A kind whose query fails must not keep the others from being sent.
            logger.exception("Reminder kind %s failed", kind.code)
            report.failed.append((kind.code, "", ""))
    return report


def _send_kind(kind: ReminderKind, now: dt.datetime, report: Report) -> None:
    for due in kind.find(now):
        recipient = due.recipient
        if due.due_at > now or not recipient.is_active or not recipient.email:
            continue
        line = (kind.code, due.key, recipient.email)
        try:
            sent = send_once(kind.code, due, now=now)
        except Exception:
            # One unreachable address must not stop the others; logged with its
            # traceback, tried again at the next run.
            logger.exception("Reminder %s %s to user %s not sent", *line[:2], recipient.pk)
            report.failed.append(line)
            continue
        if sent:
            report.sent.append(line)
        else:
            report.already_sent += 1


def reminder_email(
    *,
    subject: str,
    lead: str,
    link: str,
    link_label: str,
    facts: Iterable[tuple[str, str]] = (),
    next_step: str = "",
    recipient_name: str = "",
) -> Email:
    """The one layout of the reminders (``templates/emails/reminder*``): a lead, the facts
    as label/value lines, what to do, and a link."""
    return templated_email(
        "emails/reminder",
        {
            "subject": subject,
            "lead": lead,
            "facts": list(facts),
            "next_step": next_step,
            "link": link,
            "link_label": link_label,
            "recipient_name": recipient_name,
        },
    )
