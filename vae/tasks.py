from django_tasks import task

from vae.email_message import Attachment, build_message


@task()
def send_email_task(
    *,
    subject: str,
    to: list[str],
    text: str,
    html: str,
    calendar: str = "",
    calendar_method: str = "",
    attachments: list | None = None,
) -> int:
    """Send one e-mail (text with an HTML alternative; for an invitation, its calendar
    and files: ``vae.email_message``) to each recipient separately.

    Separately, so that no recipient learns the others' addresses. The arguments are
    JSON (the database queue stores them): the calendar as text, each attachment as
    ``[filename, base64, mimetype]``.
    """
    files = tuple(Attachment.from_json(value) for value in attachments or ())
    sent = 0
    for address in to:
        message = build_message(
            subject=subject,
            to=[address],
            text=text,
            html=html,
            calendar=calendar.encode("utf-8"),
            calendar_method=calendar_method,
            attachments=files,
        )
        sent += message.send()
    return sent
