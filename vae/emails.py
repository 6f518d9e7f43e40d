"""E-mails of the platform: rendered from a text and an HTML template, sent in a task.

Rendering happens in the request (templates see the same context everywhere); only the
finished strings travel to the background task, so the task's arguments stay JSON.
French spacing (no-break spaces before « : ; ! ? » and inside « ») is applied to the
finished subject and bodies, so that no template has to type those spaces.
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import console
from django.db import transaction
from django.template.loader import render_to_string

from referentiel import french as fr
from vae.email_message import Attachment, build_message
from vae.tasks import send_email_task


def site_url(path: str = "") -> str:
    """An absolute address on the platform, for links in e-mails."""
    return f"{settings.VAE_SITE_URL}{path}"


def render_email(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """Return (subject, text, html) from ``<prefix>_subject.txt``, ``.txt`` and ``.html``."""
    context = {"site_url": settings.VAE_SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    text = render_to_string(f"{template_prefix}.txt", context)
    html = render_to_string(f"{template_prefix}.html", context)
    return fr.typography(subject), fr.typography(text), fr.typography_html(html)


@dataclass(frozen=True)
class Email:
    """A rendered e-mail, ready to queue: what ``send_email`` sends."""

    subject: str
    text: str
    html: str
    # The bytes of a ``.ics`` (an invitation) and its iTIP method: see vae.email_message.
    calendar: bytes = b""
    calendar_method: str = ""
    attachments: tuple[Attachment, ...] = ()

    def message(self, to: list[str]) -> EmailMultiAlternatives:
        """The MIME message the sending task builds for these recipients."""
        return build_message(
            subject=self.subject,
            to=to,
            text=self.text,
            html=self.html,
            calendar=self.calendar,
            calendar_method=self.calendar_method,
            attachments=self.attachments,
        )

    def task_arguments(self) -> dict:
        """The JSON arguments of ``send_email_task`` (without the recipients)."""
        arguments = {"subject": self.subject, "text": self.text, "html": self.html}
        if self.calendar:
            arguments["calendar"] = self.calendar.decode("utf-8")
            arguments["calendar_method"] = self.calendar_method
        if self.attachments:
            arguments["attachments"] = [attachment.to_json() for attachment in self.attachments]
        return arguments


def templated_email(template_prefix: str, context: dict, **parts) -> Email:
    """``render_email`` as an ``Email``; ``parts`` are its calendar and attachments."""
    return Email(*render_email(template_prefix, context), **parts)


def send_email(email: Email, to: list[str]) -> None:
    """Send ``email`` from a background task once the current transaction commits.

    After commit, so that a rolled-back action never e-mails anyone.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    arguments = email.task_arguments()
    transaction.on_commit(lambda: send_email_task.enqueue(to=recipients, **arguments))


def send_templated_email(template_prefix: str, context: dict, to: list[str]) -> None:
    """Render now, send from a background task once the current transaction commits."""
    if not any(to):
        return
    send_email(templated_email(template_prefix, context), to)


def contact_address() -> str:
    """The address people may write to about the platform: the sender of its e-mails,
    where replies already land (its display name stripped)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


class ReadableConsoleBackend(console.EmailBackend):
    """Development e-mail: who, what and the plain-text body, never the raw MIME.

    A newcomer running the site reads the sign-up link in the console; Django's console
    backend prints both alternatives and every MIME header, about 50 lines an e-mail.
    """

    def write_message(self, message):
        rule = "─" * 79
        self.stream.write(
            f"{rule}\nE-mail à : {', '.join(message.to)}\nObjet : {message.subject}\n\n"
            f"{message.body.strip()}\n{rule}\n"
        )
