from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email_task(*, subject: str, to: list[str], text: str, html: str) -> int:
    """Send one e-mail (text with an HTML alternative) to each recipient separately.

    Separately, so that no recipient learns the others' addresses.
    """
    sent = 0
    for address in to:
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent
