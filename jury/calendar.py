"""Calendar invitations (iCalendar, RFC 5545, sent by e-mail as iMIP, RFC 6047).

Pure: plain frozen dataclasses in, the bytes of a ``.ics`` out; no model, no query. The
jury's services build a ``CalendarEvent`` from a convocation (or a session) and send the
bytes with ``jury.convocation_email``.

What calendar programs need to file the invitation, update it and cancel it, rather than
import a second copy each time:

- ``METHOD`` in the file (and the same method on the e-mail's ``text/calendar`` part);
- a stable ``UID`` per convocation and a ``SEQUENCE`` that grows with every change: a
  rescheduling is the same UID with a higher SEQUENCE (an update of the entry already in
  the calendar), a cancellation the same UID with ``METHOD:CANCEL`` and
  ``STATUS:CANCELLED`` (and again a higher SEQUENCE, RFC 5546 §2.1.4);
- local times with ``TZID=Europe/Paris`` and the matching ``VTIMEZONE`` (generated from
  the zoneinfo database), so that the interview stays at 14 h 00 in Paris whatever the
  summer time or the reader's own time zone; ``DTSTAMP`` in UTC;
- ``ORGANIZER`` (the platform's sender: replies land where the e-mail came from) and one
  ``ATTENDEE`` per person invited, each with a name (CN) and a ``mailto:``;
- CRLF line endings and lines folded at 75 octets (done by icalendar).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings

from referentiel import french as fr

PRODID = "-//CPNEF de l'audiovisuel//Plateforme VAE du CQP APCA//FR"


class Method(StrEnum):
    """The iTIP methods the platform sends (it never reads replies)."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One invitation: what a calendar program shows, and how it recognises the entry."""

    uid: str
    sequence: int
    start: dt.datetime  # aware
    duration: dt.timedelta
    summary: str
    organizer: Person
    attendees: tuple[Person, ...]
    dtstamp: dt.datetime  # aware: the moment this version of the invitation was made
    description: str = ""
    location: str = ""  # the address, for an interview on site
    url: str = ""  # the visio link, for an interview at a distance
    method: Method = Method.REQUEST

    def __post_init__(self):
        # A naive datetime would be read as floating time (the reader's own clock): an
        # interview in Paris would move with the reader's time zone.
        for name in ("start", "dtstamp"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime, not {value!r}")
        if self.duration <= dt.timedelta(0):
            raise ValueError(f"an event lasts some time, not {self.duration!r}")
        if self.sequence < 0:
            raise ValueError(f"SEQUENCE is a non-negative integer, not {self.sequence!r}")

    @property
    def end(self) -> dt.datetime:
        return self.start + self.duration


def site_timezone() -> ZoneInfo:
    """The platform's time zone (Europe/Paris): the one the invitations are written in."""
    return ZoneInfo(settings.TIME_ZONE)


def make_uid(kind: str, key: str) -> str:
    """A UID unique in the world and stable for one object: « convocation-<key>@host ».

    ``key`` must never change for the object (a UUID stored on the row, not its date):
    the calendar programs match updates and cancellations by UID alone.
    """
    host = urlsplit(settings.VAE_SITE_URL).hostname or "localhost"
    return f"{kind}-{key}@{host}"


def _address(person: Person, **params):
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    for name, value in params.items():
        address.params[name] = value
    return address


def _as_text(value) -> str:
    # French spacing, as in the e-mails; str, never a lazy translation.
    return fr.typography(str(value))


def invitation_bytes(event: CalendarEvent) -> bytes:
    """The ``.ics`` of ``event``: one VCALENDAR with its METHOD, the VTIMEZONE of
    Europe/Paris and one VEVENT, CRLF line endings."""
    # Imported here, not with the module: icalendar costs every process that loads it
    # 10 MB resident, and web workers import this module for its plain classes (the
    # convocation's details) while only the tasks and one download build a file.
    from icalendar import Calendar, Event

    tz = site_timezone()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", event.method.value)

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.dtstamp.astimezone(dt.UTC))
    vevent.add("dtstart", event.start.astimezone(tz))
    vevent.add("dtend", event.end.astimezone(tz))
    vevent.add("summary", _as_text(event.summary))
    if event.description:
        vevent.add("description", _as_text(event.description))
    location = event.location or event.url
    if location:
        vevent.add("location", _as_text(location))
    if event.url:
        vevent.add("url", event.url)
    vevent.add("organizer", _address(event.organizer))
    for attendee in event.attendees:
        # RSVP=FALSE: the platform reads no reply; an absence is reported to the
        # certifier, as the convocation says.
        vevent.add(
            "attendee",
            _address(
                attendee,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="FALSE",
            ),
        )
    if event.method == Method.CANCEL:
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "CONFIRMED")
        vevent.add("transp", "OPAQUE")
    calendar.add_component(vevent)

    # Only the transitions around the event: the whole history since 1970 would make
    # every invitation three times larger for nothing a calendar needs.
    calendar.add_missing_timezones(
        first_date=dt.date(event.start.year - 1, 1, 1),
        last_date=dt.date(event.end.year + 2, 1, 1),
    )
    return calendar.to_ical()


# -- the session's invitation, for the jury members ---------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    """One slot of a session, as the members' invitation lists it."""

    start: dt.datetime  # aware
    duration: dt.timedelta
    label: str  # the candidacy's reference and the candidate's name

    @property
    def end(self) -> dt.datetime:
        return self.start + self.duration


@dataclass(frozen=True)
class SessionInvitation:
    """A jury session for its members: the whole afternoon, its agenda in the description."""

    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    title: str
    organizer: Person
    members: tuple[Person, ...]
    dtstamp: dt.datetime
    agenda: Sequence[AgendaItem] = field(default_factory=tuple)
    location: str = ""
    url: str = ""
    link: str = ""  # the session's page on the platform
    method: Method = Method.REQUEST


def agenda_text(agenda: Sequence[AgendaItem]) -> str:
    """« 14 h 00 – 14 h 50 : VAE-2026-00042 — Camille Martin », one line per slot, in order."""
    if not agenda:
        return "Aucun candidat n'est encore convoqué."
    return "\n".join(
        f"{fr.time(item.start)} – {fr.time(item.end)} : {item.label}"
        for item in sorted(agenda, key=lambda item: item.start)
    )


def session_description(invitation: SessionInvitation) -> str:
    parts = [f"Ordre de passage :\n{agenda_text(invitation.agenda)}"]
    if invitation.url:
        parts.append(f"Lien de la visioconférence : {invitation.url}")
    if invitation.link:
        parts.append(f"La session sur la plateforme : {invitation.link}")
    parts.append(
        "Avant de consulter le dossier d'un candidat, vous déclarez sur la plateforme "
        "ne pas le connaître et ne pas l'avoir accompagné."
    )
    return "\n\n".join(parts)


def session_invitation_bytes(invitation: SessionInvitation) -> bytes:
    """The members' ``.ics`` of a session, from its start to its end, with the agenda."""
    return invitation_bytes(
        CalendarEvent(
            uid=invitation.uid,
            sequence=invitation.sequence,
            start=invitation.start,
            duration=invitation.end - invitation.start,
            summary=invitation.title,
            organizer=invitation.organizer,
            attendees=invitation.members,
            dtstamp=invitation.dtstamp,
            description=session_description(invitation),
            location=invitation.location,
            url=invitation.url,
            method=invitation.method,
        )
    )
