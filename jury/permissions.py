"""Who may do what in the jury: the one place these decisions are made.

A member sees the sessions they sit in; of a candidate scheduled in one, nothing before
declaring not to know them, and nothing at all after declaring a conflict. Certifiers
(staff) manage members and sessions and schedule candidates. Each resource has one policy
answering both ways: ``can(user, obj)`` and ``scope(queryset, user)`` in SQL.
"""

from django.db.models import Exists, OuterRef, Q

from jury.enums import OCCUPYING_STATUSES, ConvocationStatus, SessionStatus, SlotStatus
from jury.models import ConflictDeclaration, JuryMember, JurySeat, Slot
from vae import permissions as vae_permissions
from vae.enums import JURY_READING_STATES, CandidacyState, Role


def is_jury_member(user) -> bool:
    return Role.JURY_MEMBER in vae_permissions.user_roles(user)


def member_of(user) -> JuryMember | None:
    """The user's active jury profile, or None (read once per user object)."""
    if not is_jury_member(user):
        return None
    if not hasattr(user, "_jury_member"):
        user._jury_member = JuryMember.objects.active().filter(user=user).first()
    return user._jury_member


def can_manage(user) -> bool:
    """Members, sessions, scheduling: certifiers (staff)."""
    return vae_permissions.is_certifier(user)


def can_schedule(user, candidacy) -> bool:
    """Never on their own candidacy: acting on one's own file is a conflict of interest."""
    return can_manage(user) and not vae_permissions.is_owner(user, candidacy)


def sits_in(user, session) -> bool:
    member = member_of(user)
    return member is not None and JurySeat.objects.filter(session=session, member=member).exists()


class SessionPolicy:
    """A session, its composition and agenda: certifiers, and the members who sit in it."""

    def can(self, user, session) -> bool:
        return can_manage(user) or sits_in(user, session)

    def scope(self, queryset, user):
        if can_manage(user):
            return queryset
        member = member_of(user)
        if member is None:
            return queryset.none()
        return queryset.filter(
            Exists(JurySeat.objects.filter(session=OuterRef("pk"), member=member))
        )


SESSIONS = SessionPolicy()


class ConvocationPolicy:
    """A convocation (its page, ``.ics`` and PDF): certifiers; its candidate while it
    stands (sent, not cancelled nor replaced) and they are convoked. Members read the
    session's agenda, not the candidate's convocation."""

    def can(self, user, convocation) -> bool:
        if can_manage(user):
            return True
        return (
            vae_permissions.is_owner(user, convocation.candidacy)
            and convocation.status == ConvocationStatus.SENT
            and convocation.candidacy.state == CandidacyState.JURY_SCHEDULED
        )

    def scope(self, queryset, user):
        if can_manage(user):
            return queryset
        if not user.is_authenticated or not user.is_active:
            return queryset.none()
        return queryset.filter(
            candidacy__candidate=user,
            status=ConvocationStatus.SENT,
            candidacy__state=CandidacyState.JURY_SCHEDULED,
        )


CONVOCATIONS = ConvocationPolicy()


def declaration_of(member, candidacy) -> ConflictDeclaration | None:
    if member is None:
        return None
    return ConflictDeclaration.objects.filter(member=member, candidacy=candidacy).first()


def can_declare(user, slot) -> bool:
    """A member of the slot's session, once, while the candidate is convoked or heard."""
    member = member_of(user)
    return (
        member is not None
        and slot.status in OCCUPYING_STATUSES
        and slot.session.status != SessionStatus.CLOSED
        and sits_in(user, slot.session)
        and declaration_of(member, slot.candidacy) is None
    )


def _seated_slots(user, statuses):
    """The slots in ``statuses`` of the sessions where ``user`` sits as an active member."""
    return Slot.objects.filter(
        status__in=statuses,
        session__seats__member__user=user,
        session__seats__member__active=True,
    )


def _declarations(user, *, no_conflict):
    return ConflictDeclaration.objects.filter(member__user=user, no_conflict=no_conflict)


def _sits_for(user, candidacy_ref, statuses) -> Exists:
    return Exists(_seated_slots(user, statuses).filter(candidacy=candidacy_ref))


def _declared(user, candidacy_ref, *, no_conflict) -> Exists:
    return Exists(_declarations(user, no_conflict=no_conflict).filter(candidacy=candidacy_ref))


def _reads_as_jury(user) -> Q:
    """The session's members who declared no conflict, from the convocation on (SQL)."""
    if not is_jury_member(user):
        return Q(pk__in=[])
    # The candidacies read from the member's slots and declarations (their indexes by
    # member), rather than two EXISTS per candidacy: those made the database test every
    # candidacy in a jury state, whatever the member's sessions.
    seated = _seated_slots(user, OCCUPYING_STATUSES).values("candidacy_id")
    declared = _declarations(user, no_conflict=True).values("candidacy_id")
    return Q(pk__in=seated) & Q(pk__in=declared, state__in=JURY_READING_STATES)


def can_read_dossier_as_jury(user, candidacy) -> bool:
    if not is_jury_member(user) or candidacy.state not in JURY_READING_STATES:
        return False
    return type(candidacy).objects.filter(_reads_as_jury(user), pk=candidacy.pk).exists()


# Registered into the core's dossier policy (``JuryConfig.ready``).
JURY_READER = vae_permissions.Reader(can=can_read_dossier_as_jury, where=_reads_as_jury)


def acts_as_jury(user, candidacy) -> bool:
    """Who acts on the candidacy as a jury member (absence, interview): a member sitting
    in the session of its slot, who has not declared knowing the candidate."""
    if member_of(user) is None:
        return False
    # The live slot is « scheduled » for the interview and the absence, « interviewed »
    # for the decision: the state machine says which transition applies when.
    return (
        type(candidacy)
        .objects.filter(
            _sits_for(user, OuterRef("pk"), OCCUPYING_STATUSES),
            ~_declared(user, OuterRef("pk"), no_conflict=False),
            pk=candidacy.pk,
        )
        .exists()
    )


# -- the candidate's file and the interview record ------------------------------------


def can_read_file(user, slot) -> bool:
    """A candidate's file in the jury's workspace: a member sitting in the slot's session
    who may read the dossier as a jury member (declared no conflict, right state)."""
    return (
        slot.status in OCCUPYING_STATUSES
        and sits_in(user, slot.session)
        and can_read_dossier_as_jury(user, slot.candidacy)
    )


def can_write_interview(user, slot) -> bool:
    """The interview record: the same members, while the candidate is convoked; once
    ``record_interview`` moved the slot on, the record is closed (read-only)."""
    return (
        slot.status == SlotStatus.SCHEDULED
        and slot.candidacy.state == CandidacyState.JURY_SCHEDULED
        and can_read_file(user, slot)
    )


def can_read_deliberation(user, slot) -> bool:
    """The deliberation on a heard candidate: the members who may read their file, from
    the interview on (read-only once decided)."""
    return slot.status == SlotStatus.INTERVIEWED and can_read_file(user, slot)


def can_deliberate(user, slot) -> bool:
    """Votes, texts, signatures: the same members, until the decision is signed."""
    return slot.candidacy.state == CandidacyState.INTERVIEWED and can_read_deliberation(user, slot)
