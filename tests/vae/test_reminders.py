"""Reminders (vae.reminders, ``manage.py send_reminders``): each sent once, never twice,
even when two runs meet; the core's kind (a recevabilité about to end without a dossier)
travelled through time."""

import datetime as dt
import io
import threading
from html import unescape

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, connections
from django.urls import reverse
from django.utils import timezone

from referentiel import french as fr
from tests.factories import CandidacyFactory, UserFactory
from vae import reminders
from vae.emails import Email
from vae.enums import CandidacyState, Role
from vae.models import SentReminder

S = CandidacyState
NBSP = "\u00a0"
END = dt.date(2027, 6, 30)  # the recevabilité's last day in these tests


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def run(**options) -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out, **options)
    return out.getvalue()


def sent_to(code_part: str = "") -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if code_part in m.subject)


# -- the framework, on a kind of the test's own -------------------------------------------


@pytest.fixture
def test_kind(db):
    """A kind due for two people from 1 December 2026 on; removed after the test."""
    people = [UserFactory(), UserFactory()]
    built = []

    def build(person):
        built.append(person.pk)
        return Email(subject="Rappel d'essai", text="Bonjour", html="<p>Bonjour</p>")

    def find(now):
        for person in people:
            yield reminders.Due(
                recipient=person,
                key="essai:1",
                due_at=at(dt.date(2026, 12, 1), 0),
                build=lambda person=person: build(person),
            )

    reminders.register_kind("essai", label="Essai", find=find)
    yield people, built
    reminders._kinds.pop("essai")


def test_run_twice_sends_one_e_mail_each(test_kind, travel):
    people, _built = test_kind
    travel(at(dt.date(2026, 12, 2)))
    first = run(kind=["essai"])
    second = run(kind=["essai"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert "2 rappel(s) envoyé(s), 0 déjà envoyé(s)" in first
    assert "0 rappel(s) envoyé(s), 2 déjà envoyé(s)" in second
    assert SentReminder.objects.filter(kind="essai").count() == 2


def test_nothing_is_sent_before_the_due_moment(test_kind, travel):
    travel(at(dt.date(2026, 11, 30), 23))
    assert "0 rappel(s) envoyé(s)" in run(kind=["essai"])
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_a_run_that_meets_the_row_of_another_run_sends_nothing(test_kind, travel):
    """The race: another run has inserted the row (and is sending); this one must not."""
    people, built = test_kind
    now = travel(at(dt.date(2026, 12, 2)))
    for person in people:
        SentReminder.objects.create(
            kind="essai", object_key="essai:1", recipient=person, due_at=now, sent_at=now
        )
    assert "0 rappel(s) envoyé(s), 2 déjà envoyé(s)" in run(kind=["essai"])
    assert mail.outbox == []
    assert built == []  # not even rendered


def test_the_database_refuses_a_second_row_for_the_same_reminder(test_kind):
    person = test_kind[0][0]
    now = timezone.now()
    SentReminder.objects.create(kind="essai", object_key="k", recipient=person, due_at=now)
    with pytest.raises(IntegrityError):
        SentReminder.objects.create(kind="essai", object_key="k", recipient=person, due_at=now)


def test_a_failed_sending_leaves_no_row_and_is_tried_again(test_kind, travel, monkeypatch):
    _people, _built = test_kind
    travel(at(dt.date(2026, 12, 2)))

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("serveur de messagerie injoignable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(SystemExit):
        call_command("send_reminders", kind=["essai"], stdout=io.StringIO(), stderr=io.StringIO())
    assert not SentReminder.objects.exists()

    monkeypatch.undo()
    travel(at(dt.date(2026, 12, 2), 10))
    assert "2 rappel(s) envoyé(s)" in run(kind=["essai"])
    assert len(mail.outbox) == 2


def test_inactive_people_and_people_without_address_get_nothing(test_kind, travel):
    people, _built = test_kind
    people[0].is_active = False
    people[0].save()
    travel(at(dt.date(2026, 12, 2)))
    run(kind=["essai"])
    assert [m.to[0] for m in mail.outbox] == [people[1].email]


# -- the core's kind: a recevabilité ending within 60 days, no dossier filed ---------------


@pytest.fixture
def eligible(referentiel):
    return CandidacyFactory(state=S.ELIGIBLE, eligible_until=END)


@pytest.fixture
def certifiers(db):
    return [UserFactory(role=Role.CERTIFIER), UserFactory(role=Role.CERTIFIER)]


def test_the_certifiers_hear_of_a_recevabilite_ending_in_60_days(eligible, certifiers, travel):
    travel(at(END - dt.timedelta(days=61)))
    run(kind=["eligibility_expiring"])
    assert mail.outbox == []

    travel(at(END - dt.timedelta(days=60)))
    run(kind=["eligibility_expiring"])
    assert sent_to(eligible.reference) == sorted(c.email for c in certifiers)

    # The next hours and days: nothing more.
    travel(at(END - dt.timedelta(days=59), 15))
    run(kind=["eligibility_expiring"])
    assert len(mail.outbox) == 2

    message = mail.outbox[0]
    assert message.subject == (
        f"[VAE CQP] Rappel{NBSP}: recevabilité bientôt échue sans dossier déposé — "
        f"{eligible.reference}"
    )
    assert "prend fin dans 60 jours" in message.body
    assert fr.date(END) in message.body
    html = unescape(message.alternatives[0].content)
    assert "le dossier de validation (livret 2) n'est pas encore déposé" in html
    assert reverse("candidacy_admin:detail", args=[eligible.pk]) in message.body


def test_a_first_run_late_still_reminds_once(eligible, certifiers, travel):
    """Cron was stopped for a while: the reminder leaves at the first run after its date."""
    travel(at(END - dt.timedelta(days=20)))
    run(kind=["eligibility_expiring"])
    assert len(sent_to(eligible.reference)) == 2
    assert "prend fin dans 20 jours" in mail.outbox[0].body


def test_no_reminder_once_the_dossier_is_filed_or_the_recevabilite_has_ended(
    referentiel, certifiers, travel
):
    CandidacyFactory(state=S.DOSSIER_SUBMITTED, eligible_until=END)
    CandidacyFactory(state=S.ELIGIBLE, eligible_until=END - dt.timedelta(days=40))
    travel(at(END - dt.timedelta(days=10)))
    run(kind=["eligibility_expiring"])
    assert mail.outbox == []


def test_an_extended_recevabilite_is_reminded_again(eligible, certifiers, travel):
    travel(at(END - dt.timedelta(days=30)))
    run(kind=["eligibility_expiring"])
    assert len(mail.outbox) == 2
    later = END + dt.timedelta(days=365)
    type(eligible).objects.filter(pk=eligible.pk).update(eligible_until=later)
    travel(at(later - dt.timedelta(days=59)))
    run(kind=["eligibility_expiring"])
    assert len(mail.outbox) == 4


def test_a_certifier_is_not_reminded_of_their_own_candidacy(referentiel, travel):
    certifier = UserFactory(role=Role.CERTIFIER)
    other = UserFactory(role=Role.CERTIFIER)
    CandidacyFactory(state=S.ELIGIBLE, eligible_until=END, candidate=certifier)
    travel(at(END - dt.timedelta(days=30)))
    run(kind=["eligibility_expiring"])
    assert [m.to[0] for m in mail.outbox] == [other.email]


def test_the_command_runs_every_kind_when_none_is_named(eligible, certifiers, travel):
    travel(at(END - dt.timedelta(days=30)))
    assert "2 rappel(s) envoyé(s)" in run()
    assert "0 rappel(s) envoyé(s), 2 déjà envoyé(s)" in run()


def test_a_kind_that_fails_does_not_stop_the_others(test_kind, travel):
    def broken(now):
        raise RuntimeError("requête impossible")
        yield  # a generator, as the kinds are

    reminders.register_kind("casse", label="Cassé", find=broken)
    try:
        travel(at(dt.date(2026, 12, 2)))
        err = io.StringIO()
        with pytest.raises(SystemExit):
            call_command("send_reminders", stdout=io.StringIO(), stderr=err)
    finally:
        reminders._kinds.pop("casse")
    assert "casse" in err.getvalue()
    assert len(mail.outbox) == 2  # the test kind's two reminders left all the same


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
def test_two_runs_at_the_same_moment_send_the_reminder_once_on_postgresql():
    """The second run inserts its row while the first, having inserted the same row, is
    still sending: it waits for the first to commit, meets the constraint, sends nothing."""
    person = UserFactory()
    first_inserted, second_ready = threading.Event(), threading.Event()
    reports = {}

    def build():
        first_inserted.set()
        second_ready.wait(timeout=10)
        return Email(subject="Rappel d'essai", text="Bonjour", html="<p>Bonjour</p>")

    def find(now):
        if threading.current_thread().name == "second":
            first_inserted.wait(timeout=10)
            second_ready.set()
        yield reminders.Due(recipient=person, key="essai:2", due_at=now, build=build)

    def run_in_thread():
        try:
            reports[threading.current_thread().name] = reminders.send_reminders(only=["simultane"])
        finally:
            connections.close_all()

    reminders.register_kind("simultane", label="Essai simultané", find=find)
    try:
        threads = [threading.Thread(target=run_in_thread, name=n) for n in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        reminders._kinds.pop("simultane")
    assert len(reports["first"].sent) == 1
    assert reports["second"].sent == [] and reports["second"].already_sent == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert SentReminder.objects.filter(kind="simultane").count() == 1
