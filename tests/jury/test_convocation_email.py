"""The convocation e-mail (jury.convocation_email): its MIME tree as a mail client reads
it, sent once after the commit from the site's sender; the convocation PDF rendered once."""

import datetime as dt
from email import message_from_bytes
from html import unescape
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from django.conf import settings
from django.core import mail
from icalendar import Calendar

from jury.calendar import AgendaItem, Method, Person, SessionInvitation, make_uid
from jury.convocation_email import (
    Contact,
    ConvocationDetails,
    convocation_email,
    send_convocation,
    send_session_invitation,
)
from jury.convocation_pdf import render_convocation_pdf

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
PDF = b"%PDF-1.7\n% a stand-in: the tests of the MIME tree need bytes, not a rendering\n"


def details(**changes) -> ConvocationDetails:
    values = {
        "uid": make_uid("convocation", "5b1c"),
        "sequence": 0,
        "reference": "VAE-2026-00042",
        "candidate": Person("Camille Martin", "camille.martin@example.org"),
        "start": dt.datetime(2027, 3, 9, 14, 30, tzinfo=PARIS),
        "duration": dt.timedelta(minutes=50),
        "contact": Contact("Service certification de la CPNEF", "vae@localhost", "01 23 45 67 89"),
        "address": "CPNEF de l'audiovisuel, 12 rue de Lyon, 75012 Paris",
        "blocs": ("BC1 — Gestion administrative", "BC3 — Gestion sociale"),
        "accommodations": ("Temps d'entretien majoré d'un tiers",),
        "link": "http://127.0.0.1:8000/candidature/42/convocation/",
        "issued_at": dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS),
    }
    values.update(changes)
    return ConvocationDetails(**values)


def parts(message):
    """The MIME tree of a sent message, parsed back from its bytes as a mail client would."""
    return message_from_bytes(message.message().as_bytes())


def test_the_mime_tree_is_what_calendar_clients_expect():
    message = convocation_email(details(), pdf=PDF).message(["camille.martin@example.org"])
    parsed = parts(message)

    assert parsed.get_content_type() == "multipart/mixed"
    alternative, ics_file, pdf_file = parsed.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html, calendar = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"

    assert ics_file.get_content_type() == "application/ics"
    assert ics_file.get_content_disposition() == "attachment"
    assert ics_file.get_filename() == "invitation.ics"
    assert pdf_file.get_content_type() == "application/pdf"
    assert pdf_file.get_filename() == "convocation-VAE-2026-00042.pdf"
    assert pdf_file.get_payload(decode=True) == PDF

    # The attached file keeps the exact bytes, CRLF line endings included.
    ics = ics_file.get_payload(decode=True)
    assert ics.count(b"\r\n") == ics.count(b"\n")
    assert b"METHOD:REQUEST\r\n" in ics
    # The alternative carries the same calendar.
    inline = Calendar.from_ical(calendar.get_payload(decode=True))
    assert inline.walk("VEVENT")[0]["UID"] == Calendar.from_ical(ics).walk("VEVENT")[0]["UID"]


def test_the_message_comes_from_the_site_and_speaks_french():
    email = convocation_email(details())
    message = email.message(["camille.martin@example.org"])
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == (
        f"[VAE CQP] Convocation à l'entretien avec le jury{NBSP}: mardi 9 mars 2027"
        " — VAE-2026-00042"
    )
    for body in (email.text, unescape(email.html)):
        assert "Bonjour Camille Martin" in body
        assert f"de 14{NBSP}h{NBSP}30 à 15{NBSP}h{NBSP}20" in body
        assert f"50{NBSP}minutes" in body
        assert "12 rue de Lyon, 75012 Paris" in body
        assert "Temps d'entretien majoré d'un tiers" in body
        assert "pièce d'identité" in body
        assert "01 23 45 67 89" in body
    # No PDF given: the invitation alone is attached.
    assert [name for name, _content, _type in message.attachments] == ["invitation.ics"]


def test_the_invitation_names_the_candidate_and_the_site_as_organizer():
    calendar = Calendar.from_ical(convocation_email(details()).calendar)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["ATTENDEE"]) == "mailto:camille.martin@example.org"
    assert str(vevent["ORGANIZER"]) == "mailto:vae@localhost"
    assert vevent.decoded("DTSTART") == dt.datetime(2027, 3, 9, 14, 30, tzinfo=PARIS)
    assert vevent.decoded("DTEND") == dt.datetime(2027, 3, 9, 15, 20, tzinfo=PARIS)


def test_a_rescheduling_recalls_the_previous_date_with_the_same_uid():
    first = convocation_email(details())
    moved = convocation_email(
        details(
            sequence=1,
            start=dt.datetime(2027, 3, 16, 10, 0, tzinfo=PARIS),
            previous_start=dt.datetime(2027, 3, 9, 14, 30, tzinfo=PARIS),
            reason="Indisponibilité d'un membre du jury.",
        )
    )
    assert "Nouvelle date" in moved.subject
    assert "mardi 9 mars 2027" in moved.text and "est déplacé" in moved.text
    assert "Indisponibilité d'un membre du jury." in unescape(moved.html)
    before = Calendar.from_ical(first.calendar).walk("VEVENT")[0]
    after = Calendar.from_ical(moved.calendar).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1
    assert moved.calendar_method == "REQUEST"


def test_a_cancellation_sends_the_cancel_method_in_the_part_and_the_file():
    email = convocation_email(details(sequence=2), method=Method.CANCEL)
    assert email.subject.startswith("[VAE CQP] Annulation de votre entretien")
    assert "annulé" in email.text
    calendar_part = parts(email.message(["camille.martin@example.org"])).get_payload()[0]
    assert calendar_part.get_payload()[2].get_param("method") == "CANCEL"
    calendar = Calendar.from_ical(email.calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_a_remote_interview_gives_the_link_and_what_to_prepare():
    email = convocation_email(details(address="", visio_url="https://visio.example.org/j42"))
    assert "https://visio.example.org/j42" in email.text
    assert "caméra et micro" in email.text
    assert "Lieu" not in email.text


def test_a_convocation_has_an_address_or_a_link():
    with pytest.raises(ValueError):
        details(address="")
    with pytest.raises(ValueError):
        details(visio_url="https://visio.example.org/j42")


def test_the_e_mail_leaves_once_after_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_convocation(details(), pdf=PDF)
    # Nothing leaves while the transaction may still roll back.
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    (sent,) = mail.outbox
    assert sent.to == ["camille.martin@example.org"]
    # Rebuilt by the task from its JSON arguments: the same tree and bytes.
    parsed = parts(sent)
    ics = parsed.get_payload()[1].get_payload(decode=True)
    assert ics == convocation_email(details()).calendar
    assert parsed.get_payload()[2].get_payload(decode=True) == PDF


def test_each_member_receives_the_session_invitation_alone(db, django_capture_on_commit_callbacks):
    start = dt.datetime(2027, 3, 9, 14, 0, tzinfo=PARIS)
    invitation = SessionInvitation(
        uid=make_uid("jury-session", "3"),
        sequence=0,
        start=start,
        end=start + dt.timedelta(hours=3),
        title="Jury VAE de mars 2027",
        organizer=Person("CPNEF", "vae@localhost"),
        members=(
            Person("Alex Bernard", "alex@example.org"),
            Person("Sam Leroy", "sam@example.org"),
        ),
        dtstamp=start - dt.timedelta(days=40),
        agenda=(AgendaItem(start, dt.timedelta(minutes=50), "VAE-2026-00042 — Camille Martin"),),
        url="https://visio.example.org/session-3",
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_session_invitation(invitation)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alex@example.org",
        "sam@example.org",
    ]
    message = mail.outbox[0]
    assert "VAE-2026-00042 — Camille Martin" in message.body
    assert "https://visio.example.org/session-3" in message.body
    calendar_part = parts(message).get_payload()[0].get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"


def test_the_convocation_pdf_prints_the_date_and_the_place():
    pdf = render_convocation_pdf(details().context())
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    text = " ".join(text.replace(NBSP, " ").split())
    assert "Convocation à l'entretien avec le jury" in text
    assert "mardi 9 mars 2027" in text
    assert "14 h 30" in text and "15 h 20" in text
    assert "12 rue de Lyon, 75012 Paris" in text
    assert "Temps d'entretien majoré d'un tiers" in text
    assert "vae@localhost" in text
