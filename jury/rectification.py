"""Rectifying a signed decision: a certifier corrects it, with a reason the candidate is told.

France VAE « revokes » a result and keeps nothing of what it said. Here the decision is
rewritten as a new version and the version it replaces is kept
(``DecisionRectification``): the blocs' outcomes and the result, the observations and
préconisations. In the same transaction:
- the candidate's acquired blocs follow the new outcomes;
- the session's PV gets a new version with the reason (the earlier versions stay);
- the upper apps registered here react (certificates: documents cancelled or issued);
- the candidate is e-mailed the reason and the new result, after the commit.

The members' votes and signatures stay as they were signed: the PV prints them, and the
rectification beside them.
"""

from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jury import minutes, permissions, rules, selectors
from jury.enums import DecisionResult
from jury.models import (
    DELIBERATION_TEXT_MAX_CHARS,
    RECTIFICATION_REASON_MAX_CHARS,
    DecisionRectification,
    Deliberation,
)
from vae.emails import send_templated_email, site_url
from vae.enums import OPEN_STATES, CandidacyState
from vae.models import AcquiredBloc, Candidacy
from vae.workflow import TransitionForbidden, TransitionRefused, required_reason

# ``after(candidacy=…, rectification=…)``, run in the rectification's transaction.
Reaction = Callable[..., object]
_reactions: list[Reaction] = []


def register_reaction(reaction: Reaction) -> None:
    """Called by an upper app's ``ready()`` (idempotent)."""
    if reaction not in _reactions:
        _reactions.append(reaction)


def can_rectify(user, candidacy) -> bool:
    """Certifiers, never on their own candidacy; a decided candidacy only."""
    return permissions.can_schedule(user, candidacy) and candidacy.state == CandidacyState.DECIDED


def _decided_deliberation(candidacy) -> Deliberation:
    deliberation = (
        selectors.decided_deliberations(candidacy)
        .select_for_update()
        .select_related("slot__session")
        .first()
    )
    if deliberation is None:
        raise TransitionRefused(_("Cette candidature n'a pas de décision signée à rectifier."))
    return deliberation


def _other_open_candidacy(candidacy):
    return (
        Candidacy.objects.filter(
            candidate_id=candidacy.candidate_id,
            certification__code=candidacy.certification_code,
            state__in=OPEN_STATES,
        )
        .exclude(pk=candidacy.pk)
        .first()
    )


def rectify_decision(
    *, candidacy, by, outcomes: dict[str, bool], observations: str, recommendations: str, reason
) -> DecisionRectification:
    """Rewrite ``candidacy``'s signed decision: ``outcomes`` gives every decided bloc's
    outcome by code. Refused (nothing written) when the reason is missing, nothing
    changes, the texts a partial validation or a refusal needs are missing, or the
    candidate has another candidacy open (its targeted blocs were chosen from this
    decision: it is withdrawn first)."""
    if not can_rectify(by, candidacy):
        raise TransitionForbidden(_("Seul un certificateur peut rectifier une décision."))
    reason = required_reason(
        reason, max_chars=RECTIFICATION_REASON_MAX_CHARS, told_to=_("au candidat")
    )
    observations, recommendations = (observations or "").strip(), (recommendations or "").strip()
    if max(len(observations), len(recommendations)) > DELIBERATION_TEXT_MAX_CHARS:
        raise TransitionRefused(_("Ce texte est trop long."))
    with transaction.atomic():
        deliberation = _decided_deliberation(candidacy)
        decided = {row.bloc.code: row for row in deliberation.decided_blocs.select_related("bloc")}
        if set(outcomes) != set(decided):
            raise TransitionRefused(_("Donnez le résultat de chacun des blocs de la décision."))
        before = {code: row.validated for code, row in decided.items()}
        texts_before = (deliberation.observations, deliberation.recommendations)
        if outcomes == before and (observations, recommendations) == texts_before:
            raise TransitionRefused(
                _("Rien n'est changé : modifiez un résultat ou un texte avant de rectifier.")
            )
        state = selectors.deliberation_state(deliberation.slot)
        result = rules.decision_result(
            {item.bloc.code: item.outcome for item in state.blocs},
            outcomes,
            previously_validated=state.previously_acquired,
        )
        problems = rules.text_problems(
            result=result, observations=observations, recommendations=recommendations
        )
        if problems:
            raise TransitionRefused(_("La décision n'est pas rectifiée."), problems=problems)
        other = _other_open_candidacy(candidacy)
        if other is not None and outcomes != before:
            raise TransitionRefused(
                _(
                    "Le candidat a une autre candidature en cours (%(reference)s), dont les "
                    "blocs visés découlent de cette décision : elle doit être close avant "
                    "de changer le résultat d'un bloc."
                )
                % {"reference": other.reference}
            )
        rectification = DecisionRectification.objects.create(
            deliberation=deliberation,
            number=deliberation.rectifications.count() + 2,
            reason=reason,
            created_by=by,
            previous_result=deliberation.result,
            previous_outcomes=before,
            previous_observations=deliberation.observations,
            previous_recommendations=deliberation.recommendations,
        )
        for code, row in decided.items():
            if row.validated != outcomes[code]:
                row.validated = outcomes[code]
                row.save(update_fields=["validated"])
        deliberation.result = result
        deliberation.observations = observations
        deliberation.recommendations = recommendations
        deliberation.save(update_fields=["result", "observations", "recommendations"])
        _follow_acquired_blocs(candidacy, deliberation, decided, outcomes)
        minutes.new_version(
            deliberation.slot.session,
            reason=_(
                "Décision rectifiée pour %(candidate)s (candidature %(reference)s) : %(reason)s"
            )
            % {
                "candidate": candidacy.candidate.get_full_name(),
                "reference": candidacy.reference,
                "reason": reason,
            },
        )
        for reaction in _reactions:
            reaction(candidacy=candidacy, rectification=rectification)
        _tell_candidate(candidacy, rectification, DecisionResult(result))
        return rectification


def _follow_acquired_blocs(candidacy, deliberation, decided, outcomes) -> None:
    """The candidate's acquired blocs as the rectified decision says: those no longer
    validated are removed (they were this decision's), those now validated added."""
    lost = [code for code, validated in outcomes.items() if not validated]
    AcquiredBloc.objects.filter(candidacy=candidacy, bloc_code__in=lost).delete()
    decided_on = timezone.localdate(deliberation.decided_at)
    months = candidacy.certification.acquired_bloc_validity_months
    valid_until = rules.add_months(decided_on, months) if months else None
    for code, validated in outcomes.items():
        if validated:
            AcquiredBloc.objects.get_or_create(
                candidate=candidacy.candidate,
                certification_code=candidacy.certification_code,
                bloc_code=code,
                defaults={
                    "bloc_title": decided[code].bloc.title,
                    "acquired_on": decided_on,
                    "valid_until": valid_until,
                    "candidacy": candidacy,
                },
            )


def _tell_candidate(candidacy, rectification, result) -> None:
    candidate = candidacy.candidate
    send_templated_email(
        "emails/jury/rectification",
        {
            "recipient_name": candidate.get_full_name(),
            "candidacy": candidacy,
            "rectification": rectification,
            "result_label": result.label,
            "previous_label": DecisionResult(rectification.previous_result).label,
            "link": site_url(reverse("candidacy:detail", args=[candidacy.pk])),
        },
        to=[candidate.email],
    )
