"""A heard candidate ready for deliberation, and a decision ready to be taken, as rows:
shared by the deliberation's tests and the state machine's table test."""

import datetime as dt

from jury import deliberation, services
from jury.enums import SlotStatus
from jury.models import BlocVote, Deliberation, DeliberationSignature
from review.models import ConsolidatedRating
from tests.factories import CandidacyFactory, make_consolidation, make_session, make_slot
from vae.enums import CandidacyState as S

PASSWORD = "mot-de-passe-test"  # UserFactory's


def members(slot):
    """The session's members, the président first."""
    seats = slot.session.seats.select_related("member__user").order_by("pk")
    found = [seat.member for seat in seats]
    return sorted(found, key=lambda member: member.pk != slot.session.president_id)


def heard(candidacy=None, *, rating="acquis", blocs=None, interview=True):
    """A candidate heard today by a session of two members who both declared no conflict,
    every compétence consolidated ``rating``; ``interview=False`` leaves it convoked."""
    if candidacy is None:
        candidacy = CandidacyFactory(state=S.JURY_SCHEDULED, blocs=blocs)
        make_consolidation(candidacy, rating=rating)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0))
    for member in members(slot):
        services.declare(slot=slot, by=member.user, no_conflict=True)
    if interview:
        services.record_interview(candidacy=candidacy, by=session.president.user)
        slot.refresh_from_db()
        slot.candidacy.refresh_from_db()
    return slot


def heard_as_rows(candidacy):
    """An ``interviewed`` candidacy's heard slot, written as rows (the state set)."""
    if not ConsolidatedRating.objects.filter(candidacy=candidacy).exists():
        make_consolidation(candidacy)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    slot = make_slot(candidacy, session, start=dt.time(0, 0), status=SlotStatus.INTERVIEWED)
    for member in members(slot):
        services.declare(slot=slot, by=member.user, no_conflict=True)
    return slot


def signed_by_all(slot, *, validated=True):
    """Every member voted ``validated`` on every bloc (motivated) and signed, as rows:
    what ``decide``'s guard wants, without the last signature running it."""
    deliberation, _created = Deliberation.objects.get_or_create(
        slot=slot, defaults={"observations": "Obs.", "recommendations": "Préco."}
    )
    for member in members(slot):
        for bloc in slot.candidacy.targeted_blocs.all():
            BlocVote.objects.create(
                deliberation=deliberation,
                bloc=bloc,
                member=member,
                validated=validated,
                motivation="Motif.",
            )
        DeliberationSignature.objects.create(deliberation=deliberation, member=member)
    return deliberation


def decide(slot, *, against=()):
    """Both members vote the computed outcome (all « acquis ») except on ``against``,
    write the texts, and sign: the second signature runs ``decide``."""
    blocs = list(slot.candidacy.targeted_blocs.order_by("code"))
    for member in members(slot):
        deliberation.save_votes(
            slot=slot,
            by=member.user,
            votes={
                bloc.pk: (False, "Motif écrit.") if bloc.code in against else (True, "")
                for bloc in blocs
            },
        )
    president = members(slot)[0]
    deliberation.save_texts(
        slot=slot,
        by=president.user,
        base_version=0,
        observations="La paie est maîtrisée.",
        recommendations="Une formation courte aux déclarations sociales.",
    )
    for member in members(slot):
        entry = deliberation.sign(slot=slot, by=member.user, password=PASSWORD)
    slot.candidacy.refresh_from_db()
    return entry
