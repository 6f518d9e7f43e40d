"""The one place an e-mail of the platform becomes a MIME message: text with its HTML
alternative, and for an invitation the calendar as a third alternative and as a file.

Shared by the sending task (which rebuilds the message from JSON arguments) and by the
apps that show or test a message before it is queued (``jury.convocation_email``).

An invitation (iMIP, RFC 6047) has the structure Gmail, Outlook and Apple Mail read::

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST; charset="utf-8"
      application/ics  (attachment « invitation.ics »)
      application/pdf  (attachment, the convocation, when given)

The ``text/calendar`` alternative is what shows the « add to calendar » panel; the
attached file is for the programs that only look at attachments, and keeps the exact
bytes (base64: the CRLF line endings arrive as written).
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

CALENDAR_MIMETYPE = "text/calendar"
CALENDAR_FILENAME = "invitation.ics"
CALENDAR_FILE_MIMETYPE = "application/ics"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str

    def to_json(self) -> list[str]:
        """For a task's arguments, which must be JSON."""
        return [self.filename, base64.b64encode(self.content).decode("ascii"), self.mimetype]

    @classmethod
    def from_json(cls, value) -> "Attachment":
        filename, content, mimetype = value
        return cls(filename, base64.b64decode(content), mimetype)


class PlatformMessage(EmailMultiAlternatives):
    """Every e-mail of the platform: an ``EmailMultiAlternatives`` whose ``text/calendar``
    alternative, when there is one (an invitation), carries the iTIP method as a
    parameter of its Content-Type, as RFC 6047 §2.4 requires: without it, Outlook shows
    the calendar as a plain attachment."""

    def __init__(self, *args, calendar_method: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar_method = calendar_method

    # Django 5.2 builds each alternative here from (content, mimetype); a mimetype string
    # with parameters would be split into a wrong subtype, so the parameter is set on the
    # finished part instead.
    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == CALENDAR_MIMETYPE and self.calendar_method:
            part.set_param("method", self.calendar_method)
        return part


def build_message(
    *,
    subject: str,
    to: list[str],
    text: str,
    html: str,
    calendar: bytes = b"",
    calendar_method: str = "",
    attachments: tuple[Attachment, ...] = (),
) -> EmailMultiAlternatives:
    """The message, from the site's sender; ``calendar`` (the bytes of a ``.ics``) becomes
    both the ``text/calendar`` alternative and the ``invitation.ics`` attachment."""
    if calendar and not calendar_method:
        raise ValueError("A calendar part needs its iTIP method (REQUEST, CANCEL).")
    message = PlatformMessage(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        calendar_method=calendar_method,
    )
    message.attach_alternative(html, "text/html")
    if calendar:
        message.attach_alternative(calendar.decode("utf-8"), CALENDAR_MIMETYPE)
        message.attach(CALENDAR_FILENAME, calendar, CALENDAR_FILE_MIMETYPE)
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message
