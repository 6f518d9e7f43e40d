"""The convocation sent for real: its PDF is a generated document (rendered in the
documents' task, stored with its SHA-256) and the e-mail leaves, once, when it is final;
an absence cancels the convocation; the members receive the session's invitation."""

import datetime as dt
import hashlib

from django.utils import timezone
from icalendar import Calendar

from jury import services
from jury.enums import ConvocationStatus
from jury.models import Convocation, Slot
from tests.factories import make_session, schedule
from vae.documents import tasks
from vae.enums import DocumentKind, DocumentStatus
from vae.models import GeneratedDocument


def to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def attachment(message, mimetype):
    return next(content for _name, content, kind in message.attachments if kind == mimetype)


def test_the_e_mail_leaves_with_the_stored_pdf_once(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)
    convocation = Convocation.objects.get(candidacy=reviewed)
    document = GeneratedDocument.objects.get(candidacy=reviewed, kind=DocumentKind.CONVOCATION)
    assert (document.key, document.status, document.frozen) == (
        "convocation-0",
        DocumentStatus.READY,
        True,
    )
    with document.file.open("rb") as file:
        stored = file.read()
    assert stored.startswith(b"%PDF") and document.sha256 == hashlib.sha256(stored).hexdigest()
    [message] = to(mailoutbox, reviewed.candidate.email)
    assert attachment(message, "application/pdf") == stored
    assert Calendar.from_ical(attachment(message, "application/ics"))["METHOD"] == "REQUEST"
    assert convocation.sent_at is not None
    # A duplicate rendering task sends nothing more.
    document.refresh_from_db()
    services.deliver_convocation(document)
    assert tasks.generate(document.pk, document.version) == DocumentStatus.READY
    assert len(to(mailoutbox, reviewed.candidate.email)) == 1


def test_a_rescheduling_sends_a_new_pdf_with_the_update(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, start=dt.time(9, 0), by=certifier)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            candidacy=reviewed, session=session, start=dt.time(14, 0), by=certifier, reason="Grève."
        )
    keys = set(GeneratedDocument.objects.filter(candidacy=reviewed).values_list("key", flat=True))
    assert keys == {"convocation-0", "convocation-1"}
    [message] = to(mailoutbox, reviewed.candidate.email)
    event = Calendar.from_ical(attachment(message, "application/ics")).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert attachment(message, "application/pdf").startswith(b"%PDF")
    assert "Grève." in message.body


def test_a_failed_pdf_still_convokes_the_candidate(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    def broken(context):
        raise RuntimeError("WeasyPrint down")

    monkeypatch.setattr(services, "render_convocation_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)
    document = GeneratedDocument.objects.get(candidacy=reviewed, kind=DocumentKind.CONVOCATION)
    assert document.status == DocumentStatus.FAILED
    [message] = to(mailoutbox, reviewed.candidate.email)
    assert [kind for _n, _c, kind in message.attachments] == ["application/ics"]
    assert Convocation.objects.get(candidacy=reviewed).sent_at is not None


def test_a_convocation_cancelled_before_its_pdf_is_never_sent(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule(reviewed, session, by=certifier)
    Convocation.objects.filter(candidacy=reviewed).update(status=ConvocationStatus.CANCELLED)
    for callback in callbacks:
        callback()
    assert to(mailoutbox, reviewed.candidate.email) == []
    assert Convocation.objects.get(candidacy=reviewed).sent_at is None


def test_an_absence_told_in_advance_cancels_the_convocation_and_its_entry(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_absence(
            candidacy=reviewed, by=certifier, excused=True, justification="Hospitalisé."
        )
    convocation = Convocation.objects.get(candidacy=reviewed)
    assert convocation.status == ConvocationStatus.CANCELLED and convocation.cancelled_at
    methods = [
        Calendar.from_ical(attachment(m, "application/ics"))["METHOD"]
        for m in to(mailoutbox, reviewed.candidate.email)
        if any(kind == "application/ics" for _n, _c, kind in m.attachments)
    ]
    assert methods == ["CANCEL"]
    # Scheduled again: a new convocation stands, one version higher.
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, make_session(days_ahead=50), by=certifier)
    live = Convocation.objects.get(candidacy=reviewed, status=ConvocationStatus.SENT)
    assert live.sequence == 1 and live.sent_at is not None


def test_an_absence_on_the_day_cancels_the_convocation_without_a_calendar_e_mail(
    reviewed, certifier, django_capture_on_commit_callbacks, mailoutbox, travel
):
    session = make_session(days_ahead=3, by=certifier)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)
    mailoutbox.clear()
    travel(timezone.make_aware(dt.datetime.combine(session.date, dt.time(12, 0))))
    with django_capture_on_commit_callbacks(execute=True):
        services.record_absence(candidacy=reviewed, by=certifier, excused=False)
    assert Convocation.objects.get(candidacy=reviewed).status == ConvocationStatus.CANCELLED
    assert not any(kind == "application/ics" for m in mailoutbox for _n, _c, kind in m.attachments)
    assert Slot.objects.get(candidacy=reviewed).absence_excused is False


def test_the_members_receive_the_session_invitation_with_its_agenda(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    seats = session.seats.select_related("member__user")
    members = sorted(seat.member.user.email for seat in seats)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, start=dt.time(10, 0), by=certifier)
    invitations = [m for m in mailoutbox if m.to[0] in members]
    assert sorted(m.to[0] for m in invitations) == members
    event = Calendar.from_ical(attachment(invitations[0], "application/ics")).walk("VEVENT")[0]
    assert "10\u00a0h\u00a000" in str(event["DESCRIPTION"]) and reviewed.reference in str(
        event["DESCRIPTION"]
    )
    first_sequence = int(event["SEQUENCE"])
    session.refresh_from_db()
    assert session.invitation_sequence == first_sequence
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_absence(candidacy=reviewed, by=certifier, excused=False)
    again = [m for m in mailoutbox if m.to[0] in members]
    event = Calendar.from_ical(attachment(again[0], "application/ics")).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == first_sequence + 1
    assert reviewed.reference not in str(event["DESCRIPTION"])


def test_a_new_convocation_after_an_absence_is_not_called_a_new_date(
    reviewed, session, certifier, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, by=certifier)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_absence(
            candidacy=reviewed, by=certifier, excused=True, justification="Hospitalisé."
        )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, make_session(days_ahead=50), by=certifier)
    [message] = to(mailoutbox, reviewed.candidate.email)
    # Sequence 1 (the calendar's version), but nothing is moved: it is a convocation.
    assert message.subject.startswith("[VAE CQP] Convocation à l'entretien avec le jury\xa0: ")
    assert "Nouvelle date" not in message.subject
    assert "est déplacé" not in message.body
