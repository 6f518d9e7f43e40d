"""Calendar invitations (jury.calendar), parsed back with icalendar as a calendar program
would read them: method, time zone, local times, UID and SEQUENCE, cancellation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from jury.calendar import (
    AgendaItem,
    CalendarEvent,
    Method,
    Person,
    SessionInvitation,
    agenda_text,
    invitation_bytes,
    make_uid,
    session_invitation_bytes,
)

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
ORGANIZER = Person("CPNEF de l'audiovisuel", "vae@localhost")
CANDIDATE = Person("Camille Martin", "camille.martin@example.org")


def event(**changes) -> CalendarEvent:
    values = {
        "uid": make_uid("convocation", "0c9f6d1e"),
        "sequence": 0,
        # Summer time: 14 h in Paris is 12 h UTC.
        "start": dt.datetime(2027, 6, 15, 14, 0, tzinfo=PARIS),
        "duration": dt.timedelta(minutes=50),
        "summary": "Entretien avec le jury de VAE",
        "organizer": ORGANIZER,
        "attendees": (CANDIDATE,),
        "dtstamp": dt.datetime(2026, 12, 1, 9, 30, tzinfo=PARIS),
        "description": "Candidature VAE-2026-00042.\nMunissez-vous d'une pièce d'identité.",
        "location": "CPNEF de l'audiovisuel, 12 rue de Lyon, 75012 Paris",
    }
    values.update(changes)
    return CalendarEvent(**values)


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (vevent,) = calendar.walk("VEVENT")
    return calendar, vevent


def test_a_request_carries_its_method_time_zone_and_local_times():
    data = invitation_bytes(event())
    calendar, vevent = parse(data)

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Paris"
    # Both offsets of the year are described, so a calendar places the event right
    # whatever its own time zone.
    offsets = {sub["TZOFFSETTO"].to_ical() for sub in timezone.subcomponents}
    assert {"+0100", "+0200"} <= offsets

    assert b"DTSTART;TZID=Europe/Paris:20270615T140000\r\n" in data
    assert b"DTEND;TZID=Europe/Paris:20270615T145000\r\n" in data
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert start == dt.datetime(2027, 6, 15, 14, 0, tzinfo=PARIS)
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert end - start == dt.timedelta(minutes=50)
    assert vevent["STATUS"] == "CONFIRMED"
    # DTSTAMP in UTC, whatever zone it was given in.
    assert b"DTSTAMP:20261201T083000Z\r\n" in data


def test_winter_time_is_written_in_local_time_too():
    data = invitation_bytes(event(start=dt.datetime(2027, 1, 12, 9, 30, tzinfo=dt.UTC)))
    _calendar, vevent = parse(data)
    assert b"DTSTART;TZID=Europe/Paris:20270112T103000\r\n" in data
    assert vevent.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)


def test_organizer_and_attendees_have_a_name_and_a_mailto():
    second = Person("Dominique Petit", "dominique@example.org")
    _calendar, vevent = parse(invitation_bytes(event(attendees=(CANDIDATE, second))))
    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:vae@localhost"
    assert organizer.params["CN"] == "CPNEF de l'audiovisuel"
    attendees = vevent["ATTENDEE"]
    assert [str(a) for a in attendees] == [
        "mailto:camille.martin@example.org",
        "mailto:dominique@example.org",
    ]
    assert [a.params["CN"] for a in attendees] == ["Camille Martin", "Dominique Petit"]
    assert {a.params["PARTSTAT"] for a in attendees} == {"NEEDS-ACTION"}


def test_every_line_ends_with_crlf_and_is_folded_at_75_octets():
    data = invitation_bytes(event(description="Une très longue description. " * 20))
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    # The folded description reads back whole, accents included.
    _calendar, vevent = parse(data)
    assert str(vevent["DESCRIPTION"]) == "Une très longue description. " * 20


def test_rescheduling_keeps_the_uid_and_raises_the_sequence():
    first = event()
    moved = event(
        sequence=first.sequence + 1,
        start=dt.datetime(2027, 6, 22, 10, 0, tzinfo=PARIS),
        dtstamp=dt.datetime(2026, 12, 5, 11, 0, tzinfo=PARIS),
    )
    _calendar, before = parse(invitation_bytes(first))
    calendar, after = parse(invitation_bytes(moved))

    assert after["UID"] == before["UID"] == "convocation-0c9f6d1e@127.0.0.1"
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1
    assert calendar["METHOD"] == "REQUEST"
    assert after.decoded("DTSTART") == dt.datetime(2027, 6, 22, 10, 0, tzinfo=PARIS)
    assert after.decoded("DTEND") == dt.datetime(2027, 6, 22, 10, 50, tzinfo=PARIS)


def test_a_cancellation_has_the_same_uid_the_cancel_method_and_cancelled_status():
    _calendar, request = parse(invitation_bytes(event()))
    calendar, cancel = parse(invitation_bytes(event(sequence=1, method=Method.CANCEL)))
    assert calendar["METHOD"] == "CANCEL"
    assert cancel["STATUS"] == "CANCELLED"
    assert cancel["UID"] == request["UID"]
    assert cancel.decoded("SEQUENCE") == 1
    # Still its time zone: the cancelled entry is found at the same local time.
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"


def test_an_interview_at_a_distance_gives_its_link_as_location_and_url():
    link = "https://visio.example.org/jury-vae-42"
    _calendar, vevent = parse(invitation_bytes(event(location="", url=link)))
    assert str(vevent["LOCATION"]) == link
    assert str(vevent["URL"]) == link


def test_the_same_event_gives_the_same_bytes():
    assert invitation_bytes(event()) == invitation_bytes(event())


@pytest.mark.parametrize(
    "changes",
    [
        {"start": dt.datetime(2027, 6, 15, 14, 0)},
        {"dtstamp": dt.datetime(2026, 12, 1, 9, 30)},
        {"duration": dt.timedelta(0)},
        {"sequence": -1},
    ],
)
def test_naive_datetimes_and_empty_durations_are_refused(changes):
    with pytest.raises(ValueError):
        event(**changes)


def test_the_session_invitation_lists_the_agenda_in_order():
    start = dt.datetime(2027, 6, 15, 14, 0, tzinfo=PARIS)
    agenda = [
        AgendaItem(start + dt.timedelta(minutes=55), dt.timedelta(minutes=45), "VAE-2026-00043"),
        AgendaItem(start, dt.timedelta(minutes=50), "VAE-2026-00042 — Camille Martin"),
    ]
    members = (
        Person("Alex Bernard", "alex@example.org"),
        Person("Sam Leroy", "sam@example.org"),
    )
    invitation = SessionInvitation(
        uid=make_uid("jury-session", "7"),
        sequence=2,
        start=start,
        end=start + dt.timedelta(hours=3),
        title="Jury VAE — juin 2027",
        organizer=ORGANIZER,
        members=members,
        dtstamp=start - dt.timedelta(days=30),
        agenda=agenda,
        location="12 rue de Lyon, 75012 Paris",
    )
    calendar, vevent = parse(session_invitation_bytes(invitation))
    assert calendar["METHOD"] == "REQUEST"
    assert vevent.decoded("SEQUENCE") == 2
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == dt.timedelta(hours=3)
    assert [str(a) for a in vevent["ATTENDEE"]] == [
        "mailto:alex@example.org",
        "mailto:sam@example.org",
    ]
    description = str(vevent["DESCRIPTION"])
    first = f"14{NBSP}h{NBSP}00 – 14{NBSP}h{NBSP}50{NBSP}: VAE-2026-00042 — Camille Martin"
    second = f"14{NBSP}h{NBSP}55 – 15{NBSP}h{NBSP}40{NBSP}: VAE-2026-00043"
    assert description.index(first) < description.index(second)


def test_an_empty_agenda_says_so():
    assert agenda_text([]) == "Aucun candidat n'est encore convoqué."
