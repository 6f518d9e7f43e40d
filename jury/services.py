"""Every write of the jury: one entry point per action (permission, atomic, log, notify).

Errors are ``vae.workflow`` errors with a French message: ``TransitionForbidden`` when the
user may not act, ``TransitionRefused`` when the input or the moment is wrong; nothing is
written when one is raised.

Scheduling goes through the candidacy machine: the slot is written first, in the same
atomic block, then ``schedule_jury`` (or ``reschedule_jury``) runs and its guard
(``jury.guards.scheduling_problems``) judges that slot; a refusal rolls both back. The
convocation is the transition's effect (``issue_convocation``).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jury import convocation_document, permissions, rules, selectors
from jury import convocation_email as email
from jury.calendar import AgendaItem, Method, Person, SessionInvitation, make_uid
from jury.convocation_pdf import render_convocation_pdf
from jury.enums import (
    SESSION_TRANSITIONS,
    ConvocationStatus,
    Modality,
    SessionStatus,
    SessionTransition,
    SlotStatus,
)
from jury.models import (
    NOTE_MAX_CHARS,
    ConflictDeclaration,
    Convocation,
    JurySeat,
    JurySession,
    SessionStatusChange,
    Slot,
)
from referentiel import french as fr
from vae import services as vae_services
from vae.documents import tasks as document_tasks
from vae.emails import send_templated_email, site_url
from vae.enums import TRANSITIONS, Transition
from vae.notifications import certifier_addresses
from vae.workflow import TransitionForbidden, TransitionRefused


def _forbidden():
    return TransitionForbidden(_("Vous n'avez pas le droit d'effectuer cette action."))


# -- sessions -------------------------------------------------------------------------


@transaction.atomic
def create_session(*, by, certification, **fields) -> JurySession:
    """A new planned session; its constraints (hours, place) are checked with French
    messages before the database would refuse them."""
    if not permissions.can_manage(by):
        raise _forbidden()
    session = JurySession(certification=certification, created_by=by, **fields)
    _check_session(session)
    session.save()
    return session


def _check_session(session) -> None:
    problems = []
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        problems.append(_("L'heure de fin doit suivre l'heure de début."))
    if session.modality == Modality.ON_SITE and not session.address.strip():
        problems.append(_("Indiquez l'adresse de la session en présentiel."))
    if session.modality == Modality.REMOTE and not session.visio_link.strip():
        problems.append(_("Indiquez le lien de visioconférence de la session à distance."))
    if problems:
        raise TransitionRefused(_("La session n'est pas enregistrée."), problems=problems)


@transaction.atomic
def compose_session(*, session, by, members_by_role, president) -> list[str]:
    """Seat the members (``{role: [JuryMember, …]}``) and name the président.

    Saved even when incomplete (a session is composed over days); returns the composition
    problems left, which block scheduling until solved.
    """
    if not permissions.can_manage(by):
        raise _forbidden()
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PLANNED:
        raise TransitionRefused(_("Cette session n'est plus modifiable."))
    members = [member for chosen in members_by_role.values() for member in chosen]
    if len({member.pk for member in members}) != len(members):
        raise TransitionRefused(_("Un même membre ne peut occuper deux sièges."))
    if president is not None and president.pk not in {member.pk for member in members}:
        raise TransitionRefused(_("Le président doit être l'un des membres de la session."))
    session.seats.all().delete()
    JurySeat.objects.bulk_create(
        JurySeat(session=session, role=role, member=member)
        for role, chosen in members_by_role.items()
        for member in chosen
    )
    session.president = president
    session.save(update_fields=["president"])
    problems = selectors.session_problems(session)
    if not problems:
        send_session_invitation(session)
    return problems


def send_session_invitation(session) -> None:
    """The members' invitation (``.ics`` REQUEST, the agenda in it), sent after the commit
    when the session is validly composed and still ahead: at its composition and again at
    every change of its agenda, each time the same UID with a SEQUENCE one higher."""
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PLANNED or session.date < timezone.localdate():
        return
    if selectors.session_problems(session):
        return
    seats = list(session.seats.select_related("member__user"))
    members = tuple(
        Person(seat.member.user.get_full_name() or seat.member.user.email, seat.member.user.email)
        for seat in seats
    )
    sequence = session.invitation_sequence + (1 if session.invitation_sent_at else 0)
    now = timezone.now()
    email.send_session_invitation(
        SessionInvitation(
            uid=make_uid("session", str(session.pk)),
            sequence=sequence,
            start=session.at(session.start_time),
            end=session.at(session.end_time),
            title=_("Session du jury de VAE — CQP Administrateur de production"),
            organizer=email.organizer(),
            members=members,
            dtstamp=now,
            agenda=[
                AgendaItem(
                    start=session.at(slot.start),
                    duration=dt.timedelta(minutes=slot.duration_minutes),
                    label=f"{slot.candidacy.reference} — "
                    f"{slot.candidacy.candidate.get_full_name() or slot.candidacy.reference}",
                )
                for slot in selectors.agenda(session)
                if slot.status == SlotStatus.SCHEDULED
            ],
            location=session.address if session.modality == Modality.ON_SITE else "",
            url=session.visio_link if session.modality == Modality.REMOTE else "",
            link=site_url(reverse("jury:session", args=[session.pk])),
        )
    )
    session.invitation_sequence = sequence
    session.invitation_sent_at = now
    session.save(update_fields=["invitation_sequence", "invitation_sent_at"])


def _agenda_changed(*sessions) -> None:
    """Tell the members of each session whose agenda changed (once per session)."""
    for session in {session.pk: session for session in sessions if session is not None}.values():
        send_session_invitation(session)


# The guard of each row of ``SESSION_TRANSITIONS``: the session (locked) to the French
# sentences of what stands in the way, empty when nothing does.
SESSION_GUARDS = {
    SessionTransition.HOLD: lambda session: rules.hold_problems(
        day_starts=session.at(dt.time.min), now=timezone.now()
    ),
    SessionTransition.CLOSE: lambda session: rules.close_problems(
        selectors.still_convoked(session)
    ),
}


@transaction.atomic
def change_session_status(*, session, name, by) -> SessionStatusChange:
    """Move a session along its life (``jury.enums.SESSION_TRANSITIONS``), as a
    certifier: the status and a log row, or nothing at all with the reasons in French."""
    if not permissions.can_manage(by):
        raise _forbidden()
    name = SessionTransition(name)
    rule = SESSION_TRANSITIONS[name]
    # Locked: a candidate placed or heard meanwhile is seen by the guard, or waits.
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if session.status not in rule.sources:
        raise TransitionRefused(
            _("La session est « %(status)s » : « %(action)s » n'est pas possible.")
            % {"status": session.get_status_display(), "action": name.label}
        )
    problems = SESSION_GUARDS[name](session)
    if problems:
        raise TransitionRefused(_("Le statut de la session n'a pas changé."), problems=problems)
    change = SessionStatusChange.objects.create(
        session=session,
        transition=name,
        source_status=session.status,
        target_status=rule.target,
        actor=by,
    )
    session.status = rule.target
    session.save(update_fields=["status"])
    return change


def hold_session(*, session, by) -> SessionStatusChange:
    """The session took place: from its day on, no more convocations to it."""
    return change_session_status(session=session, name=SessionTransition.HOLD, by=by)


def close_session(*, session, by) -> SessionStatusChange:
    """Every candidate of the session was heard or recorded absent: the session is over."""
    return change_session_status(session=session, name=SessionTransition.CLOSE, by=by)


# -- scheduling -----------------------------------------------------------------------


def slot_duration(candidacy, extra_minutes: int = 0) -> int:
    return rules.slot_minutes(
        selectors.qa_minutes(candidacy),
        changeover=settings.VAE_JURY_CHANGEOVER_MINUTES,
        extra=extra_minutes,
    )


def _new_slot(*, candidacy, session, start, by, extra_minutes, accommodation_note) -> Slot:
    # The session's row is locked so that two certifiers placing candidates in the same
    # session at once are serialised: the overlap rule then sees the other's slot.
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if extra_minutes < 0:
        raise TransitionRefused(_("Le temps supplémentaire ne peut être négatif."))
    accommodation_note = (accommodation_note or "").strip()
    if len(accommodation_note) > NOTE_MAX_CHARS:
        raise TransitionRefused(_("La description des aménagements est trop longue."))
    try:
        with transaction.atomic():
            return Slot.objects.create(
                session=session,
                candidacy=candidacy,
                start=start,
                duration_minutes=slot_duration(candidacy, extra_minutes),
                extra_minutes=extra_minutes,
                accommodation_note=accommodation_note,
                created_by=by,
            )
    except IntegrityError as error:
        raise TransitionRefused(
            _("Un autre candidat passe déjà à cette heure dans cette session.")
        ) from error


def _place(*, name, candidacy, session, start, by, extra_minutes, accommodation_note, comment):
    if not permissions.can_schedule(by, candidacy):
        raise _forbidden()
    _new_slot(
        candidacy=candidacy,
        session=session,
        start=start,
        by=by,
        extra_minutes=extra_minutes,
        accommodation_note=accommodation_note,
    )
    return vae_services.run_transition(candidacy=candidacy, name=name, by=by, comment=comment)


@transaction.atomic
def schedule(
    *, candidacy, session, start: dt.time, by, extra_minutes=0, accommodation_note="", comment=""
):
    """Place a reviewed candidacy in a session at ``start``: the slot, the transition and
    its convocation, all or nothing."""
    return _place(
        name=Transition.SCHEDULE_JURY,
        candidacy=candidacy,
        session=session,
        start=start,
        by=by,
        extra_minutes=extra_minutes,
        accommodation_note=accommodation_note,
        comment=comment,
    )


@transaction.atomic
def reschedule(
    *, candidacy, session, start: dt.time, by, reason, extra_minutes=0, accommodation_note=""
):
    """Move a convoked candidate (same or another session): the old slot and convocation
    are cancelled and kept, a new slot and a new convocation (sequence + 1) are made."""
    if not permissions.can_schedule(by, candidacy):
        raise _forbidden()
    # Said before anything else: a guard's sentences would otherwise hide the missing reason.
    if not (reason or "").strip():
        raise TransitionRefused(str(TRANSITIONS[Transition.RESCHEDULE_JURY].comment_required))
    old = Slot.objects.select_for_update().scheduled().filter(candidacy=candidacy).first()
    if old is not None:
        old.end(SlotStatus.CANCELLED)
    return _place(
        name=Transition.RESCHEDULE_JURY,
        candidacy=candidacy,
        session=session,
        start=start,
        by=by,
        extra_minutes=extra_minutes,
        accommodation_note=accommodation_note,
        comment=reason,
    )


def convocation_uid(candidacy, session) -> str:
    """The calendar event's identity: one per candidacy and session, never reused."""
    return make_uid("convocation", f"{candidacy.pk}-session-{session.pk}")


def issue_convocation(*, candidacy, entry) -> Convocation:
    """The effect of ``schedule_jury`` and ``reschedule_jury``: the live convocation, if
    any, is cancelled (kept, pointing at its replacement) and a new one is sent."""
    slot = Slot.objects.scheduled().select_related("session").get(candidacy=candidacy)
    previous = (
        Convocation.objects.select_for_update()
        .select_related("slot__session")
        .filter(candidacy=candidacy, status=ConvocationStatus.SENT)
        .first()
    )
    now = timezone.now()
    if previous is not None:
        previous.status = ConvocationStatus.CANCELLED
        previous.cancelled_at = now
        previous.save(update_fields=["status", "cancelled_at"])
    convocation = Convocation.objects.create(
        candidacy=candidacy,
        slot=slot,
        uid=convocation_uid(candidacy, slot.session),
        sequence=Convocation.objects.filter(candidacy=candidacy).count(),
        created_at=now,
    )
    if previous is not None:
        previous.replaced_by = convocation
        previous.save(update_fields=["replaced_by"])
        if previous.uid != convocation.uid:
            # Another session: another calendar entry; the old one is withdrawn.
            send_cancellation(previous, reason=entry.comment)
    send_convocation(convocation)
    _agenda_changed(slot.session, previous.slot.session if previous is not None else None)
    return convocation


def send_convocation(convocation) -> None:
    """Send the candidate's convocation: its PDF is asked of the documents' mechanism
    (rendered in a task after the commit, stored with its SHA-256) and the e-mail (text,
    HTML, iCalendar REQUEST, the PDF) leaves when the PDF is final
    (``deliver_convocation``): never rendered inside the scheduling's transaction."""
    convocation_document.request_pdf(convocation)


def send_pending_convocations() -> int:
    """Render now, in this process, the PDF of every convocation in force not sent yet,
    which sends it (``deliver_convocation``): for a command where no task worker runs
    (the demo). Idempotent: a sent convocation is left alone, a stored PDF reused.
    Returns how many were pending."""
    pending = list(
        Convocation.objects.filter(status=ConvocationStatus.SENT, sent_at__isnull=True)
        .select_related("candidacy")
        .order_by("pk")
    )
    for convocation in pending:
        document = convocation_document.request_pdf(convocation)
        document_tasks.generate(document.pk, document.version)
    return len(pending)


def render_convocation_document(document) -> bytes:
    """The renderer registered for the convocation's generated document."""
    convocation = selectors.convocation_for_document(document)
    if convocation is None:
        raise ValueError(f"No convocation for document {document.pk} ({document.key})")
    return render_convocation_pdf(selectors.issued_details(convocation).context())


def deliver_convocation(document) -> None:
    """The documents' task finished the convocation's PDF: the e-mail goes out, once.

    Sent from here rather than rendered first in the request: the PDF's bytes exist only
    now, and the scheduling page stays fast. Claimed with one conditional update, so that
    a duplicate task sends nothing and a convocation cancelled (rescheduled, withdrawn)
    before its PDF was ready is never sent. A failed rendering still sends the
    convocation, without the PDF (a candidate must be convoked; the space offers the PDF
    again once rendered).
    """
    convocation = selectors.convocation_for_document(document)
    if convocation is None:
        return
    claimed = Convocation.objects.filter(
        pk=convocation.pk, status=ConvocationStatus.SENT, sent_at__isnull=True
    ).update(sent_at=timezone.now())
    if not claimed:
        return
    pdf = None
    if document.is_ready:
        with document.file.open("rb") as stored:
            pdf = stored.read()
    email.send_convocation(
        selectors.issued_details(convocation), pdf=pdf, pdf_filename=document.filename
    )


def send_cancellation(convocation, *, reason="") -> None:
    """The cancellation of a convocation's calendar entry (iCalendar CANCEL, same UID, a
    higher SEQUENCE), sent after the commit; nothing when the convocation itself was
    never sent (cancelled before its PDF was ready): there is no entry to withdraw."""
    if convocation.sent_at is None:
        return
    details = selectors.convocation_details(
        convocation, sequence=convocation.sequence + 1, reason=reason
    )
    email.send_convocation(details, method=Method.CANCEL)


def _cancel_live_convocation(candidacy, *, reason, send=True) -> None:
    now = timezone.now()
    for convocation in Convocation.objects.select_for_update().filter(
        candidacy=candidacy, status=ConvocationStatus.SENT
    ):
        convocation.status = ConvocationStatus.CANCELLED
        convocation.cancelled_at = now
        convocation.save(update_fields=["status", "cancelled_at"])
        if send:
            send_cancellation(convocation, reason=reason)


def cancel_on_withdrawal(*, candidacy, entry) -> None:
    """The effect of ``withdraw``: a convoked candidate's slot and convocation are
    cancelled (kept), and the cancellation is sent."""
    slot = Slot.objects.select_for_update().scheduled().filter(candidacy=candidacy).first()
    if slot is None:
        return
    slot.end(SlotStatus.CANCELLED)
    _cancel_live_convocation(candidacy, reason=entry.comment)
    _agenda_changed(slot.session)


def cancel_on_absence(*, candidacy, entry) -> None:
    """The effect of ``record_absence``: the convocation no longer stands (the candidate
    is to be scheduled again, with a new one). Its calendar entry is withdrawn only when
    the absence is recorded before the interview (an excused absence told in advance);
    after it, the entry is past and the absence notice says enough."""
    slot = (
        Slot.objects.filter(candidacy=candidacy, status=SlotStatus.ABSENT)
        .select_related("session")
        .order_by("-ended_at", "-pk")
        .first()
    )
    ahead = slot is not None and selectors.slot_start(slot) > timezone.now()
    _cancel_live_convocation(candidacy, reason=entry.comment, send=ahead)
    if ahead:
        _agenda_changed(slot.session)


# -- the session's day ----------------------------------------------------------------


@transaction.atomic
def record_absence(*, candidacy, by, excused: bool, justification=""):
    """The candidate did not come: excused (with the justification) or not; back to
    « reviewed », to be scheduled again. The log row's comment says which."""
    justification = (justification or "").strip()
    if excused and not justification:
        raise TransitionRefused(_("Indiquez la justification de l'absence excusée."))
    if len(justification) > NOTE_MAX_CHARS:
        raise TransitionRefused(_("La justification est trop longue."))
    if excused:
        comment = _("Absence excusée : %(why)s") % {"why": justification}
    else:
        comment = _("Absence non excusée.") + (f" {justification}" if justification else "")
    slot = selectors.scheduled_slot(candidacy)
    entry = vae_services.run_transition(
        candidacy=candidacy, name=Transition.RECORD_ABSENCE, by=by, comment=comment
    )
    if slot is not None:
        Slot.objects.filter(pk=slot.pk).update(absence_excused=excused)
    return entry


def record_interview(*, candidacy, by, comment=""):
    return vae_services.run_transition(
        candidacy=candidacy, name=Transition.RECORD_INTERVIEW, by=by, comment=comment
    )


# -- declarations ---------------------------------------------------------------------


@transaction.atomic
def declare(*, slot, by, no_conflict: bool, details="") -> ConflictDeclaration:
    """A member declares, before seeing anything of the candidate's dossier, whether they
    know or accompanied the candidate. A conflict bars them from this candidate and the
    certifiers are told, to replace the member or move the candidate."""
    slot = Slot.objects.select_related("session", "candidacy").get(pk=slot.pk)
    if not permissions.can_declare(by, slot):
        raise _forbidden()
    details = (details or "").strip()
    if not no_conflict and not details:
        raise TransitionRefused(_("Précisez votre lien avec le candidat."))
    if len(details) > NOTE_MAX_CHARS:
        raise TransitionRefused(_("Ces précisions sont trop longues."))
    member = permissions.member_of(by)
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                member=member,
                candidacy=slot.candidacy,
                session=slot.session,
                no_conflict=no_conflict,
                details="" if no_conflict else details,
            )
    except IntegrityError as error:
        raise TransitionRefused(_("Vous avez déjà fait votre déclaration.")) from error
    if not no_conflict:
        send_templated_email(
            "emails/notice",
            {
                "subject": _("Conflit d'intérêts déclaré par un membre du jury"),
                "lead": _(
                    "%(name)s déclare connaître le candidat du dossier %(ref)s, convoqué à la "
                    "session du jury du %(date)s. Remplacez ce membre dans la session ou "
                    "déplacez le candidat vers une autre session."
                )
                % {
                    "name": str(member),
                    "ref": slot.candidacy.reference,
                    "date": fr.date(slot.session.date),
                },
                "link": site_url(reverse("candidacy_admin:detail", args=[slot.candidacy_id])),
            },
            to=certifier_addresses(),
        )
    return declaration
