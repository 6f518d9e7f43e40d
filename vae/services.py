"""Every write on a candidacy: one entry point per action.

Each entry point checks permission, writes atomically (state, log row, related rows) and
queues the notifications after commit. Callers catch ``vae.workflow.WorkflowError`` and
show its French message; nothing is written when one is raised.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)

from referentiel import french as fr
from referentiel.models import Certification
from vae import notifications, permissions, signals, workflow
from vae.enums import TRANSITIONS, CandidacyState, Transition
from vae.models import AcquiredBloc, Candidacy, CandidacyTransition, User
from vae.workflow import ConcurrentDecision, TransitionForbidden, TransitionRefused


def acquired_bloc_codes(candidate, certification_code) -> set[str]:
    return set(
        AcquiredBloc.objects.filter(
            candidate=candidate, certification_code=certification_code
        ).values_list("bloc_code", flat=True)
    )


@transaction.atomic
def start_candidacy(*, candidate, certification_code=None) -> Candidacy:
    """Open a candidacy pinned to the published référentiel version in force, targeting
    every bloc not already acquired.

    ``signals.candidacy_started`` is sent inside the same atomic block: livret opens the
    candidate's livret 1 then, so that a candidacy never exists without it.
    """
    if not permissions.can_start_candidacy(candidate):
        raise TransitionForbidden(_("Seul un compte candidat peut déposer une candidature."))
    version = Certification.objects.current(certification_code)
    if version is None:
        raise TransitionRefused(
            _("Aucune version du référentiel n'est publiée : les candidatures sont fermées.")
        )
    # Locking the candidate's row serialises two clicks on « Commencer » from one person.
    User.objects.select_for_update().filter(pk=candidate.pk).first()
    if (
        Candidacy.objects.open()
        .filter(candidate=candidate, certification_code=version.code)
        .exists()
    ):
        raise TransitionRefused(
            _("Vous avez déjà une candidature en cours pour cette certification.")
        )
    acquired = acquired_bloc_codes(candidate, version.code)
    blocs = [bloc for bloc in version.blocs.all() if bloc.code not in acquired]
    if not blocs:
        raise TransitionRefused(_("Vous avez déjà validé tous les blocs de cette certification."))
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.create(
                candidate=candidate, certification=version, certification_code=version.code
            )
    except IntegrityError as error:
        raise TransitionRefused(
            _("Vous avez déjà une candidature en cours pour cette certification.")
        ) from error
    candidacy.targeted_blocs.set(blocs)
    signals.candidacy_started.send(sender=Candidacy, candidacy=candidacy)
    return candidacy


def _refusal(candidacy, name, by) -> Exception:
    """The French reason a transition django-fsm refused."""
    if permissions.acting_role(by, candidacy, name) is None:
        return TransitionForbidden(
            _("Vous n'avez pas le droit d'effectuer cette action sur cette candidature.")
        )
    transition = getattr(candidacy, name)._django_fsm.get_transition(candidacy.state)
    if transition is None:
        return TransitionRefused(
            _("Cette action n'est pas possible : la candidature est à l'état « %(state)s ».")
            % {"state": CandidacyState(candidacy.state).label}
        )
    problems = [
        problem
        for condition in transition.conditions
        for problem in getattr(condition, "problems", lambda c: [])(candidacy)
    ]
    return TransitionRefused(_("Cette action n'est pas encore possible."), problems=problems)


def run_transition(*, candidacy, name, by, comment="") -> CandidacyTransition:
    """Apply transition ``name`` as ``by``: all of it, or nothing.

    A concurrent change (another certifier deciding at the same moment) makes the state
    update match no row; ConcurrentTransitionMixin then raises inside the atomic block,
    the log row is rolled back and the user is told someone was faster.
    """
    name = Transition(name).value
    try:
        with transaction.atomic():
            getattr(candidacy, name)(by=by, comment=comment)
            candidacy.save()
            entry = candidacy.saved_transitions[0]
            for effect in workflow.effects_of(name):
                effect(candidacy=candidacy, entry=entry)
            notifications.notify_transition(entry)
    except TransitionNotAllowed as error:
        refusal = _refusal(candidacy, name, by)
        raise refusal from error
    except ConcurrentTransition as error:
        candidacy.refresh_from_db()
        raise ConcurrentDecision(
            _(
                "La candidature a été modifiée par quelqu'un d'autre pendant que vous la "
                "consultiez : elle est maintenant à l'état « %(state)s ». Rien n'a été "
                "enregistré de votre côté."
            )
            % {"state": CandidacyState(candidacy.state).label}
        ) from error
    except Exception:
        # The in-memory object may hold a state the database refused: reload it.
        if candidacy.pk:
            candidacy.refresh_from_db()
        raise
    return entry


def _entry_point(name: Transition):
    def apply(*, candidacy, by, comment=""):
        return run_transition(candidacy=candidacy, name=name, by=by, comment=comment)

    apply.__name__ = apply.__qualname__ = name.value
    apply.__doc__ = f"{name.label} (``run_transition`` of « {name.value} »)."
    return apply


# One entry point per row of the transition table: ``services.accept_eligibility(
# candidacy=…, by=…, comment=…)``. Derived, never listed: a transition added to the table
# has its entry point.
ENTRY_POINTS = {name: _entry_point(name) for name in TRANSITIONS}


def __getattr__(attribute):
    try:
        return ENTRY_POINTS[Transition(attribute)]
    except ValueError:
        raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}") from None


def transition_refusal(*, candidacy, name, by):
    """Why ``by`` could not apply ``name`` now, as the state machine would word it; None
    when they could. Nothing is written: the confirmation pages ask before offering
    « Confirmer », so that a guard not met is explained before, not after, the click.
    """
    method = getattr(candidacy, Transition(name).value)
    if can_proceed(method) and has_transition_perm(method, by):
        return None
    return _refusal(candidacy, Transition(name).value, by)


def available_transitions(candidacy, user) -> list[str]:
    """The transitions ``user`` may attempt now (a guard not met explains itself then)."""
    return [
        name.value
        for name in TRANSITIONS
        if candidacy.state in TRANSITIONS[name].sources
        and permissions.acting_role(user, candidacy, name) is not None
    ]


def check_not_stale(*, candidacy, seen: str) -> None:
    """Someone else changed the candidacy since ``seen`` (its ``version_token`` as a page
    showed it): raise ``ConcurrentDecision`` with who did what, and write nothing.

    The state machine catches a race at the very moment of writing; this catches the
    common case of a page left open while a colleague decided.
    """
    if not seen or seen == candidacy.version_token:
        return
    last = candidacy.transitions.select_related("actor").order_by("-created_at").first()
    problems = []
    if last is not None:
        problems.append(
            _("%(what)s par %(who)s le %(when)s.")
            % {
                "what": last.get_transition_display(),
                "who": last.actor.get_full_name() or last.actor.email,
                "when": fr.datetime(last.created_at),
            }
        )
    raise ConcurrentDecision(
        _(
            "La candidature a été modifiée par quelqu'un d'autre pendant que vous la "
            "consultiez : elle est maintenant à l'état « %(state)s ». Rien n'a été "
            "enregistré de votre côté."
        )
        % {"state": CandidacyState(candidacy.state).label},
        problems=problems,
    )
