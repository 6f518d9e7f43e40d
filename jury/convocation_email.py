"""The convocation e-mail of a candidate, and the session invitation of the jury members.

Pure of models: the jury's services describe a convocation with ``ConvocationDetails``
(from their rows) and call ``send_convocation`` inside the transaction that schedules,
reschedules or cancels; the e-mail leaves after the commit, from the site's sender, like
every other e-mail (``vae.emails``). Its MIME structure is ``vae.email_message``'s:
French text and HTML, the calendar as a ``text/calendar; method=…`` alternative and as
« invitation.ics », and the convocation PDF attached when given.

Three messages for a candidate, from one template set (``templates/jury/email/
convocation*``): the first convocation (``METHOD:REQUEST``, SEQUENCE 0); a rescheduling
(same UID, higher SEQUENCE, the previous date recalled, ``METHOD:REQUEST``); a
cancellation (``METHOD:CANCEL``, same UID).
"""

import datetime as dt
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

from jury.calendar import (
    CalendarEvent,
    Method,
    Person,
    SessionInvitation,
    agenda_text,
    invitation_bytes,
    session_invitation_bytes,
)
from vae.email_message import Attachment
from vae.emails import Email, contact_address, send_email, templated_email

# What every candidate brings, whatever the modality (the PDF and the e-mail list it).
WHAT_TO_BRING = (
    "une pièce d'identité en cours de validité (carte d'identité, passeport ou titre de séjour) ;",
    "cette convocation, imprimée ou sur votre téléphone ;",
    "si vous le souhaitez, votre dossier de validation (livret 2) pour vous y reporter.",
)
# And at a distance, what the interview needs to take place at all.
WHAT_TO_PREPARE_REMOTE = (
    "un ordinateur avec caméra et micro, dans une pièce calme ;",
    "une connexion stable : rejoignez la visioconférence dix minutes avant l'heure.",
)
PDF_MIMETYPE = "application/pdf"


@dataclass(frozen=True)
class Contact:
    """Whom the candidate writes or calls about the convocation (the certifier)."""

    name: str
    email: str
    phone: str = ""


def organizer() -> Person:
    """The organizer of every invitation: the platform's sender, where replies land."""
    name = parseaddr(settings.DEFAULT_FROM_EMAIL)[0] or "Plateforme VAE"
    return Person(name, contact_address())


@dataclass(frozen=True)
class ConvocationDetails:
    """What a convocation says, read from the jury's rows by its services.

    ``uid`` is the convocation's stable key (``jury.calendar.make_uid``), ``sequence``
    its version: 0 for the first convocation, one more at every rescheduling and at the
    cancellation.
    """

    uid: str
    sequence: int
    reference: str  # the candidacy's: VAE-2026-00042
    candidate: Person
    start: dt.datetime  # aware
    duration: dt.timedelta
    contact: Contact
    address: str = ""  # on site
    visio_url: str = ""  # at a distance
    blocs: tuple[str, ...] = ()  # « BC1 — … », the blocs the interview covers
    accommodations: tuple[str, ...] = ()  # granted, as the candidate will find them
    link: str = ""  # the convocation in the candidate's space
    previous_start: dt.datetime | None = None  # a rescheduling: the date it replaces
    reason: str = ""  # a rescheduling's or a cancellation's reason, told to the candidate
    issued_at: dt.datetime = field(default_factory=timezone.now)

    def __post_init__(self):
        if bool(self.address) == bool(self.visio_url):
            raise ValueError("A convocation has an address or a visio link, not both nor none.")

    @property
    def end(self) -> dt.datetime:
        return self.start + self.duration

    @property
    def remote(self) -> bool:
        return bool(self.visio_url)

    @property
    def what_to_bring(self) -> tuple[str, ...]:
        return WHAT_TO_BRING + (WHAT_TO_PREPARE_REMOTE if self.remote else ())

    def context(self) -> dict:
        """The plain context of the e-mail's and the PDF's templates
        (``jury.convocation_pdf.render_convocation_pdf`` reads nothing else)."""
        return {
            "reference": self.reference,
            "candidate_name": self.candidate.name,
            "start": timezone.localtime(self.start),
            "end": timezone.localtime(self.end),
            "duration": self.duration,
            "remote": self.remote,
            "address": self.address,
            "visio_url": self.visio_url,
            "blocs": list(self.blocs),
            "accommodations": list(self.accommodations),
            "what_to_bring": list(self.what_to_bring),
            "contact": self.contact,
            "link": self.link,
            "sequence": self.sequence,
            "previous_start": (
                timezone.localtime(self.previous_start) if self.previous_start else None
            ),
            "reason": self.reason,
            "issued_at": timezone.localtime(self.issued_at),
        }

    def calendar_event(self, method: Method = Method.REQUEST) -> CalendarEvent:
        lines = [f"Candidature {self.reference}."]
        if self.blocs:
            lines.append("Blocs présentés : " + " ; ".join(self.blocs) + ".")
        if self.accommodations:
            lines.append("Aménagements accordés : " + " ; ".join(self.accommodations) + ".")
        if self.remote:
            lines.append(f"Visioconférence : {self.visio_url}")
        lines.append(f"Contact : {self.contact.name} — {self.contact.email}")
        if self.link:
            lines.append(f"Votre convocation : {self.link}")
        return CalendarEvent(
            uid=self.uid,
            sequence=self.sequence,
            start=self.start,
            duration=self.duration,
            summary="Entretien avec le jury de VAE — CQP Administrateur de production",
            description="\n".join(lines),
            location=self.address,
            url=self.visio_url,
            organizer=organizer(),
            attendees=(self.candidate,),
            dtstamp=self.issued_at,
            method=method,
        )


def convocation_email(
    details: ConvocationDetails,
    *,
    method: Method = Method.REQUEST,
    pdf: bytes | None = None,
    pdf_filename: str = "",
) -> Email:
    """The rendered e-mail of a convocation, its update or its cancellation, with the
    invitation (same UID, the details' SEQUENCE) and the PDF when given."""
    attachments = ()
    if pdf is not None:
        name = pdf_filename or f"convocation-{details.reference}.pdf"
        attachments = (Attachment(name, pdf, PDF_MIMETYPE),)
    return templated_email(
        "jury/email/convocation",
        {**details.context(), "cancelled": method == Method.CANCEL},
        calendar=invitation_bytes(details.calendar_event(method)),
        calendar_method=method.value,
        attachments=attachments,
    )


def send_convocation(
    details: ConvocationDetails,
    *,
    method: Method = Method.REQUEST,
    pdf: bytes | None = None,
    pdf_filename: str = "",
) -> Email:
    """Render the e-mail now and send it to the candidate after the commit."""
    email = convocation_email(details, method=method, pdf=pdf, pdf_filename=pdf_filename)
    send_email(email, [details.candidate.email])
    return email


# -- the jury members' invitation -------------------------------------------------------


def session_email(invitation: SessionInvitation) -> Email:
    """The rendered e-mail of a session for its members: the invitation and the agenda."""
    method = invitation.method
    return templated_email(
        "jury/email/session_invitation",
        {
            "title": invitation.title,
            "start": timezone.localtime(invitation.start),
            "end": timezone.localtime(invitation.end),
            "address": invitation.location,
            "visio_url": invitation.url,
            "agenda": agenda_text(invitation.agenda),
            "link": invitation.link,
            "sequence": invitation.sequence,
            "cancelled": method == Method.CANCEL,
        },
        calendar=session_invitation_bytes(invitation),
        calendar_method=method.value,
    )


def send_session_invitation(invitation: SessionInvitation) -> Email:
    """Send the session's invitation to each member separately, after the commit."""
    email = session_email(invitation)
    send_email(email, [member.email for member in invitation.members])
    return email
