"""Reads of the jury: what the rules need from the rows, and what the pages show."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jury import rules
from jury.calendar import Person
from jury.convocation_email import Contact
from jury.convocation_email import ConvocationDetails as Details
from jury.enums import (
    OCCUPYING_STATUSES,
    ConvocationStatus,
    DecisionResult,
    Modality,
    SessionStatus,
    SlotStatus,
)
from jury.models import (
    ConflictDeclaration,
    Convocation,
    DecisionRectification,
    Deliberation,
    InterviewRecord,
    JurySeat,
    JurySession,
    RatingRevision,
    Slot,
)
from jury.rules import (
    Holder,
    Period,
    SeatSpec,
    composition_problems,
    days_waiting,
    gender_warning,
    legal_deadline,
    slot_minutes,
)
from livret.dossier.models import Dossier
from referentiel import french as fr
from referentiel.enums import AssessmentKind, Panel, Path, Rating
from referentiel.ids import parse_id
from referentiel.models import Assessment
from referentiel.rules import RuleInputError, evaluate_bloc
from review.enums import AssignmentStatus
from review.models import (
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
    ReviewSettings,
)
from review.selectors.consolidation import consolidation_page
from review.selectors.dossier import current_evidence, narratives_of
from vae.emails import contact_address, site_url
from vae.enums import CandidacyState, Transition
from vae.models import Candidacy, CandidacyTransition
from vae.services import acquired_bloc_codes


def seat_spec(certification) -> list[SeatSpec]:
    """The jury seats of a référentiel version, in its order."""
    return [
        SeatSpec(seat.role, seat.label, seat.count)
        for seat in certification.seats.all()
        if seat.panel == Panel.JURY
    ]


def _as_holder(seat) -> Holder:
    member = seat.member
    return Holder(
        member_id=seat.member_id,
        name=str(member),
        role=seat.role,
        qualified=member.qualified,
        civility=member.civility,
        active=member.active,
    )


def holders(session) -> list[Holder]:
    return [
        _as_holder(seat)
        for seat in JurySeat.objects.filter(session=session).select_related("member__user")
    ]


def session_problems(session) -> list[str]:
    """What keeps ``session`` from being a valid jury (empty when valid)."""
    return composition_problems(
        seat_spec(session.certification), holders(session), session.president_id
    )


def session_warning(session) -> str:
    return gender_warning(holder.civility for holder in holders(session))


def qa_minutes(candidacy) -> list[int]:
    """The jury Q&A durations of the blocs the candidacy targets, on the VAE path."""
    return list(
        Assessment.objects.filter(
            bloc__in=candidacy.targeted_blocs.all(), kind=AssessmentKind.ORAL, on_vae=True
        ).values_list("duration_minutes", flat=True)
    )


def filed_on(candidacy) -> dt.date | None:
    """The day the dossier (livret 2) was last filed, from the transition log."""
    moment = (
        CandidacyTransition.objects.filter(
            candidacy=candidacy, transition=Transition.SUBMIT_DOSSIER
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else None


def scheduled_slot(candidacy) -> Slot | None:
    """The candidacy's live slot (its convocation stands), or None."""
    return (
        Slot.objects.scheduled()
        .filter(candidacy=candidacy)
        .select_related("session__certification")
        .first()
    )


def other_periods(slot) -> list[Period]:
    """The session's other slots that hold their time."""
    return [
        Period(other.start, other.duration_minutes, other.candidacy.reference)
        for other in Slot.objects.occupying()
        .filter(session_id=slot.session_id)
        .exclude(pk=slot.pk)
        .select_related("candidacy")
    ]


def still_convoked(session) -> list[str]:
    """The references of the session's candidates still waiting for their interview or
    its absence (a live slot here, the candidacy « jury_scheduled »), in order of passage."""
    return [
        slot.candidacy.reference
        for slot in session.slots.scheduled()
        .filter(candidacy__state=CandidacyState.JURY_SCHEDULED)
        .select_related("candidacy")
        .order_by("start", "pk")
    ]


def conflicted_names(session, candidacy) -> list[str]:
    """The members sitting in ``session`` who declared knowing the candidate."""
    return [
        str(declaration.member)
        for declaration in ConflictDeclaration.objects.filter(
            candidacy=candidacy,
            no_conflict=False,
            member__seats__session=session,
        ).select_related("member__user")
    ]


@dataclass(frozen=True)
class WaitingCandidacy:
    """A reviewed candidacy waiting for a jury session (the certifier's listing)."""

    candidacy: object
    filed_on: dt.date | None
    days: int | None
    deadline: dt.date | None
    late: bool


def waiting_for_session(today: dt.date | None = None) -> list[WaitingCandidacy]:
    """Candidacies ``reviewed`` (none has a live slot), the longest waiting first, in two
    queries whatever their number."""
    today = today or timezone.localdate()
    last_filing = (
        CandidacyTransition.objects.filter(
            candidacy=OuterRef("pk"), transition=Transition.SUBMIT_DOSSIER
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    candidacies = (
        Candidacy.objects.filter(state=CandidacyState.REVIEWED)
        .annotate(filed_at=Subquery(last_filing))
        .select_related("candidate")
        .order_by(F("filed_at").asc(nulls_last=True), "pk")
    )
    rows = []
    for candidacy in candidacies:
        filed = timezone.localdate(candidacy.filed_at) if candidacy.filed_at else None
        deadline = legal_deadline(filed) if filed else None
        rows.append(
            WaitingCandidacy(
                candidacy=candidacy,
                filed_on=filed,
                days=days_waiting(filed_on=filed, today=today),
                deadline=deadline,
                late=bool(deadline and deadline < today),
            )
        )
    return rows


def sessions_of(user):
    """The sessions ``user`` sits in, with their seats and slots, soonest first."""
    return (
        JurySession.objects.filter(seats__member__user=user)
        .select_related("president__user")
        .prefetch_related(
            Prefetch("seats", queryset=JurySeat.objects.select_related("member__user")),
        )
        .order_by("date", "start_time")
        .distinct()
    )


def agenda(session) -> list[Slot]:
    """The session's slots that hold their time, in order, with their candidates."""
    return list(
        session.slots.filter(status__in=[*OCCUPYING_STATUSES, SlotStatus.ABSENT])
        .select_related("candidacy__candidate")
        .order_by("start", "pk")
    )


def _end(session, slot) -> dt.time:
    start = dt.datetime.combine(session.date, slot.start)
    return (start + dt.timedelta(minutes=slot.duration_minutes)).time()


@dataclass(frozen=True)
class AgendaLine:
    """A slot as a member of the session sees it: whether they declared, and what."""

    slot: Slot
    end: dt.time
    declaration: ConflictDeclaration | None
    # From the session's day, while the candidate is convoked, for a member without a
    # conflict: the interview or the absence is recorded (the state machine decides).
    recordable: bool = False


def member_agenda(session, user) -> dict:
    """A session's page for one of its members (or a certifier): the composition, the
    slots in order with each one's end and the user's declaration, in four queries."""
    seats = list(session.seats.select_related("member__user").order_by("role", "pk"))
    slots = agenda(session)
    declarations = {
        declaration.candidacy_id: declaration
        for declaration in ConflictDeclaration.objects.filter(
            member__user=user, candidacy__in=[slot.candidacy_id for slot in slots]
        )
    }
    day_has_come = session.date <= timezone.localdate()
    lines = []
    for slot in slots:
        declaration = declarations.get(slot.candidacy_id)
        recordable = (
            day_has_come
            and slot.status == SlotStatus.SCHEDULED
            and not (declaration and not declaration.no_conflict)
        )
        lines.append(AgendaLine(slot, _end(session, slot), declaration, recordable))
    return {"session": session, "seats": seats, "lines": lines}


# -- the certifier's pages ------------------------------------------------------------


@dataclass(frozen=True)
class MemberDeclaration:
    member: object
    declaration: ConflictDeclaration | None

    @property
    def label(self) -> str:
        if self.declaration is None:
            return "Déclaration attendue"
        if self.declaration.no_conflict:
            return "Aucun conflit"
        return f"Conflit déclaré : {self.declaration.details}"


@dataclass(frozen=True)
class StaffSlotLine:
    slot: Slot
    end: dt.time
    declarations: list[MemberDeclaration]
    convocation: Convocation | None
    absence_form: object = None

    @property
    def absence_possible(self) -> bool:
        """The candidate is still convoked here: their absence can be recorded."""
        return (
            self.slot.status == SlotStatus.SCHEDULED
            and self.slot.candidacy.state == CandidacyState.JURY_SCHEDULED
        )

    @property
    def rectifiable(self) -> bool:
        """Heard here and decided: a certifier may rectify the signed decision."""
        return (
            self.slot.status == SlotStatus.INTERVIEWED
            and self.slot.candidacy.state == CandidacyState.DECIDED
        )


def staff_session_page(session) -> dict:
    """A session for the certifier: composition and its problems, the balance warning, the
    agenda with each member's declaration and the live convocation, in six queries."""
    seats = list(session.seats.select_related("member__user").order_by("role", "pk"))
    slots = agenda(session)
    candidacies = [slot.candidacy_id for slot in slots]
    declared = {
        (d.member_id, d.candidacy_id): d
        for d in ConflictDeclaration.objects.filter(candidacy__in=candidacies)
    }
    convocations = {
        c.slot_id: c for c in Convocation.objects.filter(slot__in=slots).order_by("sequence")
    }
    lines = [
        StaffSlotLine(
            slot,
            _end(session, slot),
            [
                MemberDeclaration(seat.member, declared.get((seat.member_id, slot.candidacy_id)))
                for seat in seats
            ],
            convocations.get(slot.pk),
        )
        for slot in slots
    ]
    spec = seat_spec(session.certification)
    holders_ = [_as_holder(seat) for seat in seats]
    return {
        "session": session,
        "seats": seats,
        "problems": composition_problems(spec, holders_, session.president_id),
        "warning": gender_warning(h.civility for h in holders_),
        "lines": lines,
        # A member who knows a candidate still convoked here: replace them or move it.
        "conflicts": [
            f"{item.member} a déclaré connaître {line.slot.candidacy.candidate.get_full_name()} "
            f"({line.slot.candidacy.reference}) : remplacez ce membre ou déplacez le candidat."
            for line in lines
            if line.slot.status == SlotStatus.SCHEDULED
            for item in line.declarations
            if item.declaration is not None and not item.declaration.no_conflict
        ],
    }


@dataclass(frozen=True)
class SchedulingFacts:
    """What the certifier needs to place a candidate: the accommodation they asked for in
    livret 1, the slot's base length, the dossier's filing and the legal deadline."""

    needs_accommodation: bool
    accommodation_request: str
    base_minutes: int
    filed_on: dt.date | None
    deadline: dt.date | None
    current_slot: Slot | None


def scheduling_facts(candidacy, *, changeover: int) -> SchedulingFacts:
    request = getattr(candidacy, "eligibility_request", None)
    filed = filed_on(candidacy)
    return SchedulingFacts(
        needs_accommodation=bool(request and request.needs_accommodation),
        accommodation_request=(request.accommodation_details if request else ""),
        base_minutes=slot_minutes(qa_minutes(candidacy), changeover=changeover),
        filed_on=filed,
        deadline=legal_deadline(filed) if filed else None,
        current_slot=scheduled_slot(candidacy),
    )


def staff_sessions(today: dt.date | None = None) -> dict:
    """Every session, upcoming first then past, each with its number of candidates; and
    the past sessions still to close, with what keeps each open: candidates heard whose
    decision is not signed, and passages neither heard nor marked absent."""
    today = today or timezone.localdate()
    sessions = list(
        JurySession.objects.select_related("president__user")
        .annotate(
            candidates=Count(
                "slots", filter=Q(slots__status__in=OCCUPYING_STATUSES), distinct=True
            ),
            undecided=Count(
                "slots",
                filter=Q(
                    slots__status=SlotStatus.INTERVIEWED,
                    slots__candidacy__state=CandidacyState.INTERVIEWED,
                ),
                distinct=True,
            ),
            unrecorded=Count("slots", filter=Q(slots__status=SlotStatus.SCHEDULED), distinct=True),
        )
        .order_by("date", "start_time", "pk")
    )
    return {
        # Oldest first: the longest open is the most urgent to close.
        "to_close": [s for s in sessions if s.date < today and s.status != SessionStatus.CLOSED],
        "upcoming": [s for s in sessions if s.date >= today],
        "past": [s for s in reversed(sessions) if s.date < today],
    }


def focus_points(candidacy) -> list[rules.FocusPoint]:
    """The « points à approfondir » of a candidacy's interview, in four queries: the
    consolidated ratings, the active evaluators' ratings, the criteria their passages
    cover, and the référentiel's tree (cached for a published version)."""
    consolidated = dict(
        ConsolidatedRating.objects.filter(candidacy=candidacy).values_list(
            "competence_id", "rating"
        )
    )
    ratings = defaultdict(list)
    for competence_id, rating in CompetenceRating.objects.filter(
        assignment__candidacy=candidacy, assignment__status=AssignmentStatus.ACTIVE
    ).values_list("competence_id", "rating"):
        ratings[competence_id].append(rating)
    covered = set(
        CriterionLink.criteria.through.objects.filter(
            criterionlink__assignment__candidacy=candidacy,
            criterionlink__assignment__status=AssignmentStatus.ACTIVE,
        ).values_list("criterion_id", flat=True)
    )
    competences = [
        SimpleNamespace(
            pk=c.pk, code=c.code, statement=c.statement, criteria=list(c.criteria.all())
        )
        for c in candidacy.targeted_competences()
    ]
    return rules.focus_points(
        competences,
        consolidated=consolidated,
        ratings=ratings,
        covered=covered,
        threshold=ReviewSettings.load().divergence_spread,
    )


# -- the candidate's file in the jury's workspace -------------------------------------


def recorded_slot(candidacy) -> Slot | None:
    """The slot whose interview record the candidacy has: the heard one, or the live one
    while the jury is writing it; None before anything is written."""
    slot = deliberated_slot(candidacy) or scheduled_slot(candidacy)
    if slot is None or not InterviewRecord.objects.filter(slot=slot).exists():
        return None
    return slot


@dataclass(frozen=True)
class CompetenceLine:
    """A compétence as the jury sees it: the consolidation's row (ratings, justification,
    divergence), the rating in force after the jury's revisions, and those revisions."""

    row: object  # review.selectors.consolidation.ConsolidationRow
    current: str
    revisions: list
    form: object = None

    @property
    def current_label(self) -> str:
        return Rating(self.current).label if self.current else "—"


@dataclass(frozen=True)
class BlocFile:
    bloc: object
    outcome: object  # review.selectors.consolidation.BlocProgress
    narratives: list
    competences: list
    note: object  # InterviewBlocNote or None
    form: object = None
    panel: object = None  # vae.autosave.ConflictPanel beside the form (set by the view)


def _bloc_files(slot, narratives_by_bloc: dict, threshold) -> tuple:
    """The interview record of ``slot`` and each bloc of its candidacy as the jury reads
    it: outcome, ``narratives_by_bloc``'s récits, the compétences' lines with the
    ratings in force after the jury's revisions, and the bloc's notes."""
    page = consolidation_page(slot.candidacy, threshold=threshold)
    record = InterviewRecord.objects.filter(slot=slot).first()
    notes, revisions = {}, defaultdict(list)
    if record is not None:
        notes = {note.bloc_id: note for note in record.bloc_notes.all()}
        for revision in record.revisions.select_related("created_by"):
            revisions[revision.competence_id].append(revision)
    outcomes = {progress.bloc.pk: progress for progress in page.outcomes}
    blocs = []
    for section in page.sections:
        lines = []
        for group in section.activities:
            for row in group.rows:
                kept = revisions.get(row.competence.pk, [])
                consolidated = row.consolidated.rating if row.consolidated else ""
                current = rules.final_rating(consolidated, kept)
                lines.append(CompetenceLine(row, current, kept))
        blocs.append(
            BlocFile(
                section.bloc,
                outcomes.get(section.bloc.pk),
                narratives_by_bloc.get(section.bloc.pk, []),
                lines,
                notes.get(section.bloc.pk),
            )
        )
    return record, blocs


def candidate_file(slot) -> dict:
    """What the jury reads of a convoked candidate and what it has written: the récits and
    pieces of livret 2, the consolidated ratings with their justifications and
    divergences, each bloc's provisional outcome, the points à approfondir, and the
    interview record. A fixed number of queries, whatever the size of the dossier."""
    candidacy = slot.candidacy
    # Read only: a GET creates nothing (a reviewed candidacy has its dossier anyway).
    dossier = Dossier.objects.filter(candidacy=candidacy).first()
    narratives = defaultdict(list)
    for narrative in narratives_of(dossier):
        narratives[narrative.activity.bloc_id].append(narrative)
    threshold = ReviewSettings.load().divergence_spread
    record, blocs = _bloc_files(slot, narratives, threshold)
    return {
        "slot": slot,
        "candidacy": candidacy,
        "record": record,
        "blocs": blocs,
        "evidence": current_evidence(dossier),
        "focus": focus_points(candidacy),
        "threshold": threshold,
    }


def interview_record(slot) -> dict:
    """The interview record of ``slot`` as the certifier reads it: presence and times, and
    each bloc's compétences (consolidated rating, rating in force), notes and revisions;
    not the dossier's récits and pieces, which the candidate file shows the jury."""
    record, blocs = _bloc_files(slot, {}, ReviewSettings.load().divergence_spread)
    return {"slot": slot, "candidacy": slot.candidacy, "record": record, "blocs": blocs}


# -- convocations ---------------------------------------------------------------------


def convocation_for_document(document) -> Convocation | None:
    """The convocation a generated PDF prints (its key is ``convocation-<sequence>``)."""
    prefix, _sep, text = document.key.partition("-")
    sequence = parse_id(text)
    if prefix != "convocation" or sequence is None:
        return None
    return (
        Convocation.objects.select_related("slot__session", "candidacy__candidate")
        .filter(candidacy_id=document.candidacy_id, sequence=sequence)
        .first()
    )


def convocation_reason(convocation) -> str:
    """Why a convocation replaced another: the rescheduling's comment in the log (the
    convocation is its effect, written in the same transaction)."""
    if convocation.sequence == 0:
        return ""
    return (
        CandidacyTransition.objects.filter(
            candidacy_id=convocation.candidacy_id,
            transition=Transition.RESCHEDULE_JURY,
            created_at__lte=convocation.created_at,
        )
        .order_by("-created_at", "-pk")
        .values_list("comment", flat=True)
        .first()
        or ""
    )


def live_convocation(candidacy) -> Convocation | None:
    """The convocation that stands (sent, not cancelled), with its slot and session."""
    return (
        Convocation.objects.select_related("slot__session", "candidacy__candidate")
        .filter(candidacy=candidacy, status=ConvocationStatus.SENT)
        .first()
    )


def slot_start(slot) -> dt.datetime:
    return slot.session.at(slot.start)


def convocation_details(
    convocation, *, sequence=None, previous=None, reason="", issued_at=None
) -> Details:
    """What the convocation says (``jury.convocation_email``), read from its rows."""
    slot, candidacy = convocation.slot, convocation.candidacy
    session, candidate = slot.session, candidacy.candidate
    accommodations = []
    if slot.extra_minutes:
        accommodations.append(f"Temps supplémentaire : {fr.duration(slot.extra_minutes)}")
    if slot.accommodation_note:
        accommodations.append(slot.accommodation_note)
    return Details(
        uid=convocation.uid,
        sequence=convocation.sequence if sequence is None else sequence,
        reference=candidacy.reference,
        candidate=Person(candidate.get_full_name() or candidate.email, candidate.email),
        start=slot_start(slot),
        duration=dt.timedelta(minutes=slot.duration_minutes),
        contact=Contact(_("Service certification de la CPNEF de l'audiovisuel"), contact_address()),
        address=session.address if session.modality == Modality.ON_SITE else "",
        visio_url=session.visio_link if session.modality == Modality.REMOTE else "",
        blocs=tuple(
            f"{bloc.code} — {bloc.title}"
            for bloc in candidacy.targeted_blocs.order_by("sort_order", "code")
        ),
        accommodations=tuple(accommodations),
        link=site_url(reverse("candidacy:detail", args=[candidacy.pk])),
        previous_start=slot_start(previous.slot) if previous is not None else None,
        reason=reason,
        **({"issued_at": issued_at} if issued_at is not None else {}),
    )


def issued_details(convocation) -> Details:
    """The convocation as issued (the PDF, its e-mail, the ``.ics`` of the candidate's
    space): the date it replaces and the rescheduling's reason are read back from the
    rows, so that the PDF rendered later in a task says what the e-mail says."""
    previous = (
        Convocation.objects.select_related("slot__session").filter(replaced_by=convocation).first()
    )
    return convocation_details(
        convocation,
        previous=previous,
        reason=convocation_reason(convocation),
        issued_at=convocation.created_at,
    )


# -- the deliberation -----------------------------------------------------------------


def final_ratings(slot) -> dict[int, str]:
    """Each targeted compétence's rating after the interview (``rules.final_rating``):
    the consolidated ratings, replaced where the jury revised one. Two queries."""
    consolidated = dict(
        ConsolidatedRating.objects.filter(candidacy_id=slot.candidacy_id).values_list(
            "competence_id", "rating"
        )
    )
    revisions = defaultdict(list)
    for revision in RatingRevision.objects.filter(record__slot=slot).order_by("created_at", "pk"):
        revisions[revision.competence_id].append(revision)
    return {
        competence_id: rules.final_rating(
            consolidated.get(competence_id, ""), revisions[competence_id]
        )
        for competence_id in {*consolidated, *revisions}
    }


def _computed_outcomes(candidacy, ratings) -> tuple[dict, str]:
    """Each targeted bloc's outcome by the référentiel's rule on the final ratings, in
    order; with the rule's French message when it cannot judge (a rating missing)."""
    outcomes = {}
    for bloc in candidacy.referentiel_tree():
        by_code = {
            competence.code: ratings[competence.pk]
            for activity in bloc.activities.all()
            for competence in activity.competences.all()
            if ratings.get(competence.pk)
        }
        try:
            outcomes[bloc] = evaluate_bloc(bloc, by_code, path=Path.VAE)
        except RuleInputError as error:
            return {}, str(error)
    return outcomes, ""


@dataclass(frozen=True)
class BlocDeliberation:
    """A bloc at the deliberation: the computed outcome with its reasons, the votes, what
    they come to, the reading member's own vote, and once decided the recorded outcome."""

    bloc: object
    outcome: object  # referentiel.rules.BlocOutcome
    verdict: rules.BlocVerdict
    mine: object  # the reading member's BlocVote, or None
    ballots: list  # (member, rules.Vote or None) for every member, président first
    decided: object = None  # DecidedBloc once decided


@dataclass(frozen=True)
class DeliberationState:
    slot: Slot
    candidacy: object
    deliberation: object  # Deliberation or None (nothing written yet)
    members: list  # JuryMember rows sitting, in seat order
    president_id: int | None
    blocs: list[BlocDeliberation]
    result: str  # DecisionResult value, '' while a bloc is undecided
    problems: list[str]
    signatures: list  # the live DeliberationSignature rows
    previously_acquired: list[str]

    @property
    def decided(self) -> bool:
        return bool(self.deliberation and self.deliberation.decided_at)

    @property
    def result_label(self) -> str:
        return DecisionResult(self.result).label if self.result else ""

    @property
    def validated_blocs(self) -> list[str]:
        return [item.bloc.code for item in self.blocs if item.verdict.validated]

    def signature_of(self, member):
        return next((s for s in self.signatures if s.member_id == member.pk), None)

    @property
    def all_signed(self) -> bool:
        signed = {signature.member_id for signature in self.signatures}
        return bool(self.members) and all(member.pk in signed for member in self.members)


def deliberation_state(slot, *, reader=None) -> DeliberationState:
    """Everything the deliberation page, the signature and ``decide`` read, computed in
    one place: the computed outcomes, the verdicts, the derived result and what keeps the
    decision from being signed. ``reader`` is the JuryMember reading (their own votes)."""
    candidacy = slot.candidacy
    session = slot.session
    seats = session.seats.select_related("member__user").order_by("role", "pk")
    # The président first: their vote is the one that settles a disagreement.
    members = sorted(
        (seat.member for seat in seats), key=lambda member: member.pk != session.president_id
    )
    deliberation = Deliberation.objects.filter(slot=slot).first()
    votes, signatures, decided = defaultdict(list), [], {}
    if deliberation is not None:
        for vote in deliberation.votes.select_related("member__user"):
            votes[vote.bloc_id].append(vote)
        signatures = list(
            deliberation.signatures.filter(voided_at__isnull=True).select_related("member__user")
        )
        decided = {row.bloc_id: row for row in deliberation.decided_blocs.all()}
    outcomes, rule_error = _computed_outcomes(candidacy, final_ratings(slot))
    roster = [(member.pk, str(member)) for member in members]
    blocs = []
    for bloc, outcome in outcomes.items():
        cast = votes.get(bloc.pk, [])
        verdict = rules.bloc_verdict(
            bloc=bloc.code,
            computed=outcome.validated,
            members=roster,
            president_id=session.president_id,
            votes=[
                rules.Vote(vote.member_id, str(vote.member), vote.validated, vote.motivation)
                for vote in cast
            ],
        )
        mine = next((vote for vote in cast if reader and vote.member_id == reader.pk), None)
        given = {vote.member_id: vote for vote in verdict.votes}
        ballots = [(member, given.get(member.pk)) for member in members]
        blocs.append(BlocDeliberation(bloc, outcome, verdict, mine, ballots, decided.get(bloc.pk)))
    previously = sorted(
        acquired_bloc_codes(candidacy.candidate, candidacy.certification_code)
        - {bloc.code for bloc in outcomes}
    )
    result = ""
    if blocs and all(item.verdict.validated is not None for item in blocs):
        result = rules.decision_result(
            {item.bloc.code: item.outcome for item in blocs},
            {item.bloc.code: item.verdict.validated for item in blocs},
            previously_validated=previously,
        )
    problems = [rule_error] if rule_error else []
    problems += rules.decision_problems(
        [item.verdict for item in blocs],
        result=result,
        observations=deliberation.observations if deliberation else "",
        recommendations=deliberation.recommendations if deliberation else "",
    )
    return DeliberationState(
        slot=slot,
        candidacy=candidacy,
        deliberation=deliberation,
        members=members,
        president_id=session.president_id,
        blocs=blocs,
        result=str(result),
        problems=problems,
        signatures=signatures,
        previously_acquired=previously,
    )


def deliberated_slot(candidacy) -> Slot | None:
    """The heard slot of an interviewed (or decided) candidacy: the deliberation's."""
    return (
        Slot.objects.filter(candidacy=candidacy, status=SlotStatus.INTERVIEWED)
        .select_related("session", "candidacy__candidate")
        .order_by("-ended_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class CandidateDecision:
    """The decision as its candidate reads it: the result, each bloc's outcome with its
    reasons, the observations and préconisations."""

    result_label: str
    result: str
    decided_at: dt.datetime
    blocs: list
    observations: str
    recommendations: str
    versions: list = field(default_factory=list)  # RectifiedVersion, newest first

    @property
    def version(self) -> int:
        return self.versions[0].number if self.versions else 1


@dataclass(frozen=True)
class RectifiedVersion:
    """A rectification as its readers see it: the version it made, when, by whom and
    why, which blocs it changed, and what the version it replaced said (kept readable)."""

    number: int
    created_at: dt.datetime
    created_by: str
    reason: str
    changed: list  # bloc codes whose outcome changed
    previous_result_label: str
    previous_outcomes: list  # (code, title, validated) of the replaced version
    previous_observations: str
    previous_recommendations: str


def rectification_rows():
    """A decision's rectifications as ``decision_versions`` reads them, newest first."""
    return DecisionRectification.objects.select_related("created_by").order_by("-number")


def decision_versions(rectifications, blocs) -> list[RectifiedVersion]:
    """A decision's ``rectifications`` (rows, newest first: ``rectification_rows``) as read,
    given ``blocs``, its DecidedBloc rows as they stand."""
    titles = {row.bloc.code: row.bloc.title for row in blocs}
    following = {row.bloc.code: row.validated for row in blocs}
    versions = []
    for row in rectifications:
        versions.append(
            RectifiedVersion(
                number=row.number,
                created_at=row.created_at,
                created_by=row.created_by.get_full_name(),
                reason=row.reason,
                changed=row.changed_blocs(following),
                previous_result_label=DecisionResult(row.previous_result).label,
                previous_outcomes=[
                    (code, titles.get(code, ""), validated)
                    for code, validated in sorted(row.previous_outcomes.items())
                ],
                previous_observations=row.previous_observations,
                previous_recommendations=row.previous_recommendations,
            )
        )
        following = row.previous_outcomes
    return versions


def decided_deliberations(candidacy):
    """The signed deliberations of ``candidacy``, latest first (one in practice)."""
    return Deliberation.objects.filter(
        slot__candidacy=candidacy, decided_at__isnull=False
    ).order_by("-decided_at", "-pk")


def candidate_decision(candidacy) -> CandidateDecision | None:
    """The signed decision of a decided candidacy, or None."""
    deliberation = decided_deliberations(candidacy).first()
    if deliberation is None:
        return None
    blocs = list(deliberation.decided_blocs.select_related("bloc"))
    return CandidateDecision(
        result_label=deliberation.get_result_display(),
        result=deliberation.result,
        decided_at=deliberation.decided_at,
        blocs=blocs,
        observations=deliberation.observations,
        recommendations=deliberation.recommendations,
        versions=decision_versions(rectification_rows().filter(deliberation=deliberation), blocs),
    )
