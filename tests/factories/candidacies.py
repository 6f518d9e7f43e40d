"""``CandidacyFactory``: a candidacy, put in a state, or walked there like the real thing.

Two ways to get a candidacy in a state:

- Traits: ``CandidacyFactory(eligible=True)``, ``(dossier_submitted=True)``,
  ``(under_review=True)``, ``(reviewed=True)``… walk the candidacy through the real
  transitions (``vae.services.run_transition``), acted by the people the workflow expects
  (the candidate submits, a certifier decides, the evaluators declare, rate and submit
  their grids through ``review.services``). The candidacy then holds everything the
  application leaves on the way: one log row per transition, ``eligible_until``, the
  frozen submission of livret 2, the panel's review events. Use them for a candidacy
  « as it would be ».
- ``CandidacyFactory(state=…)`` creates the row directly in that state, without history
  or side effects: for tests of one state alone (a transition's source, a page in a state)
  and for states the traits do not reach.

``livret="complete"`` (default) gives the candidacy a livret 1 ready to submit,
``"empty"`` a blank one, ``None`` none; it targets every bloc, or those of ``blocs=``
(codes, e.g. ``["BC3"]``: the candidate's choice in livret 1). From recevabilité on it has
a livret 2, complete by default (so that ``submit_dossier``'s guard holds);
``dossier="empty"`` or ``None`` to change that. ``certifier=`` is who decides in a walk (a
new certifier by default), ``rating=`` the grids' and consolidation's rating (``"acquis"``).
"""

import factory

from referentiel.enums import Rating
from referentiel.models import Certification
from tests.factories import review
from tests.factories.livret import make_dossier, make_livret1
from tests.factories.vae import UserFactory
from vae import services
from vae.enums import DOSSIER_STATES, CandidacyState, Role, Transition
from vae.models import Candidacy

# The comment of the transitions that need one, when a walk takes them.
REJECTION = "Les prérequis d'expérience ne sont pas remplis."


def _run(name):
    """A step that applies transition ``name``, as the candidate or as the certifier."""

    def step(candidacy, walk):
        by = candidacy.candidate if name in CANDIDATE_STEPS else walk.certifier()
        comment = REJECTION if name == Transition.REJECT_ELIGIBILITY else ""
        services.run_transition(candidacy=candidacy, name=name, by=by, comment=comment)

    return step


CANDIDATE_STEPS = {Transition.SUBMIT_ELIGIBILITY, Transition.SUBMIT_DOSSIER}


def _write_dossier(candidacy, walk):
    # The candidate writes livret 2 once the request is recevable.
    if walk.dossier:
        make_dossier(candidacy, complete=(walk.dossier == "complete"))


def _form_panel(candidacy, walk):
    review.form_panel(candidacy, by=walk.certifier())


def _submit_grids(candidacy, walk):
    review.submit_grids(candidacy, rating=walk.rating)


def _consolidate(candidacy, walk):
    review.consolidate(candidacy, rating=walk.rating)


# Every milestone a trait can stop at, in the order of the workflow, with its steps.
# A trait runs the steps of its milestone and of every milestone before it.
MILESTONES = {
    "eligibility_submitted": [_run(Transition.SUBMIT_ELIGIBILITY)],
    "eligible": [_run(Transition.ACCEPT_ELIGIBILITY), _write_dossier],
    "dossier_submitted": [_run(Transition.SUBMIT_DOSSIER)],
    # Still « dossier_submitted », with the full panel declared: start_review may run.
    "panel_ready": [_form_panel],
    "under_review": [_run(Transition.START_REVIEW)],
    # Still « under_review », every grid submitted.
    "grids_submitted": [_submit_grids],
    # Still « under_review », every compétence consolidated: complete_review may run.
    "review_consolidated": [_consolidate],
    "reviewed": [_run(Transition.COMPLETE_REVIEW)],
}
# A branch off the main road: refused at recevabilité.
BRANCHES = {
    "ineligible": ["eligibility_submitted", _run(Transition.REJECT_ELIGIBILITY)],
}


class Walk:
    """What a walk needs besides the candidacy: who decides, what the dossier and the
    ratings are."""

    def __init__(self, *, certifier, dossier, rating):
        self._certifier = certifier
        self.dossier = dossier
        self.rating = rating

    def certifier(self):
        if self._certifier is None:
            self._certifier = UserFactory(role=Role.CERTIFIER)
        return self._certifier

    def steps_to(self, milestone):
        if milestone in BRANCHES:
            before, *steps = BRANCHES[milestone]
            return [*self.steps_to(before), *steps]
        names = list(MILESTONES)
        return [step for name in names[: names.index(milestone) + 1] for step in MILESTONES[name]]


class CandidacyFactory(factory.django.DjangoModelFactory):
    """A candidacy on the published référentiel (load it first: the ``referentiel`` fixture).

    See the module's docstring: traits walk the real workflow, ``state=`` sets the state.
    """

    class Meta:
        model = Candidacy
        skip_postgeneration_save = True

    class Params:
        eligibility_submitted = factory.Trait(walk_to="eligibility_submitted")
        ineligible = factory.Trait(walk_to="ineligible")
        eligible = factory.Trait(walk_to="eligible")
        dossier_submitted = factory.Trait(walk_to="dossier_submitted")
        panel_ready = factory.Trait(walk_to="panel_ready")
        under_review = factory.Trait(walk_to="under_review")
        grids_submitted = factory.Trait(walk_to="grids_submitted")
        review_consolidated = factory.Trait(walk_to="review_consolidated")
        reviewed = factory.Trait(walk_to="reviewed")

    candidate = factory.SubFactory(UserFactory, role=Role.CANDIDATE)
    certification = factory.LazyFunction(lambda: Certification.objects.current())
    certification_code = factory.LazyAttribute(lambda o: o.certification.code)
    # Not fields: read and removed by ``_create``.
    walk_to = None
    certifier = None
    rating = Rating.ACQUIRED
    livret = "complete"
    dossier = "complete"
    blocs = None

    @classmethod
    def _create(
        cls, model_class, *args, walk_to, certifier, rating, livret, dossier, blocs, **kwargs
    ):
        if walk_to and kwargs.get("state", CandidacyState.DRAFT) != CandidacyState.DRAFT:
            raise TypeError("CandidacyFactory: a trait walks from draft; drop state=.")
        candidacy = super()._create(model_class, *args, **kwargs)
        if livret:
            make_livret1(candidacy, complete=(livret == "complete"))
        if blocs is not None:
            candidacy.targeted_blocs.set(candidacy.certification.blocs.filter(code__in=blocs))
        if walk_to:
            walk = Walk(certifier=certifier, dossier=livret and dossier, rating=rating)
            for step in walk.steps_to(walk_to):
                step(candidacy, walk)
        # Candidacies put past recevabilité have a livret 2.
        elif livret and dossier and candidacy.state in DOSSIER_STATES:
            make_dossier(candidacy, complete=(dossier == "complete"))
        return candidacy
