"""The PV (procès-verbal) of a jury session.

Drawn up once every candidate of the session is decided or absent (``draw_up_if_complete``,
run by the effects of ``decide`` and ``record_absence``): a ``SessionMinutes`` row and its
PDF, a frozen generated document (``vae.documents``) rendered once in a task and stored
with its SHA-256 — the PV is locked by construction. It prints the certification and its
référentiel version, the date, place and modality, the composition with colleges and
président, for each candidate the per-bloc votes and outcomes with every motivation and
the casting votes, the absences (excused or not, with their justification), and the
members' signatures with their times.

Who reads it: certifiers and the session's members (``jury.permissions.SESSIONS``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from jury import permissions, selectors
from jury.enums import SlotStatus
from jury.models import (
    BlocVote,
    Deliberation,
    DeliberationSignature,
    JurySeat,
    JurySession,
    SessionMinutes,
    Slot,
)
from vae.documents.pdf import render_template_pdf
from vae.documents.presentation import document_state
from vae.documents.services import request_document
from vae.enums import DocumentKind, Transition
from vae.models import CandidacyTransition

TEMPLATE = "jury/minutes_pdf.html"
KEY_PREFIX = "pv-"
# A slot still to be decided or heard keeps the PV open; a cancelled one is not the
# session's any more (rescheduled elsewhere, withdrawn).
OPEN_SLOTS = (SlotStatus.SCHEDULED,)


def _counted_slots(session):
    return session.slots.exclude(status=SlotStatus.CANCELLED)


def is_complete(session) -> bool:
    """Every candidate heard and decided, or absent; at least one of them."""
    slots = _counted_slots(session)
    if not slots.exists() or slots.filter(status__in=OPEN_SLOTS).exists():
        return False
    heard = slots.filter(status=SlotStatus.INTERVIEWED)
    return not heard.exclude(deliberation__decided_at__isnull=False).exists()


def draw_up_if_complete(session) -> SessionMinutes | None:
    """The session's first PV, drawn up (and its PDF queued after the commit) when the
    session has just become complete; None while it is not, or when it exists."""
    with transaction.atomic():
        JurySession.objects.select_for_update().filter(pk=session.pk).first()
        if session.minutes.exists() or not is_complete(session):
            return None
        return _draw_up(session, number=1)


def _draw_up(session, *, number, reason="") -> SessionMinutes:
    minutes = SessionMinutes.objects.create(session=session, number=number, reason=reason)
    minutes.document = request_document(
        candidacy=None,
        kind=DocumentKind.JURY_PV,
        filename=f"pv-jury-{session.date:%Y-%m-%d}-{session.pk}-v{minutes.number}.pdf",
        key=minutes.document_key,
    )
    minutes.save(update_fields=["document"])
    return minutes


def new_version(session, *, reason) -> SessionMinutes | None:
    """A new version of the session's PV after a decision was rectified, with its reason;
    the earlier versions stay as they were signed. None while the session has no PV yet:
    the first one, when drawn up, prints the decisions as they then stand."""
    with transaction.atomic():
        JurySession.objects.select_for_update().filter(pk=session.pk).first()
        last = session.minutes.order_by("-number").first()
        if last is None:
            return None
        return _draw_up(session, number=last.number + 1, reason=reason)


def on_slot_final(*, candidacy, entry) -> None:
    """The effect of ``decide`` and ``record_absence``: the slot's session may be complete."""
    slot = (
        Slot.objects.filter(candidacy=candidacy)
        .exclude(status__in=(SlotStatus.SCHEDULED, SlotStatus.CANCELLED))
        .select_related("session")
        .order_by("-pk")
        .first()
    )
    if slot is not None:
        draw_up_if_complete(slot.session)


# -- reading ------------------------------------------------------------------------------


def minutes_for_document(document) -> SessionMinutes | None:
    if not document.key.startswith(KEY_PREFIX) or document.candidacy_id is not None:
        return None
    return SessionMinutes.objects.select_related("session").filter(document=document).first()


def subjects(document) -> list:
    """The candidacies a PV prints (its session's candidates), for their access logs."""
    minutes = minutes_for_document(document)
    if minutes is None:
        return []
    return [slot.candidacy for slot in _counted_slots(minutes.session).select_related("candidacy")]


def can_read(user, document) -> bool:
    minutes = minutes_for_document(document)
    return minutes is not None and permissions.SESSIONS.can(user, minutes.session)


@dataclass(frozen=True)
class BlocLine:
    code: str
    title: str
    computed: bool
    validated: bool
    casting_vote: bool
    reasons: list
    votes: list  # (member, validated, motivation)
    motivation: str


@dataclass(frozen=True)
class CandidateLine:
    slot: object
    name: str
    reference: str
    absent: bool
    excused: bool | None
    justification: str
    result: str
    blocs: list
    observations: str
    recommendations: str
    signatures: list  # (member, signed_at)
    versions: list = ()  # selectors.RectifiedVersion, newest first


def _absence_comments(session) -> dict:
    """The justification of each absence, from the log rows (``jury.services``)."""
    rows = CandidacyTransition.objects.filter(
        candidacy__jury_slots__session=session, transition=Transition.RECORD_ABSENCE
    ).order_by("created_at")
    return {row.candidacy_id: row.comment for row in rows}


def context(minutes) -> dict:
    """Everything the PV prints, in a fixed number of queries whatever the candidates."""
    session = (
        JurySession.objects.select_related("certification", "president__user")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=JurySeat.objects.select_related("member__user").order_by("pk"),
            )
        )
        .get(pk=minutes.session_id)
    )
    slots = list(
        _counted_slots(session)
        .select_related("candidacy__candidate", "candidacy__eligibility_request")
        .prefetch_related(
            Prefetch(
                "deliberation",
                queryset=Deliberation.objects.prefetch_related(
                    "decided_blocs__bloc",
                    Prefetch("rectifications", queryset=selectors.rectification_rows()),
                    Prefetch("votes", queryset=BlocVote.objects.select_related("member__user")),
                    Prefetch(
                        "signatures",
                        queryset=DeliberationSignature.objects.filter(
                            voided_at__isnull=True
                        ).select_related("member__user"),
                    ),
                ),
            )
        )
        .order_by("start", "pk")
    )
    absences = _absence_comments(session)
    candidates = [_line(slot, absences) for slot in slots]
    return {
        "minutes": minutes,
        "session": session,
        "seats": list(session.seats.all()),
        "candidates": candidates,
        "previous": list(
            SessionMinutes.objects.filter(session=session, number__lt=minutes.number)
            .select_related("document")
            .order_by("number")
        ),
    }


def _name(candidacy) -> str:
    identity = getattr(candidacy, "eligibility_request", None)
    if identity is not None and identity.display_name:
        return identity.display_name
    return candidacy.candidate.get_full_name()


def _line(slot, absences) -> CandidateLine:
    candidacy = slot.candidacy
    if slot.status == SlotStatus.ABSENT:
        return CandidateLine(
            slot=slot,
            name=_name(candidacy),
            reference=candidacy.reference,
            absent=True,
            excused=slot.absence_excused,
            justification=absences.get(candidacy.pk, ""),
            result="",
            blocs=[],
            observations="",
            recommendations="",
            signatures=[],
        )
    deliberation = getattr(slot, "deliberation", None)
    votes = list(deliberation.votes.all()) if deliberation else []
    decided_blocs = list(deliberation.decided_blocs.all()) if deliberation else []
    blocs = [
        BlocLine(
            code=decided.bloc.code,
            title=decided.bloc.title,
            computed=decided.computed_validated,
            validated=decided.validated,
            casting_vote=decided.casting_vote,
            reasons=[line for line in decided.reasons.splitlines() if line],
            votes=[
                (vote.member, vote.validated, vote.motivation)
                for vote in votes
                if vote.bloc_id == decided.bloc_id
            ],
            motivation=decided.motivation,
        )
        for decided in decided_blocs
    ]
    return CandidateLine(
        slot=slot,
        name=_name(candidacy),
        reference=candidacy.reference,
        absent=False,
        excused=None,
        justification="",
        result=deliberation.get_result_display() if deliberation else "",
        blocs=blocs,
        observations=deliberation.observations if deliberation else "",
        recommendations=deliberation.recommendations if deliberation else "",
        signatures=[
            (signature.member, signature.signed_at)
            for signature in (deliberation.signatures.all() if deliberation else [])
        ],
        versions=(
            selectors.decision_versions(deliberation.rectifications.all(), decided_blocs)
            if deliberation
            else []
        ),
    )


def render(document) -> bytes:
    minutes = minutes_for_document(document)
    if minutes is None:
        raise LookupError(f"No PV for document {document.pk} ({document.key})")
    # The style sheet is in the page: WeasyPrint reads nothing else.
    return render_template_pdf(TEMPLATE, context(minutes), local_files=False)


def minutes_of(session) -> list:
    """The session's PV versions with the state of their PDF, for its pages."""
    return [
        (row, document_state(row.document))
        for row in SessionMinutes.objects.filter(session=session)
        .select_related("document")
        .order_by("number")
        if row.document is not None
    ]
