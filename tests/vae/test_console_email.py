"""The development console shows each e-mail as a person reads it, not as raw MIME."""

import io

from django.core.mail import EmailMultiAlternatives

from vae.emails import ReadableConsoleBackend


def test_console_prints_recipient_subject_and_text_only():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Confirmez votre adresse e-mail",
        body="Bonjour,\n\nOuvrez ce lien : http://127.0.0.1:8101/compte/confirmer/abc/\n",
        to=["nora@example.org"],
    )
    message.attach_alternative("<p>Bonjour <a href='x'>lien</a></p>", "text/html")

    sent = ReadableConsoleBackend(stream=stream).send_messages([message])

    output = stream.getvalue()
    assert sent == 1
    assert "E-mail à : nora@example.org" in output
    assert "Objet : Confirmez votre adresse e-mail" in output
    assert "http://127.0.0.1:8101/compte/confirmer/abc/" in output
    # Neither the HTML alternative nor the MIME plumbing.
    assert "<p>" not in output
    assert "Content-Type" not in output
    assert "boundary" not in output
