"""E-mails of the platform: rendered from a text and an HTML template, sent in a task.

Rendering happens in the request (templates see the same context everywhere); only the
finished strings travel to the background task, so the task's arguments stay JSON.
French spacing (no-break spaces before « : ; ! ? » and inside « ») is applied to the
finished subject and bodies, so that no template has to type those spaces.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail.backends import console
from django.db import transaction
from django.template.loader import render_to_string

from referentiel import french as fr
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


def send_templated_email(template_prefix: str, context: dict, to: list[str]) -> None:
    """Render now, send from a background task once the current transaction commits.

    After commit, so that a rolled-back action never e-mails anyone.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, text, html = render_email(template_prefix, context)
    transaction.on_commit(
        lambda: send_email_task.enqueue(subject=subject, to=recipients, text=text, html=html)
    )


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
