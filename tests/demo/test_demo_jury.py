"""The jury's demo data: two members, a session next month with two convoked candidates
(one with accommodations), a past session where two candidates were heard, one of them
decided."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from certificates.enums import CredentialKind
from certificates.models import Credential
from demo.content.jury import AMINA, CLAIRE, ELISE, HUGO, KARIM, LEILA, ROMAIN, THOMAS
from jury import rules, selectors
from jury.enums import ConvocationStatus, DecisionResult, SessionStatus, SlotStatus
from jury.models import ConflictDeclaration, Convocation, Deliberation, JuryMember, Slot
from tests.accounts import log_in
from vae.enums import CandidacyState as S
from vae.enums import DocumentKind
from vae.models import AcquiredBloc, Candidacy, CandidacyTransition, GeneratedDocument, User


def slot_of(person):
    return Slot.objects.select_related("session", "candidacy").get(
        candidacy__candidate__email=person.email
    )


def test_an_earlier_session_decided_a_partial_validation_and_a_refusal(client, demo):
    leila, romain = slot_of(LEILA), slot_of(ROMAIN)
    assert leila.session == romain.session
    assert leila.session.status == SessionStatus.CLOSED
    assert leila.session.minutes.filter(number=1).exists()  # the PV, drawn up
    partial = Deliberation.objects.get(slot=leila)
    assert partial.result == DecisionResult.PARTIAL
    assert partial.observations and partial.recommendations
    assert [
        (c.kind, c.bloc_code) for c in Credential.objects.filter(candidacy=leila.candidacy)
    ] == [(CredentialKind.BLOC_ATTESTATION, "BC3")]
    acquired = AcquiredBloc.objects.filter(candidate=leila.candidacy.candidate)
    assert sorted(acquired.values_list("bloc_code", flat=True)) == ["BC1", "BC3"]
    follow_up = Candidacy.objects.filter(candidate=leila.candidacy.candidate).latest("pk")
    assert follow_up.state == S.DRAFT
    assert [b.code for b in follow_up.targeted_blocs.all()] == ["BC2"]
    refusal = Deliberation.objects.get(slot=romain)
    assert refusal.result == DecisionResult.REFUSAL
    assert "nouvelle candidature" in refusal.recommendations
    assert not Credential.objects.filter(candidacy=romain.candidacy).exists()
    # Each reads the decision, bloc by bloc, with the jury's préconisations.
    client.force_login(romain.candidacy.candidate)
    page = client.get(reverse("candidacy:detail", args=[romain.candidacy.pk])).content.decode()
    assert "refus de validation" in page and "Préconisations du jury" in page


def test_two_members_make_a_valid_balanced_jury(demo):
    members = {m.user.email: m for m in JuryMember.objects.select_related("user")}
    assert set(members) == {KARIM, CLAIRE}
    assert members[KARIM].qualified
    session = slot_of(THOMAS).session
    assert selectors.session_problems(session) == []
    assert selectors.session_warning(session) == ""
    assert session.president == members[KARIM]


def test_next_months_session_has_two_convoked_candidates(demo):
    thomas, amina = slot_of(THOMAS), slot_of(AMINA)
    assert thomas.session == amina.session
    session = thomas.session
    today = timezone.localdate()
    assert today + dt.timedelta(days=28) <= session.date <= today + dt.timedelta(days=33)
    assert session.status == SessionStatus.PLANNED
    # Thomas asked for accommodations in livret 1: extra time, on his slot and convocation.
    assert thomas.extra_minutes == 15 and "écrit" in thomas.accommodation_note
    assert thomas.candidacy.eligibility_request.needs_accommodation
    assert (amina.extra_minutes, amina.accommodation_note) == (0, "")
    for slot in (thomas, amina):
        assert slot.status == SlotStatus.SCHEDULED
        assert slot.candidacy.state == S.JURY_SCHEDULED
        convocation = Convocation.objects.get(candidacy=slot.candidacy)
        assert convocation.status == ConvocationStatus.SENT and convocation.sent_at
        # Sent for real: its PDF is stored with its SHA-256.
        document = GeneratedDocument.objects.get(
            candidacy=slot.candidacy, kind=DocumentKind.CONVOCATION, key="convocation-0"
        )
        assert document.is_ready and len(document.sha256) == 64
    assert not rules.slot_problems(
        session_start=session.start_time,
        session_end=session.end_time,
        start=amina.start,
        minutes=amina.duration_minutes,
        others=selectors.other_periods(amina),
    )


def test_the_past_session_heard_one_candidate(demo):
    elise = slot_of(ELISE)
    assert elise.session.date < timezone.localdate()
    # Held then closed through the services, each change logged as the certifier's.
    assert elise.session.status == SessionStatus.CLOSED
    assert list(
        elise.session.status_changes.values_list("transition", "actor__email").order_by("pk")
    ) == [("hold", "certificateur@demo.vae.local"), ("close", "certificateur@demo.vae.local")]
    assert elise.status == SlotStatus.INTERVIEWED
    candidacy = Candidacy.objects.get(candidate__email=ELISE.email)
    assert candidacy.state == S.INTERVIEWED
    assert list(candidacy.transitions.values_list("transition", flat=True))[-2:] == [
        "schedule_jury",
        "record_interview",
    ]
    assert candidacy.transitions.last().actor.email == KARIM
    assert ConflictDeclaration.objects.filter(candidacy=candidacy, no_conflict=True).count() == 2


def test_the_past_session_decided_one_candidate(client, demo):
    hugo = slot_of(HUGO)
    assert hugo.session == slot_of(ELISE).session
    candidacy = hugo.candidacy
    assert candidacy.state == S.DECIDED
    decision = candidacy.transitions.get(transition="decide")
    record = Deliberation.objects.get(slot=hugo)
    assert record.result == DecisionResult.TOTAL
    assert record.signatures.filter(voided_at__isnull=True).count() == 2
    acquired = AcquiredBloc.objects.filter(candidate=candidacy.candidate).order_by("bloc_code")
    assert [(row.bloc_code, row.candidacy_id) for row in acquired] == [
        ("BC1", None),
        ("BC2", None),
        ("BC3", candidacy.pk),
    ]
    assert acquired.get(bloc_code="BC3").acquired_on == timezone.localdate(decision.created_at)
    # The demo's registration is entered before the jury decides: the certificate is issued.
    (certificate,) = Credential.objects.filter(candidacy=candidacy)
    assert certificate.kind == CredentialKind.CERTIFICATE
    assert certificate.rncp_number == "RNCP00000"
    karim = JuryMember.objects.get(user__email=KARIM)
    log_in(client, karim.user)
    page = client.get(reverse("jury:deliberation", args=[hugo.pk]))
    assert page.status_code == 200
    assert "Décision rendue le" in page.content.decode()
    # Élise's deliberation is open, for anyone trying the demo as a jury member.
    assert (
        "Signer la décision"
        in client.get(reverse("jury:deliberation", args=[slot_of(ELISE).pk])).content.decode()
    )


def test_the_jury_and_the_certifier_find_their_pages(client, demo):
    karim = JuryMember.objects.get(user__email=KARIM)
    session = slot_of(THOMAS).session
    log_in(client, karim.user)
    for url in (
        reverse("jury:home"),
        reverse("jury:session", args=[session.pk]),
        reverse("jury:session", args=[slot_of(ELISE).session_id]),
        reverse("jury:declare", args=[slot_of(AMINA).pk]),
    ):
        assert client.get(url).status_code == 200, url
    certifier = User.objects.get(email="certificateur@demo.vae.local")
    log_in(client, certifier)
    sarah = Candidacy.objects.get(candidate__email="sarah.benoit@demo.vae.local")
    for url in (
        reverse("jury_admin:sessions"),
        reverse("jury_admin:session", args=[session.pk]),
        reverse("jury_admin:compose", args=[session.pk]),
        reverse("jury_admin:waiting"),
        reverse("jury_admin:schedule", args=[sarah.pk]),
        reverse("jury_members:index"),
    ):
        assert client.get(url).status_code == 200, url
    # Sarah Benoît's review is closed: she waits for a session.
    waiting = client.get(reverse("jury_admin:waiting")).content.decode()
    assert sarah.reference in waiting


def test_each_step_of_the_jurys_stories_happens_on_its_day(demo):
    """The clock is moved to each step (``demo.timeline``): the candidates were found
    recevable months before their session and filed livret 2 within the three months the
    rules allow; a past session's convocations went a month before it, its interviews
    and decisions are dated on its day."""
    for person in (THOMAS, AMINA, ELISE, HUGO, LEILA, ROMAIN):
        slot = slot_of(person)
        days = {
            name: timezone.localdate(moment)
            for name, moment in slot.candidacy.transitions.values_list("transition", "created_at")
        }
        session_day = slot.session.date
        assert 150 <= (session_day - days["accept_eligibility"]).days <= 200, person.email
        assert 60 <= (session_day - days["submit_dossier"]).days <= 92, person.email
        assert days["accept_eligibility"] < days["submit_dossier"] < days["start_review"]
        assert days["start_review"] < days["complete_review"] <= days["schedule_jury"]
        convocation = Convocation.objects.get(candidacy=slot.candidacy)
        if session_day < timezone.localdate():
            assert days["schedule_jury"] == session_day - dt.timedelta(days=30)
            assert timezone.localdate(convocation.sent_at) == days["schedule_jury"]
            assert days["record_interview"] == session_day
            assert days.get("decide", session_day) == session_day
        else:
            assert days["schedule_jury"] == timezone.localdate()


def test_no_demo_row_is_dated_in_the_future(demo):
    """The clock moves forward only, and never past today: the real clock writes after
    the demo, its rows must come last."""
    now = timezone.now()
    assert not CandidacyTransition.objects.filter(created_at__gt=now).exists()
    for candidacy in Candidacy.objects.all():
        moments = list(candidacy.transitions.order_by("pk").values_list("created_at", flat=True))
        assert moments == sorted(moments), candidacy.reference
