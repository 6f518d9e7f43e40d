"""Every transition e-mails the people concerned, in French, text and HTML, after commit."""

import pytest

from tests.factories import CandidacyFactory, UserFactory
from vae import notifications, services
from vae.enums import CandidacyState as S
from vae.enums import Role, Transition
from vae.workflow import TransitionRefused

CASES = [
    # transition, source, actor ("candidate"/"certifier"), subjects expected per audience
    (Transition.SUBMIT_ELIGIBILITY, S.DRAFT, "candidate",
     {"candidate": "Votre demande de recevabilité a bien été envoyée",
      "certifiers": "Nouvelle demande de recevabilité à examiner"}),
    (Transition.RETURN_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "certifier",
     {"candidate": "Votre livret 1 est à compléter"}),
    (Transition.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "certifier",
     {"candidate": "Votre demande est recevable"}),
    (Transition.REJECT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "certifier",
     {"candidate": "Votre demande n'est pas recevable"}),
    (Transition.SUBMIT_DOSSIER, S.ELIGIBLE, "candidate",
     {"candidate": "Votre dossier de validation a bien été déposé",
      "certifiers": "Nouveau dossier de validation déposé"}),
    (Transition.RETURN_DOSSIER, S.DOSSIER_SUBMITTED, "certifier",
     {"candidate": "Votre dossier de validation est à compléter"}),
    (Transition.WITHDRAW, S.ELIGIBLE, "candidate",
     {"candidate": "Votre candidature est close",
      "certifiers": "Une candidature a été abandonnée"}),
    (Transition.WITHDRAW, S.ELIGIBLE, "certifier",
     {"candidate": "Votre candidature est close"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "source", "actor", "subjects"), CASES)
def test_each_transition_mails_the_people_concerned(
    referentiel, django_capture_on_commit_callbacks, mailoutbox, settings,
    name, source, actor, subjects,
):  # fmt: skip
    settings.DEFAULT_FROM_EMAIL = "Certification CPNEF <vae@cpnef.example>"
    certifiers = [UserFactory(role=Role.CERTIFIER) for _ in range(2)]
    UserFactory(role=Role.CERTIFIER, is_active=False)  # left the team: no e-mail
    candidacy = CandidacyFactory(state=source)
    by = candidacy.candidate if actor == "candidate" else certifiers[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.run_transition(candidacy=candidacy, name=name, by=by, comment="Voir la pièce 3.")

    expected = {}
    if "candidate" in subjects:
        expected[candidacy.candidate.email] = subjects["candidate"]
    for certifier in certifiers:
        if "certifiers" in subjects:
            expected[certifier.email] = subjects["certifiers"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(expected)
    for message in mailoutbox:
        assert len(message.to) == 1  # nobody sees the other recipients
        assert message.from_email == "Certification CPNEF <vae@cpnef.example>"
        assert expected[message.to[0]] in message.subject
        assert candidacy.reference in message.subject
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert '<html lang="fr">' in html
        assert "Voir la pièce 3." in message.body
        assert "Voir la pièce 3." in html
        assert f"/{candidacy.pk}/" in message.body


@pytest.mark.parametrize(("name", "source", "actor", "subjects"), CASES)
def test_what_the_confirmation_pages_announce_is_what_is_sent(name, source, actor, subjects):
    """``notices`` is the one rule: the pages announce these e-mails before the click."""
    role = Role.CANDIDATE if actor == "candidate" else Role.CERTIFIER
    announced = {
        notice.audience: str(notice.message.subject)
        for notice in notifications.notices(name, actor_role=role)
    }
    assert announced == subjects


def test_a_refused_transition_sends_nothing(
    referentiel, django_capture_on_commit_callbacks, mailoutbox
):
    candidacy = CandidacyFactory(state=S.ELIGIBILITY_SUBMITTED)
    certifier = UserFactory(role=Role.CERTIFIER)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        services.reject_eligibility(candidacy=candidacy, by=certifier, comment="")
    assert mailoutbox == []


def test_links_point_to_the_configured_site(
    referentiel, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.VAE_SITE_URL = "https://vae.cpnef.example"
    candidacy = CandidacyFactory(state=S.ELIGIBILITY_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_eligibility(candidacy=candidacy, by=UserFactory(role=Role.CERTIFIER))
    (message,) = mailoutbox
    assert f"https://vae.cpnef.example/candidature/{candidacy.pk}/" in message.body


def test_comment_is_escaped_in_html(referentiel, django_capture_on_commit_callbacks, mailoutbox):
    candidacy = CandidacyFactory(state=S.ELIGIBILITY_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_eligibility(
            candidacy=candidacy,
            by=UserFactory(role=Role.CERTIFIER),
            comment="<script>alert(1)</script> & co",
        )
    (message,) = mailoutbox
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script> & co" in message.body  # plain text is not escaped
