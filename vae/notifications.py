"""Who hears about each transition, and what they are told (in French).

Every transition e-mails the people concerned: the candidate about their file, the
certifiers about what waits for them. E-mails are rendered now and sent by a background
task after commit (``vae.emails``).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vae.emails import send_templated_email, site_url
from vae.enums import Role, Transition
from vae.models import User

T = Transition


@dataclass(frozen=True)
class Message:
    subject: str
    lead: str
    next_step: str = ""


# What the candidate reads about their own candidacy.
TO_CANDIDATE = {
    T.SUBMIT_ELIGIBILITY: Message(
        _("Votre demande de recevabilité a bien été envoyée"),
        _("Nous avons bien reçu votre livret 1. Le certificateur va l'examiner."),
        _("Vous recevrez un e-mail dès qu'une décision sera prise."),
    ),
    T.RETURN_ELIGIBILITY: Message(
        _("Votre livret 1 est à compléter"),
        _("Le certificateur vous renvoie votre livret 1 pour correction ou complément."),
        _("Modifiez votre livret 1 selon son commentaire, puis envoyez-le de nouveau."),
    ),
    T.ACCEPT_ELIGIBILITY: Message(
        _("Votre demande est recevable"),
        _("Bonne nouvelle : votre demande de VAE est déclarée recevable."),
        _("Vous pouvez maintenant rédiger votre dossier de validation (livret 2)."),
    ),
    T.REJECT_ELIGIBILITY: Message(
        _("Votre demande n'est pas recevable"),
        _("Après examen, votre demande de VAE n'est pas recevable."),
        _("Le motif est indiqué ci-dessous. Vous pourrez déposer une nouvelle demande."),
    ),
    T.SUBMIT_DOSSIER: Message(
        _("Votre dossier de validation a bien été déposé"),
        _("Nous avons bien reçu votre dossier de validation (livret 2)."),
        _("Il sera vérifié puis confié aux évaluateurs."),
    ),
    T.RETURN_DOSSIER: Message(
        _("Votre dossier de validation est à compléter"),
        _("Le certificateur vous renvoie votre dossier de validation pour correction."),
        _("Modifiez votre dossier selon son commentaire, puis déposez-le de nouveau."),
    ),
    T.START_REVIEW: Message(
        _("Votre dossier est en cours d'évaluation"),
        _("Votre dossier de validation a été confié aux quatre évaluateurs."),
        _("Vous n'avez rien à faire : vous serez informé de la suite."),
    ),
    T.COMPLETE_REVIEW: Message(
        _("L'évaluation de votre dossier est terminée"),
        _("Les évaluateurs ont terminé l'examen de votre dossier de validation."),
        _("Vous serez convoqué à un entretien avec le jury."),
    ),
    # schedule_jury and reschedule_jury: the convocation e-mail itself, with its calendar
    # invitation, is the candidate's notice (``jury.services.send_convocation``).
    T.RECORD_ABSENCE: Message(
        _("Votre absence à l'entretien avec le jury"),
        _("Votre absence à l'entretien avec le jury de validation a été enregistrée."),
        _("Le certificateur vous proposera une nouvelle date."),
    ),
    T.RECORD_INTERVIEW: Message(
        _("Votre entretien avec le jury a eu lieu"),
        _("Le jury de validation a terminé votre entretien."),
        _("Vous recevrez la décision du jury par e-mail."),
    ),
    T.DECIDE: Message(
        _("La décision du jury est rendue"),
        _("Le jury de validation a délibéré et signé sa décision sur votre candidature."),
        _(
            "Le détail, avec les raisons de chaque résultat et vos documents à télécharger, "
            "est dans votre espace candidat."
        ),
    ),
    T.WITHDRAW: Message(
        _("Votre candidature est close"),
        _("Votre candidature a été abandonnée."),
        _("Vous pourrez déposer une nouvelle candidature quand vous le souhaiterez."),
    ),
}

# What the certifiers read about a candidate's action.
TO_CERTIFIERS = {
    T.SUBMIT_ELIGIBILITY: Message(
        _("Nouvelle demande de recevabilité à examiner"),
        _("Un candidat vient d'envoyer son livret 1."),
        _("Examinez la demande : recevable, non recevable, ou à compléter."),
    ),
    T.SUBMIT_DOSSIER: Message(
        _("Nouveau dossier de validation déposé"),
        _("Un candidat vient de déposer son dossier de validation (livret 2)."),
        _("Vérifiez le dossier puis affectez les évaluateurs."),
    ),
    T.RECORD_ABSENCE: Message(
        _("Un candidat était absent devant le jury"),
        _("Un membre du jury a enregistré l'absence d'un candidat à son entretien."),
        _("Proposez-lui une nouvelle date dans une session du jury."),
    ),
    T.DECIDE: Message(
        _("Une décision du jury est rendue"),
        _("Les membres du jury ont signé la décision sur une candidature."),
        _("Les blocs validés sont enregistrés comme acquis."),
    ),
    T.WITHDRAW: Message(
        _("Une candidature a été abandonnée"),
        _("Une candidature vient d'être abandonnée."),
        "",
    ),
}


# What an upper app adds to a transition's e-mail to the candidate: ``summary(candidacy)``
# returns (label, text) lines, read in the transition's transaction after its effects (the
# jury's decision is stored by then). The core knows no result; the jury does.
Summary = Callable[..., list[tuple[str, str]]]
_summaries: dict[Transition, list[Summary]] = defaultdict(list)


def register_summary(transition, summary: Summary) -> None:
    """Called by an upper app's ``ready()`` (idempotent)."""
    summaries = _summaries[Transition(transition)]
    if summary not in summaries:
        summaries.append(summary)


def summary_lines(transition, candidacy) -> list[tuple[str, str]]:
    return [line for summary in _summaries[Transition(transition)] for line in summary(candidacy)]


def certifiers():
    """The active certifiers: who hears about what waits for a decision."""
    return User.objects.filter(is_active=True, groups__name=Role.CERTIFIER).distinct()


def certifier_addresses() -> list[str]:
    return list(certifiers().values_list("email", flat=True))


CANDIDATE, CERTIFIERS = "candidate", "certifiers"


@dataclass(frozen=True)
class Notice:
    """One e-mail a transition sends: to whom (``CANDIDATE`` or ``CERTIFIERS``), and what."""

    audience: str
    message: Message


def notices(transition, *, actor_role) -> list[Notice]:
    """The e-mails ``transition`` sends when performed in ``actor_role``.

    The one rule: ``notify_transition`` sends exactly these, and the confirmation pages
    announce them before the user commits, so the two can never disagree.
    """
    transition = Transition(transition)
    found = []
    if transition in TO_CANDIDATE:
        found.append(Notice(CANDIDATE, TO_CANDIDATE[transition]))
    # A certifier's own action needs no e-mail to the certifiers (they know); a
    # candidate's or a jury member's action (a withdrawal by the candidate, an absence
    # recorded by the jury) does.
    if transition in TO_CERTIFIERS and actor_role != Role.CERTIFIER:
        found.append(Notice(CERTIFIERS, TO_CERTIFIERS[transition]))
    return found


def notify_transition(entry) -> None:
    """Queue the e-mails of one transition log row."""
    candidacy = entry.candidacy
    context = {"entry": entry, "candidacy": candidacy, "candidate": candidacy.candidate}
    for notice in notices(entry.transition, actor_role=entry.actor_role):
        if notice.audience == CANDIDATE:
            audience = {
                "recipient_name": candidacy.candidate.get_full_name(),
                "link": site_url(reverse("candidacy:detail", args=[candidacy.pk])),
                "link_label": _("Voir ma candidature"),
                "summary": summary_lines(entry.transition, candidacy),
            }
            to = [candidacy.candidate.email]
        else:
            audience = {
                "recipient_name": "",
                "link": site_url(reverse("candidacy_admin:detail", args=[candidacy.pk])),
                "link_label": _("Ouvrir la candidature"),
            }
            to = [a for a in certifier_addresses() if a != candidacy.candidate.email]
        send_templated_email(
            "emails/candidacy/transition",
            {**context, **audience, "message": notice.message, "show_comment": True},
            to=to,
        )
