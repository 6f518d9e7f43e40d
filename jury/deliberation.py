"""The writes of the deliberation: a member's votes, the observations and préconisations,
a signature; and ``decide``'s guard and effect, registered by ``JuryConfig``.

Each write checks who acts and that the decision is still open, under a lock on the slot
(the two members write from two devices). A change to what was signed voids the
signatures given (kept, dated): the members sign the decision they read, so a vote moved
or a text rewritten after a signature is signed again. Refusing the change instead would
leave the members with no way to correct a slip once one had signed. The last signature
runs ``decide``; from then on every write is refused.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jury import permissions, rules, selectors
from jury.interview import Saved, compare_and_set
from jury.models import (
    DELIBERATION_TEXT_MAX_CHARS,
    BlocVote,
    DecidedBloc,
    Deliberation,
    DeliberationSignature,
    Slot,
)
from vae import services as vae_services
from vae.accounts.reauth import TooManyAttempts, confirm_password
from vae.enums import Transition
from vae.models import AcquiredBloc
from vae.workflow import TransitionForbidden, TransitionRefused

DECIDED_MESSAGE = "La décision est signée : elle ne peut plus être modifiée."


def _open_slot(slot, by, *, lock=True) -> Slot:
    slots = Slot.objects.select_for_update() if lock else Slot.objects
    slot = slots.select_related("session", "candidacy__candidate").get(pk=slot.pk)
    if permissions.can_deliberate(by, slot):
        return slot
    if permissions.can_read_deliberation(by, slot):
        raise TransitionRefused(_(DECIDED_MESSAGE))
    raise TransitionForbidden(_("Cette délibération ne vous est pas ouverte."))


def _deliberation(slot) -> Deliberation:
    deliberation, _created = Deliberation.objects.get_or_create(slot=slot)
    return deliberation


def _void_signatures(deliberation) -> int:
    return DeliberationSignature.objects.filter(
        deliberation=deliberation, voided_at__isnull=True
    ).update(voided_at=timezone.now())


def save_votes(*, slot, by, votes: dict) -> bool:
    """The acting member's votes: ``{bloc_pk: (validated, motivation)}`` for every bloc
    the candidate targets. A vote against the computed outcome needs its motivation.
    Returns whether anything changed (then the signatures are voided)."""
    with transaction.atomic():
        slot = _open_slot(slot, by)
        member = permissions.member_of(by)
        state = selectors.deliberation_state(slot, reader=member)
        computed = {item.bloc.pk: item for item in state.blocs}
        if set(votes) != set(computed):
            raise TransitionRefused(_("Votez sur chacun des blocs visés par le candidat."))
        problems = []
        for bloc_pk, (validated, motivation) in votes.items():
            item = computed[bloc_pk]
            if len(motivation or "") > DELIBERATION_TEXT_MAX_CHARS:
                problems.append(
                    _("%(bloc)s : la motivation est trop longue.") % {"bloc": item.bloc.code}
                )
            if validated != item.outcome.validated and not (motivation or "").strip():
                problems.append(
                    _("%(bloc)s : votre vote va contre le résultat calculé ; motivez-le.")
                    % {"bloc": item.bloc.code}
                )
        if problems:
            raise TransitionRefused(_("Vos votes ne sont pas enregistrés."), problems=problems)
        deliberation = _deliberation(slot)
        changed = False
        for bloc_pk, (validated, motivation) in votes.items():
            motivation = (motivation or "").strip()
            mine = computed[bloc_pk].mine
            if mine is not None and (mine.validated, mine.motivation) == (validated, motivation):
                continue
            BlocVote.objects.update_or_create(
                deliberation=deliberation,
                bloc_id=bloc_pk,
                member=member,
                defaults={
                    "validated": validated,
                    "motivation": motivation,
                    "updated_at": timezone.now(),
                },
            )
            changed = True
        if changed:
            _void_signatures(deliberation)
        return changed


def save_texts(*, slot, by, base_version, observations, recommendations) -> Saved:
    """The observations and préconisations for the candidate, written by either member
    (a stale save is refused whole, as for the interview record)."""
    values = {"observations": observations.strip(), "recommendations": recommendations.strip()}
    if any(len(value) > DELIBERATION_TEXT_MAX_CHARS for value in values.values()):
        raise TransitionRefused(_("Ce texte est trop long."))
    with transaction.atomic():
        slot = _open_slot(slot, by)
        deliberation = _deliberation(slot)
        saved = compare_and_set(deliberation, base_version, by, values)
        if saved.changed:
            _void_signatures(deliberation)
        return saved


def sign(*, slot, by, password):
    """The acting member signs the decision as it stands, by re-entering their password;
    the last member's signature runs ``decide``. Returns the transition's log row when the
    decision is taken, else the signature."""
    # Who may sign first: a non-member's password is never checked (nor counted).
    _open_slot(slot, by, lock=False)
    # The logged-in (second-factor) account re-enters its password; wrong ones are
    # counted as the e-mail change's are (``vae.accounts.reauth``). Checked before the
    # transaction: the count is kept in the database, and the refusal rolls back. The
    # membership is checked again under the lock below.
    try:
        confirmed = confirm_password(by, password)
    except TooManyAttempts as locked:
        raise TransitionRefused(locked.message) from None
    if not confirmed:
        raise TransitionRefused(_("Le mot de passe est incorrect : la décision n'est pas signée."))
    with transaction.atomic():
        slot = _open_slot(slot, by)
        member = permissions.member_of(by)
        state = selectors.deliberation_state(slot, reader=member)
        if state.problems:
            raise TransitionRefused(
                _("La décision ne peut pas encore être signée."), problems=state.problems
            )
        if state.signature_of(member) is not None:
            raise TransitionRefused(_("Vous avez déjà signé cette décision."))
        signature = DeliberationSignature.objects.create(
            deliberation=state.deliberation, member=member
        )
        signed = {s.member_id for s in state.signatures} | {member.pk}
        if all(m.pk in signed for m in state.members):
            return vae_services.run_transition(
                candidacy=slot.candidacy, name=Transition.DECIDE, by=by
            )
        return signature


# -- decide: guard and effect ---------------------------------------------------------


def decide_problems(candidacy) -> list[str]:
    """``decide``'s guard: a complete decision signed by every member of the session."""
    slot = selectors.deliberated_slot(candidacy)
    if slot is None:
        return [_("Aucun entretien n'est enregistré pour ce candidat.")]
    state = selectors.deliberation_state(slot)
    unsigned = [
        _("%(name)s n'a pas signé la décision.") % {"name": member}
        for member in state.members
        if state.signature_of(member) is None
    ]
    return [*state.problems, *unsigned]


def _motivations(verdict) -> str:
    return "\n".join(
        f"{vote.name} : {vote.motivation}"
        for vote in verdict.votes
        if vote.validated != verdict.computed and vote.motivation
    )


def record_decision(*, candidacy, entry) -> Deliberation:
    """``decide``'s effect, in its transaction: the outcome of every bloc as signed, the
    result and its date, and the candidate's acquired blocs (valid for the référentiel
    version's period, for life when it has none)."""
    slot = selectors.deliberated_slot(candidacy)
    state = selectors.deliberation_state(slot)
    deliberation = state.deliberation
    DecidedBloc.objects.bulk_create(
        DecidedBloc(
            deliberation=deliberation,
            bloc=item.bloc,
            computed_validated=item.outcome.validated,
            validated=item.verdict.validated,
            casting_vote=item.verdict.casting_vote,
            reasons="\n".join(item.outcome.reasons),
            motivation=_motivations(item.verdict),
        )
        for item in state.blocs
    )
    deliberation.result = state.result
    deliberation.decided_at = entry.created_at
    deliberation.save(update_fields=["result", "decided_at"])
    decided_on = timezone.localdate(entry.created_at)
    months = candidacy.certification.acquired_bloc_validity_months
    valid_until = rules.add_months(decided_on, months) if months else None
    AcquiredBloc.objects.bulk_create(
        AcquiredBloc(
            candidate=candidacy.candidate,
            certification_code=candidacy.certification_code,
            bloc_code=item.bloc.code,
            bloc_title=item.bloc.title,
            acquired_on=decided_on,
            valid_until=valid_until,
            candidacy=candidacy,
        )
        for item in state.blocs
        if item.verdict.validated
    )
    return deliberation


def decision_summary(candidacy) -> list[tuple[str, str]]:
    """What the decision e-mail tells the candidate: the result, each bloc's outcome, the
    observations and préconisations (``vae.notifications.register_summary``)."""
    decision = selectors.candidate_decision(candidacy)
    if decision is None:
        return []
    lines = [(_("Résultat"), decision.result_label)]
    lines += [
        (f"{row.bloc.code} — {row.bloc.title}", _("validé") if row.validated else _("non validé"))
        for row in decision.blocs
    ]
    if decision.observations:
        lines.append((_("Observations du jury"), decision.observations))
    if decision.recommendations:
        lines.append((_("Préconisations"), decision.recommendations))
    return lines
