"""The candidacy, its state machine and its append-only history.

A ``Candidacy`` is one attempt of one candidate at one certification. Its state changes
only through the transition methods below (django-fsm, ``protected=True``); each one
checks who acts and what must hold, and leaves exactly one ``CandidacyTransition`` row.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm.signals import post_transition

from referentiel.caching import bloc_tree
from referentiel.models import Bloc, Competence
from vae import permissions, workflow
from vae.enums import (
    AWAITING_DECISION,
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    CandidacyState,
    Role,
    Transition,
)
from vae.workflow import AppendOnlyError, TransitionForbidden, TransitionRefused

S = CandidacyState
T = Transition


def declared(name: Transition):
    """The django-fsm decorator of transition ``name``, read from the one table
    (``vae.enums.TRANSITIONS``): its sources, its target, who may perform it, and the
    guards the apps registered for it (``vae.workflow``)."""
    rule = TRANSITIONS[name]
    return transition(
        field="state",
        source=list(rule.sources),
        target=rule.target,
        conditions=[workflow.guard(name)],
        permission=permissions.may(name),
    )


def eligibility_end(granted_on: datetime.date) -> datetime.date:
    """The day a recevabilité granted on ``granted_on`` stops being valid.

    One computation for the decision and for the certifier's confirmation page, which
    announces the date before the decision is taken.
    """
    return granted_on + datetime.timedelta(days=settings.VAE_ELIGIBILITY_VALIDITY_DAYS)


class CandidacyQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=FINAL_STATES)

    def of_certification(self, code):
        return self.filter(certification_code=code)

    def visible_to(self, user):
        """Candidacies ``user`` may see, decided in the query itself."""
        return permissions.CANDIDACIES.scope(self, user)

    def dossiers_readable_by(self, user):
        """Candidacies whose documents ``user`` may read (livret 2, evidence, review notes),
        decided in the query itself: what search filters its results with."""
        return permissions.DOSSIERS.scope(self, user)

    def with_targeted_blocs(self):
        """The targeted blocs of every candidacy, in référentiel order, in one query."""
        return self.prefetch_related(
            Prefetch("targeted_blocs", queryset=Bloc.objects.order_by("sort_order", "code"))
        )


class Candidacy(ConcurrentTransitionMixin, models.Model):
    """One attempt of a candidate at the CQP, pinned to one référentiel version."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=gettext_lazy("candidat"),
    )
    # Pinned at creation to the published version in force: later versions never change
    # what this candidate is assessed against.
    certification = models.ForeignKey(
        "referentiel.Certification",
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=gettext_lazy("version du référentiel"),
    )
    # Copied from the version so that "one open candidacy per certification" is a
    # database constraint across versions.
    certification_code = models.CharField(gettext_lazy("certification"), max_length=50)
    state = FSMField(
        gettext_lazy("état"),
        default=S.DRAFT,
        choices=S.choices,
        protected=True,
        db_index=True,
    )
    created_at = models.DateTimeField(gettext_lazy("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("modifiée le"), auto_now=True)
    state_changed_at = models.DateTimeField(
        gettext_lazy("dernier changement d'état"), default=timezone.now, db_index=True
    )
    eligible_until = models.DateField(gettext_lazy("recevable jusqu'au"), null=True, blank=True)
    # ``state in AWAITING_DECISION``, kept by ``save`` (the one place a state is written):
    # the certifier's list puts these first, and an index serves that order, which an
    # ordering on a CASE over the state cannot have.
    awaiting_decision = models.BooleanField(
        gettext_lazy("en attente d'une décision"), default=False, editable=False
    )
    # What the candidacy aims at: set at its start (every bloc not already acquired),
    # chosen by the candidate in livret 1, then what every later step reads.
    targeted_blocs = models.ManyToManyField(
        "referentiel.Bloc",
        related_name="candidacies",
        blank=True,
        verbose_name=gettext_lazy("blocs visés"),
    )

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("candidature")
        verbose_name_plural = gettext_lazy("candidatures")
        ordering = ["-created_at"]
        indexes = [
            # The certifier's list: awaiting a decision first, then the latest changes.
            models.Index(
                fields=["-awaiting_decision", "-state_changed_at", "-id"],
                name="candidacy_list_order",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "certification_code"],
                condition=~Q(state__in=[state.value for state in FINAL_STATES]),
                name="one_open_candidacy_per_certification",
                violation_error_message=gettext_lazy(
                    "Vous avez déjà une candidature en cours pour cette certification."
                ),
            )
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending_actor = None
        self._unsaved_log = []

    def __str__(self):
        return f"{self.reference} — {self.candidate}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.certification_code:
            self.certification_code = self.certification.code
        self.awaiting_decision = self.state in AWAITING_DECISION
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "state" in update_fields:
            kwargs["update_fields"] = {*update_fields, "awaiting_decision"}
        # One atomic write: the new state (refused by ConcurrentTransitionMixin when the
        # row changed since it was read) and its log row stand or fall together.
        with transaction.atomic():
            super().save(*args, **kwargs)
            pending, self._unsaved_log = self._unsaved_log, []
            for entry in pending:
                entry.candidacy = self
                entry.save()
        # The rows just written, for the service that sends their notifications.
        self.saved_transitions = pending

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.forget_tree()
        self._pending_actor = None
        self._unsaved_log = []

    @property
    def reference(self) -> str:
        """The file number people quote on the phone: VAE-2026-00042."""
        year = (self.created_at or timezone.now()).year
        return f"VAE-{year}-{self.pk or 0:05d}"

    @property
    def version_token(self) -> str:
        """What a page shows the candidacy as: its state and the moment it last changed.

        A decision posted with an older token was taken on a stale page.
        """
        return f"{self.state}@{self.state_changed_at.isoformat()}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def targets(self, competence) -> bool:
        """Whether ``competence`` belongs to a bloc this candidacy targets (one query)."""
        return Competence.objects.filter(
            pk=getattr(competence, "pk", competence), activity__bloc__candidacies=self
        ).exists()

    def get_state_display(self) -> str:
        # Django's own builds a dict of every choice on each call, hashing each lazy
        # label (a translation lookup): a few per page, on every page that shows states.
        try:
            return str(CandidacyState(self.state).label)
        except ValueError:
            return self.state

    def referentiel_tree(self) -> list:
        """The targeted blocs with their activités, compétences and critères, in order,
        in one query (the tree of a published version comes from the cache), once per
        instance: a page asks several times. Changing the targeted blocs through this
        instance, or reloading it, reads them again (``forget_tree``)."""
        tree = getattr(self, "_referentiel_tree", None)
        if tree is None:
            tree = bloc_tree(
                self.targeted_blocs.values_list(
                    "pk", "certification_id", "certification__content_hash", "certification__status"
                )
            )
            self._referentiel_tree = tree
        return tree

    def forget_tree(self) -> None:
        self.__dict__.pop("_referentiel_tree", None)

    def targeted_competences(self) -> list:
        """The compétences of the targeted blocs, in référentiel order."""
        return [
            competence
            for bloc in self.referentiel_tree()
            for activity in bloc.activities.all()
            for competence in activity.competences.all()
        ]

    # -- the machine ---------------------------------------------------------------------

    def _begin(self, transition_name, by, comment):
        """Checks shared by every transition, run before the state changes."""
        role = permissions.acting_role(by, self, transition_name)
        if role is None:
            raise TransitionForbidden(
                _("Vous n'avez pas le droit d'effectuer cette action sur cette candidature.")
            )
        comment = (comment or "").strip()
        required = TRANSITIONS[Transition(transition_name)].comment_required
        if required and not comment:
            raise TransitionRefused(str(required))
        self._pending_actor = (by, role, comment)

    @declared(T.SUBMIT_ELIGIBILITY)
    def submit_eligibility(self, *, by, comment=""):
        self._begin(T.SUBMIT_ELIGIBILITY, by, comment)

    @declared(T.RETURN_ELIGIBILITY)
    def return_eligibility(self, *, by, comment=""):
        self._begin(T.RETURN_ELIGIBILITY, by, comment)

    @declared(T.ACCEPT_ELIGIBILITY)
    def accept_eligibility(self, *, by, comment=""):
        self._begin(T.ACCEPT_ELIGIBILITY, by, comment)
        self.eligible_until = eligibility_end(timezone.localdate())

    @declared(T.REJECT_ELIGIBILITY)
    def reject_eligibility(self, *, by, comment=""):
        self._begin(T.REJECT_ELIGIBILITY, by, comment)

    @declared(T.SUBMIT_DOSSIER)
    def submit_dossier(self, *, by, comment=""):
        self._begin(T.SUBMIT_DOSSIER, by, comment)

    @declared(T.RETURN_DOSSIER)
    def return_dossier(self, *, by, comment=""):
        self._begin(T.RETURN_DOSSIER, by, comment)

    @declared(T.START_REVIEW)
    def start_review(self, *, by, comment=""):
        self._begin(T.START_REVIEW, by, comment)

    @declared(T.COMPLETE_REVIEW)
    def complete_review(self, *, by, comment=""):
        self._begin(T.COMPLETE_REVIEW, by, comment)

    @declared(T.SCHEDULE_JURY)
    def schedule_jury(self, *, by, comment=""):
        self._begin(T.SCHEDULE_JURY, by, comment)

    @declared(T.RESCHEDULE_JURY)
    def reschedule_jury(self, *, by, comment=""):
        self._begin(T.RESCHEDULE_JURY, by, comment)

    @declared(T.RECORD_ABSENCE)
    def record_absence(self, *, by, comment=""):
        self._begin(T.RECORD_ABSENCE, by, comment)

    @declared(T.RECORD_INTERVIEW)
    def record_interview(self, *, by, comment=""):
        self._begin(T.RECORD_INTERVIEW, by, comment)

    @declared(T.DECIDE)
    def decide(self, *, by, comment=""):
        self._begin(T.DECIDE, by, comment)

    @declared(T.WITHDRAW)
    def withdraw(self, *, by, comment=""):
        self._begin(T.WITHDRAW, by, comment)


@receiver(post_transition, sender=Candidacy)
def _record_transition(sender, instance, name, source, target, **kwargs):
    """Queue the log row of a transition that has just changed the state in memory."""
    by, role, comment = instance._pending_actor
    instance._pending_actor = None
    now = timezone.now()
    instance.state_changed_at = now
    instance._unsaved_log.append(
        CandidacyTransition(
            transition=name,
            source_state=source,
            target_state=target,
            actor=by,
            actor_role=role,
            comment=comment,
            created_at=now,
        )
    )


class CandidacyTransitionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("Le journal des transitions ne se modifie pas."))

    def delete(self):
        raise AppendOnlyError(_("Le journal des transitions ne s'efface pas."))


class CandidacyTransition(models.Model):
    """One row per state change: who, in which role, when, from, to, and their comment.

    Append-only: the history of a candidacy is evidence in an appeal, so nothing here is
    ever updated or deleted, and the actor's account cannot be deleted while they have
    acted on a candidacy (RESTRICT).
    """

    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="transitions")
    transition = models.CharField(gettext_lazy("action"), max_length=40, choices=Transition.choices)
    source_state = models.CharField(gettext_lazy("de"), max_length=32, choices=S.choices)
    target_state = models.CharField(gettext_lazy("vers"), max_length=32, choices=S.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        related_name="candidacy_transitions",
        verbose_name=gettext_lazy("par"),
    )
    actor_role = models.CharField(gettext_lazy("en tant que"), max_length=20, choices=Role.choices)
    comment = models.TextField(gettext_lazy("commentaire"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("le"), default=timezone.now, db_index=True)

    objects = CandidacyTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("transition de candidature")
        verbose_name_plural = gettext_lazy("historique des candidatures")
        ordering = ["created_at", "pk"]
        default_permissions = ("view",)
        indexes = [
            # The rows of one action in a period, with their candidacy, from the index
            # alone: the cohorts' dashboard reads the recevabilités of a quarter this way
            # (the index on the moment alone reads every row of the period).
            models.Index(
                fields=["transition", "created_at", "candidacy"], name="vae_transition_action_time"
            ),
        ]

    def __str__(self):
        return f"{self.candidacy_id} {self.source_state} → {self.target_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("Le journal des transitions ne se modifie pas."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Le journal des transitions ne s'efface pas."))


class AcquiredBloc(models.Model):
    """A bloc a person has validated for good, by a jury decision.

    Kept by bloc code, not by référentiel row: a bloc validated under one version stays
    acquired when the candidate comes back under the next version with the same code.
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acquired_blocs"
    )
    certification_code = models.CharField(gettext_lazy("certification"), max_length=50)
    bloc_code = models.CharField(gettext_lazy("bloc"), max_length=10)
    bloc_title = models.TextField(gettext_lazy("intitulé du bloc"))
    acquired_on = models.DateField(gettext_lazy("validé le"))
    # From the référentiel version's validity period at the decision; empty: for life.
    valid_until = models.DateField(gettext_lazy("valable jusqu'au"), null=True, blank=True)
    # The candidacy whose jury decided it; empty for a validation recorded by hand
    # (e.g. obtained before the platform existed).
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = gettext_lazy("bloc acquis")
        verbose_name_plural = gettext_lazy("blocs acquis")
        ordering = ["certification_code", "bloc_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "certification_code", "bloc_code"],
                name="bloc_acquired_once",
            )
        ]

    def __str__(self):
        return f"{self.bloc_code} — {self.candidate}"
