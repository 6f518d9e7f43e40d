"""E-mails are typeset the French way once rendered (referentiel.french): no-break spaces before
« : ; ! ? » and inside « », in the subject and both bodies, links and styles untouched."""

from vae.emails import render_email

NBSP, NNBSP = "\u00a0", "\u202f"
CONFIRM = "https://vae.example/compte/inscription/confirmer/abc:def/?suite=1"
RESET = "https://vae.example/compte/mot-de-passe/?a=1&b=2"


def test_text_body_gets_french_spaces_and_keeps_its_links():
    _subject, text, _html = render_email(
        "emails/accounts/account_exists",
        {"confirm_url": CONFIRM, "password_reset_url": RESET, "login_url": "https://vae.example/"},
    )
    assert f"ouvrez ce lien (valable 3 jours){NBSP}:\n{CONFIRM}\n" in text
    assert f"ignorez ce message{NBSP}: votre compte" in text
    assert f"\n{RESET}\n" in text
    assert " :" not in text and " ?" not in text


def test_html_body_gets_french_spaces_outside_its_tags():
    _subject, _text, html = render_email(
        "emails/accounts/account_exists",
        {"confirm_url": "", "password_reset_url": RESET, "login_url": "https://vae.example/"},
    )
    assert f"Mot de passe oublié{NNBSP}? <a href=" in html
    assert f'href="{RESET.replace("&", "&amp;")}"' in html
    # Inline styles keep their own punctuation.
    assert 'style="margin:0;padding:0;background:#f4f5f7;' in html


def test_guillemets_and_subject():
    subject, text, html = render_email(
        "emails/accounts/email_changed",
        {
            "user": {"first_name": "Nora"},
            "new_email": "nora@exemple.fr",
            "old_email": "n@exemple.fr",
        },
    )
    assert subject == "L'adresse e-mail de votre compte VAE a changé"
    phrase = f"«{NBSP}Administrateur de production cinéma et audiovisuelle{NBSP}»"
    assert phrase in text
    assert phrase in html
