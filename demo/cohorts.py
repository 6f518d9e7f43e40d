"""Demo history for the cohort analysis: two promotions decided about two years and one
year ago, and their holders' follow-up surveys.

Fifteen candidates for BC3 (BC1 and BC2 validated earlier), or for BC2 and BC3 (BC1
validated earlier): each goes through the platform's services like the jury's demo
(``demo.jury``): livrets, review by the four evaluators, a jury session, the interview,
the votes and both signatures. Most are validated in full (certificate), one per
promotion partially (BC3 only: bloc attestation), one per promotion is refused. Two more,
found recevable with the later promotion, give up: one while writing livret 2, one once it
is filed. Each candidate's steps are months apart, as they are in real life.

The history happens in the past: the platform's clock is moved (``demo.timeline``) to each
moment of it, so that every row the services write (transition log, decision, acquired
blocs, certificates, PV) carries the date it would have had, and the dashboard's delays
read true; nothing is dated back by hand.

The surveys: the decisions make them (``cohorts.services``); the demo sends each one due
by today through ``send_reminders`` on its day, then the holder answers it (with or
without consent), refuses it, or stays silent and gets the reminder a week later, all
through the survey services; the employed say their contract and pay.

Run again, it changes nothing: a candidate who already has a candidacy is left as is, a
survey already made is not made again.
"""

import datetime as dt
from dataclasses import dataclass

import time_machine
from django.db import transaction
from django.utils import timezone

from cohorts import services as survey_services
from cohorts.enums import PayBand, Sector, Situation, WorkingTime
from cohorts.models import FollowUpSurvey
from demo.content.evaluators import EVALUATORS
from demo.content.ines import INES_DOSSIER
from demo.content.jury import (
    GIRONDE,
    GRIDS,
    LEILA_CONSOLIDATION,
    LEILA_GRIDS,
    LEILA_TEXTS,
    LOIRE,
    OUEST,
    ROMAIN_CONSOLIDATION,
    ROMAIN_GRIDS,
    ROMAIN_TEXTS,
    demo_candidate,
    demo_dossier,
)
from demo.jury import CPNEF_ADDRESS, KARIM, convoked_session, sign_decision, weekday_from
from demo.reviews import review_completed
from demo.stories import eligible_candidacy, submit_dossier, write_dossier
from demo.timeline import clock, moment, step_day
from jury import selectors as jury_selectors
from jury import services
from jury.enums import Modality
from jury.models import JuryMember
from referentiel import french as fr
from vae import services as vae_services
from vae.models import Candidacy, User
from vae.reminders import send_reminders

# What the jury decides for a candidate of the history.
TOTAL, PARTIAL, REFUSAL, WITHDRAWN = "total", "partial", "refusal", "withdrawn"


@dataclass(frozen=True)
class Story:
    """One candidate of the history: who, for what outcome, and the answers they give
    to each wave's survey (None: no answer; ``REFUSED``: refused the survey)."""

    email: str
    first: str
    last: str
    civility: str
    city: str
    outcome: str
    answers: tuple = ()


REFUSED = "refused"


def job(contract, pay, *, targeted=True, consent=True, title="Administrateur de production"):
    return {
        "situation": Situation.EMPLOYED,
        "job_title": title,
        "in_targeted_job": targeted,
        "sector": Sector.AUDIOVISUAL if targeted else Sector.OTHER,
        "contract_type": contract,
        "working_time": WorkingTime.FULL,
        "pay_band": pay,
        "consent": consent,
    }


def situation(value, *, consent=True):
    return {"situation": value, "consent": consent}


CDDU, CDI, CDD, INDEPENDENT = "cddu", "cdi", "cdd", "independent"

# Decided about two years ago: the 6-month and the 24-month surveys are due.
EARLIER = (
    Story("nadia.hamdi@demo.vae.local", "Nadia", "Hamdi", "mme", "Lyon", TOTAL,
          (job(CDDU, PayBand.FROM_30K), job(CDI, PayBand.FROM_40K))),
    Story("olivier.brun@demo.vae.local", "Olivier", "Brun", "m", "Lyon", TOTAL,
          (job(CDDU, PayBand.FROM_20K), job(CDDU, PayBand.FROM_30K))),
    Story("sophie.garcia@demo.vae.local", "Sophie", "Garcia", "mme", "Marseille", TOTAL,
          (job(CDD, PayBand.FROM_30K), REFUSED)),
    Story("julie.faure@demo.vae.local", "Julie", "Faure", "mme", "Toulouse", TOTAL,
          (situation(Situation.STUDYING), job(INDEPENDENT, PayBand.UNDISCLOSED))),
    Story("antoine.leroy@demo.vae.local", "Antoine", "Leroy", "m", "Lille", TOTAL,
          (None, job(CDI, PayBand.FROM_30K, targeted=False, title="Gestionnaire de paie"))),
    Story("manon.girard@demo.vae.local", "Manon", "Girard", "mme", "Nantes", PARTIAL,
          (situation(Situation.SEEKING), situation(Situation.SEEKING, consent=False))),
    Story("bruno.michel@demo.vae.local", "Bruno", "Michel", "m", "Rennes", REFUSAL),
)  # fmt: skip
# Decided about a year ago: the 6-month surveys only.
LATER = (
    Story("chloe.bernard@demo.vae.local", "Chloé", "Bernard", "mme", "Paris", TOTAL,
          (job(CDDU, PayBand.FROM_30K),)),
    Story("mehdi.kaci@demo.vae.local", "Mehdi", "Kaci", "m", "Paris", TOTAL,
          (job(CDDU, PayBand.FROM_20K),)),
    Story("lucie.robin@demo.vae.local", "Lucie", "Robin", "mme", "Bordeaux", TOTAL,
          (job(CDI, PayBand.FROM_40K),)),
    Story("paul.henry@demo.vae.local", "Paul", "Henry", "m", "Strasbourg", TOTAL,
          (job(CDD, PayBand.FROM_30K, targeted=False, title="Chargé de production"),)),
    Story("emma.perrin@demo.vae.local", "Emma", "Perrin", "mme", "Lyon", TOTAL,
          (situation(Situation.UNABLE),)),
    Story("yanis.morel@demo.vae.local", "Yanis", "Morel", "m", "Nice", TOTAL,
          (job(CDDU, PayBand.FROM_30K),)),
    Story("sarah.lopez@demo.vae.local", "Sarah", "Lopez", "mme", "Montpellier", PARTIAL,
          (job(CDDU, PayBand.UNDER_20K, consent=False),)),
    Story("hugo.marty@demo.vae.local", "Hugo", "Marty", "m", "Grenoble", REFUSAL),
)  # fmt: skip
# (stories, days before today of the jury session).
PROMOTIONS = ((EARLIER, 760), (LATER, 390))
# Found recevable with the later promotion, then gave up: one while writing livret 2, one
# once it was filed. Where candidates drop out is what the dashboard's withdrawals show.
GAVE_UP = (
    Story("claire.dumas@demo.vae.local", "Claire", "Dumas", "mme", "Paris", WITHDRAWN),
    Story("thierry.vidal@demo.vae.local", "Thierry", "Vidal", "m", "Lyon", WITHDRAWN),
)
GAVE_UP_REASON = "J'ai accepté un poste hors de la production : je ne poursuis pas la démarche."
EMPLOYERS = (OUEST, LOIRE, GIRONDE)


def _candidate(story: Story, index: int):
    acquired = ("BC1",) if story.outcome == PARTIAL else ("BC1", "BC2")
    return demo_candidate(
        story.email, story.first, story.last, story.civility, dt.date(1985, 1 + index % 12, 10),
        story.city, "69000", f"{index + 1} rue de la République",
        EMPLOYERS[index % len(EMPLOYERS)], acquired=acquired,
    )  # fmt: skip


def _dossier(story: Story, index: int, session_day: dt.date):
    """The livret 2 of a candidate for BC3, written for them."""
    return demo_dossier(
        employer=EMPLOYERS[index % len(EMPLOYERS)], film=f"Tournage n° {index + 1}",
        budget=800_000 + 100_000 * index, signatory="Paul Darrieux",
        # Signed on the day they are found recevable, the first step of their path.
        place_date=f"{story.city}, le {fr.date(step_day(session_day, index, 'recevable'))}",
        pronoun=f"{'Madame' if story.civility == 'mme' else 'Monsieur'} {story.first} {story.last}",
    )  # fmt: skip


def _reviewed(story: Story, index: int, session_day: dt.date, certifier, evaluators):
    """``story``'s candidate reviewed on the way to the session on ``session_day``, as its
    ``index``-th candidate, each step on its day."""
    person = _candidate(story, index)
    path = {"session_day": session_day, "index": index}
    if story.outcome == PARTIAL:
        # BC2 and BC3 written (Inès's dossier); BC2's payroll is not shown: BC3 only.
        return review_completed(
            person, INES_DOSSIER, LEILA_GRIDS, certifier, evaluators,
            consolidation=LEILA_CONSOLIDATION, **path,
        )  # fmt: skip
    dossier = _dossier(story, index, session_day)
    if story.outcome == REFUSAL:
        return review_completed(
            person, dossier, ROMAIN_GRIDS, certifier, evaluators,
            consolidation=ROMAIN_CONSOLIDATION, **path,
        )  # fmt: skip
    return review_completed(person, dossier, GRIDS, certifier, evaluators, **path)


TEXTS = {PARTIAL: LEILA_TEXTS, REFUSAL: ROMAIN_TEXTS, TOTAL: None}


def _promotion(stories, session_day: dt.date, certifier, members, evaluators) -> list[str]:
    """``stories`` reviewed, convoked and decided by a session on ``session_day``."""
    done = set(
        Candidacy.objects.filter(candidate__email__in=[s.email for s in stories]).values_list(
            "candidate__email", flat=True
        )
    )
    waiting = [story for story in stories if story.email not in done]
    if not waiting:
        return []
    reviewed = []
    for index, story in enumerate(waiting):
        # Found recevable five to seven months before the session, each step on its day.
        reviewed.append((story, _reviewed(story, index, session_day, certifier, evaluators)))
    # One after the other from 9:00, each slot as long as its candidate needs.
    start, starts = 9 * 60, []
    for _story, candidacy in reviewed:
        starts.append(dt.time(start // 60, start % 60))
        start += services.slot_duration(candidacy)
    slots = convoked_session(
        certifier, members, session_day,
        [(candidacy, at) for (_s, candidacy), at in zip(reviewed, starts, strict=True)],
        modality=Modality.ON_SITE, address=CPNEF_ADDRESS,
        start_time=dt.time(9, 0), end_time=dt.time(18, 30),
    )  # fmt: skip
    session = slots[0].session
    with clock(session_day, 17):
        services.hold_session(session=session, by=certifier)
        for (story, _candidacy), slot in zip(reviewed, slots, strict=True):
            services.record_interview(candidacy=slot.candidacy, by=members[KARIM].user)
            sign_decision(slot, members, TEXTS[story.outcome])
        services.close_session(session=session, by=certifier)
    return [
        f"  {story.email:<32} {candidacy.reference}  {_outcome(candidacy)} — session du "
        f"{fr.date(session_day)}"
        for story, candidacy in reviewed
    ]


def _gave_up(story: Story, index: int, session_day: dt.date, certifier) -> list[str]:
    """``story``'s candidate found recevable with the promotion heard on ``session_day``,
    who withdraws: while writing livret 2 (even ``index``) or once it is filed (odd)."""
    if Candidacy.objects.filter(candidate__email=story.email).exists():
        return []
    recevable = step_day(session_day, index, "recevable")
    with clock(recevable) as to:
        person = _candidate(story, index)
        candidacy = eligible_candidacy(person, certifier)
        if index % 2:
            write_dossier(candidacy, _dossier(story, index, session_day))
            to(step_day(session_day, index, "submitted"))
            submit_dossier(candidacy, place=story.city)
            # Before the panel is named.
            left = step_day(session_day, index, "review") - dt.timedelta(days=2)
        else:
            left = recevable + dt.timedelta(days=45)
        to(left)
        vae_services.withdraw(candidacy=candidacy, by=candidacy.candidate, comment=GAVE_UP_REASON)
    return [f"  {story.email:<32} {candidacy.reference}  Abandon le {fr.date(left)}"]


def _outcome(candidacy) -> str:
    decision = jury_selectors.decided_deliberations(candidacy).first()
    return decision.get_result_display() if decision else "—"


# -- the surveys: made by the decisions, sent and answered through the survey services -----

SENT_AT, REFUSED_AFTER, ANSWERED_AFTER = 9, dt.timedelta(days=2), dt.timedelta(days=4)


def _survey_events(stories, today: dt.date) -> list[tuple[dt.datetime, int, object]]:
    """What happens to each survey due by ``today`` and not sent yet, in the order it
    happens: sent on its day, then refused, answered or reminded a week later."""
    events = []
    for story in stories:
        surveys = FollowUpSurvey.objects.filter(
            candidacy__candidate__email=story.email,
            cancelled_at__isnull=True,
            sent_at__isnull=True,  # made earlier: a second run changes nothing
            due_on__lte=today,
        ).select_related("wave")
        by_months = {s.wave.months_after_decision: s for s in surveys}
        for months, answers in zip((6, 24), story.answers, strict=False):
            survey = by_months.get(months)
            if survey is None:
                continue
            due = survey.due_on
            events.append((moment(due, SENT_AT), 0, ("send", survey, None)))
            if answers is None:  # silence: the reminder goes a week after the survey
                later = due + dt.timedelta(days=survey.wave.reminder_after_days)
                events.append((moment(later, SENT_AT), 1, ("remind", survey, None)))
            elif answers == REFUSED:
                events.append((moment(due + REFUSED_AFTER), 1, ("refuse", survey, None)))
            else:
                events.append((moment(due + ANSWERED_AFTER), 1, ("answer", survey, answers)))
    return sorted(events, key=lambda event: (event[0], event[1], event[2][1].pk))


def _surveys(stories, today: dt.date) -> int:
    count = 0
    for when, _order, (action, survey, answers) in _survey_events(stories, today):
        with time_machine.travel(when, tick=False):
            if action == "send":
                send_reminders(when, only=["follow_up_survey"])
                count += 1
            elif action == "remind":
                send_reminders(when, only=["follow_up_survey_reminder"])
            elif action == "refuse":
                survey_services.refuse(survey)
            else:
                survey_services.answer(survey, **answers)
    return count


@transaction.atomic
def create_demo_cohorts(certifier) -> list[str]:
    # The jury's demo made them: read, not made again (their passwords are not checked
    # again either, each check costs the password hasher's full work).
    members = {m.user.email: m for m in JuryMember.objects.select_related("user")}
    evaluators = {u.email: u for u in User.objects.filter(email__in=[e[0] for e in EVALUATORS])}
    today = timezone.localdate()
    lines = []
    for stories, days_ago in PROMOTIONS:
        session_day = weekday_from(today - dt.timedelta(days=days_ago))
        lines += _promotion(stories, session_day, certifier, members, evaluators)
    later_session = weekday_from(today - dt.timedelta(days=PROMOTIONS[-1][1]))
    for index, story in enumerate(GAVE_UP):
        lines += _gave_up(story, len(LATER) + index, later_session, certifier)
    surveys = sum(_surveys(stories, today) for stories, _days in PROMOTIONS)
    lines.append(f"  {surveys} enquête(s) de suivi des titulaires (6 et 24 mois)")
    return lines
