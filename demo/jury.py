"""Demo data of the jury: its two members, a session next month with two convoked
candidates (one with accommodations), a session held two weeks ago where two candidates
were heard (one waits for the deliberation, the other's decision is signed: validation
totale), and a session five weeks ago with a validation partielle (its follow-up
candidacy started) and a refusal, each with the jury's observations and préconisations.

Every step goes through the platform's services, taken by the person who would: the
certifier creates and composes the sessions and convokes the candidates, the members
declare, record the interview, vote and sign, the certifier marks the past session held
and closes it. Each step happens on its day: the platform's clock is moved there
(``demo.timeline``), months back for the candidates' recevabilité and review, to a month
before each past session for its convocations (the platform refuses, rightly, to convoke
anyone to a past session), to the session's day for its interviews and decisions; nothing
is dated back by hand. The convocations are sent (their PDFs rendered and stored, their
e-mails given to the configured backend). Run again, it changes nothing: a demo candidate
who already has a candidacy is left as is, a convocation already sent is not sent again.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from demo.content.ines import INES_DOSSIER
from demo.content.jury import (
    AMINA,
    AMINA_DOSSIER,
    CLAIRE,
    ELISE,
    ELISE_DOSSIER,
    GRIDS,
    HUGO,
    HUGO_DOSSIER,
    JURY_MEMBERS,
    JURY_PASSWORD,
    KARIM,
    LEILA,
    LEILA_CONSOLIDATION,
    LEILA_GRIDS,
    LEILA_TEXTS,
    ROMAIN,
    ROMAIN_CONSOLIDATION,
    ROMAIN_DOSSIER,
    ROMAIN_GRIDS,
    ROMAIN_TEXTS,
    THOMAS,
    THOMAS_DOSSIER,
)
from demo.people import demo_account, role_account
from demo.reviews import ensure_demo_evaluators, review_completed
from demo.stories import fill_livret1
from demo.timeline import clock
from jury import deliberation, selectors, services
from jury.admin_forms import JuryMemberForm
from jury.enums import Modality
from jury.models import JuryMember, JurySession, Slot
from referentiel import french as fr
from referentiel.models import Certification
from vae import services as vae_services
from vae.enums import Role
from vae.models import Candidacy


def jury_profile(user, *, college, civility, qualified, organisation) -> JuryMember:
    """``user``'s jury profile, entered through the certifier's back-office form."""
    form = JuryMemberForm(
        data={
            "user": user.pk,
            "college": college,
            "civility": civility,
            "qualified": qualified,
            "active": True,
            "organisation": organisation,
        },
        instance=JuryMember.objects.filter(user=user).first(),
    )
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.save()


def ensure_demo_jury() -> dict[str, JuryMember]:
    members = {}
    for email, first, last, college, civility, qualified, organisation in JURY_MEMBERS:
        user = demo_account(email, first, last, JURY_PASSWORD, Role.JURY_MEMBER)
        members[email] = jury_profile(
            user,
            college=college,
            civility=civility,
            qualified=qualified,
            organisation=organisation,
        )
    return members


def weekday_from(day: dt.date) -> dt.date:
    """``day``, or the Monday after when it falls on a weekend."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def composed_session(
    certifier,
    members,
    *,
    day,
    start_time=dt.time(9, 30),
    end_time=dt.time(12, 30),
    **place,
) -> JurySession:
    """A jury session created and composed through the services: one member of each
    college of ``members``, Karim presiding."""
    session = services.create_session(
        by=certifier,
        certification=Certification.objects.current(),
        date=day,
        start_time=start_time,
        end_time=end_time,
        **place,
    )
    services.compose_session(
        session=session,
        by=certifier,
        members_by_role={m.college: [m] for m in members.values()},
        president=members[KARIM],
    )
    return session


CPNEF_ADDRESS = "CPNEF de l'audiovisuel\n33 rue de Châteaudun, 75009 Paris"
# Days before its session that a candidate is convoked (the review closed before).
CONVOKED_BEFORE = 30


def convoked_session(certifier, members, session_day, slots, **session) -> list[Slot]:
    """A past session on ``session_day``, planned as any other: composed, and ``slots``'
    candidacies ((candidacy, start), reviewed on their way to it: ``demo.timeline``)
    convoked ``CONVOKED_BEFORE`` days before it, the clock moved there (the platform
    refuses, rightly, to convoke anyone to a past session); each member declares no
    conflict and the convocations are sent. Returns the slots, in ``slots``' order."""
    with clock(session_day - dt.timedelta(days=CONVOKED_BEFORE)):
        planned = composed_session(certifier, members, day=session_day, **session)
        for candidacy, start in slots:
            services.schedule(candidacy=candidacy, session=planned, start=start, by=certifier)
        made = [Slot.objects.get(candidacy=c, session=planned) for c, _start in slots]
        for slot in made:
            for member in members.values():
                services.declare(slot=slot, by=member.user, no_conflict=True)
        services.send_pending_convocations()
    return made


def _next_month(certifier, members, evaluators) -> JurySession:
    day = weekday_from(timezone.localdate() + dt.timedelta(days=CONVOKED_BEFORE))
    # Found recevable about five months ago, their reviews closed a week or two ago.
    thomas = review_completed(
        THOMAS, THOMAS_DOSSIER, GRIDS, certifier, evaluators, session_day=day, index=0
    )
    amina = review_completed(
        AMINA, AMINA_DOSSIER, GRIDS, certifier, evaluators, session_day=day, index=1
    )
    session = composed_session(
        certifier, members, day=day, modality=Modality.ON_SITE, address=CPNEF_ADDRESS
    )
    services.schedule(
        candidacy=thomas,
        session=session,
        start=dt.time(9, 30),
        by=certifier,
        extra_minutes=15,
        accommodation_note="Temps supplémentaire de 15 minutes ; consignes remises par écrit.",
    )
    services.schedule(candidacy=amina, session=session, start=dt.time(10, 45), by=certifier)
    return session


def _past(certifier, members, evaluators) -> None:
    day = weekday_from(timezone.localdate() - dt.timedelta(days=14))
    elise = review_completed(
        ELISE, ELISE_DOSSIER, GRIDS, certifier, evaluators, session_day=day, index=0
    )
    hugo = review_completed(
        HUGO, HUGO_DOSSIER, GRIDS, certifier, evaluators, session_day=day, index=1
    )
    slots = convoked_session(
        certifier,
        members,
        day,
        [(elise, dt.time(9, 30)), (hugo, dt.time(10, 45))],
        modality=Modality.REMOTE,
        visio_link="https://visio.example.org/cpnef-jury-vae",
    )
    session = slots[0].session
    with clock(day, 17):
        services.hold_session(session=session, by=certifier)
        services.record_interview(
            candidacy=elise,
            by=members[KARIM].user,
            comment="Entretien mené en visioconférence ; questions sur l'archivage (C3.4).",
        )
        services.record_interview(candidacy=hugo, by=members[CLAIRE].user)
        sign_decision(slots[1], members)
        # Both candidates heard, the session is over; Élise's decision is still to come.
        services.close_session(session=session, by=certifier)


def sign_decision(slot, members, texts=None) -> None:
    """Both members vote the computed outcome on every bloc, the président writes
    ``texts`` (observations, préconisations: required unless every bloc is validated),
    and both sign with their password: the second signature takes the decision (for Hugo,
    a validation totale: BC1 and BC2 were acquired earlier, BC3 now)."""
    state = selectors.deliberation_state(slot)
    votes = {item.bloc.pk: (item.outcome.validated, "") for item in state.blocs}
    for member in members.values():
        deliberation.save_votes(slot=slot, by=member.user, votes=votes)
    if texts is not None:
        observations, recommendations = texts
        deliberation.save_texts(
            slot=slot,
            by=members[KARIM].user,
            base_version=0,
            observations=observations,
            recommendations=recommendations,
        )
    for member in members.values():
        deliberation.sign(slot=slot, by=member.user, password=JURY_PASSWORD)


def _earlier(certifier, members, evaluators) -> None:
    """A session five weeks ago: Leïla's validation partielle (BC3; her follow-up
    candidacy for BC2 started from her page's « Poursuivre pour les blocs restants »)
    and Romain's refusal, both with the jury's observations and préconisations."""
    day = weekday_from(timezone.localdate() - dt.timedelta(days=35))
    leila = review_completed(
        LEILA, INES_DOSSIER, LEILA_GRIDS, certifier, evaluators,
        session_day=day, index=0, consolidation=LEILA_CONSOLIDATION,
    )  # fmt: skip
    romain = review_completed(
        ROMAIN, ROMAIN_DOSSIER, ROMAIN_GRIDS, certifier, evaluators,
        session_day=day, index=1, consolidation=ROMAIN_CONSOLIDATION,
    )  # fmt: skip
    slots = convoked_session(
        certifier,
        members,
        day,
        [(leila, dt.time(9, 30)), (romain, dt.time(11, 0))],
        modality=Modality.ON_SITE,
        address=CPNEF_ADDRESS,
    )
    with clock(day, 17):
        services.hold_session(session=slots[0].session, by=certifier)
        for slot, texts in zip(slots, (LEILA_TEXTS, ROMAIN_TEXTS), strict=True):
            services.record_interview(candidacy=slot.candidacy, by=members[KARIM].user)
            sign_decision(slot, members, texts)
        services.close_session(session=slots[0].session, by=certifier)
    # Her page's « Poursuivre pour les blocs restants »; she has begun her new livret 1.
    follow_up = vae_services.start_candidacy(candidate=leila.candidate)
    fill_livret1(follow_up, LEILA, complete=False)


@transaction.atomic
def create_demo_jury(certifier=None) -> list[str]:
    """The jury's members, then its two sessions, created once. Returns the lines the demo
    command prints."""
    certifier = certifier or role_account(Role.CERTIFIER)
    members = ensure_demo_jury()
    evaluators = ensure_demo_evaluators()
    if not Candidacy.objects.filter(candidate__email=THOMAS.email).exists():
        _next_month(certifier, members, evaluators)
    if not Candidacy.objects.filter(candidate__email=ELISE.email).exists():
        _past(certifier, members, evaluators)
    if not Candidacy.objects.filter(candidate__email=LEILA.email).exists():
        _earlier(certifier, members, evaluators)
    # The convocations go out for real (to the e-mail backend of the demo's settings), so
    # that their PDFs and invitations exist: rendered here, since no task worker may run.
    services.send_pending_convocations()
    lines = [
        f"  {email:<32} mot de passe : {JURY_PASSWORD:<16} {college.label}"
        for email, _first, _last, college, *_rest in JURY_MEMBERS
    ]
    for person in (THOMAS, AMINA, ELISE, HUGO, LEILA, ROMAIN):
        slot = (
            Slot.objects.filter(candidacy__candidate__email=person.email)
            .select_related("session", "candidacy")
            .order_by("-pk")
            .first()
        )
        if slot is not None:
            lines.append(
                f"  {person.email:<32} {slot.candidacy.reference}  "
                f"{slot.candidacy.get_state_display()} — session du "
                f"{fr.date(slot.session.date)} à {fr.time(slot.start)}"
            )
    for candidacy in Candidacy.objects.filter(candidate__email=LEILA.email).order_by("pk")[1:]:
        blocs = ", ".join(b.code for b in candidacy.targeted_blocs.all())
        lines.append(
            f"  {LEILA.email:<32} {candidacy.reference}  {candidacy.get_state_display()} — "
            f"nouvelle candidature pour {blocs}, après la validation partielle"
        )
    return lines
