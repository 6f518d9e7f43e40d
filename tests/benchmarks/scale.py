"""A database at the scale of issue 11 for the read benchmarks: 5,000 candidacies in every
state, 300 submitted dossiers with about 98,000 evidence pages, panels, grids and ratings
for a few hundred dossiers. Not a test module (the benchmarks import it).

How: one candidacy per state is walked through the real workflow by the factories'
traits (``CandidacyFactory(reviewed=True)``…), so each state holds the rows the
application leaves on the way (log rows, livret 1, livret 2 and its submission, panel,
declarations, grids, consolidation). Each of these templates is then cloned in bulk
(``bulk_create``, one query per table and batch): every row hanging from the template's
candidacy is copied with its foreign keys remapped to the copies, a new candidate per
clone. The evaluators' ratings are drawn at random (fixed seed) so that the agreement
report has something to measure, and each submitted dossier gets one long piece with its
extracted pages. The same seed gives the same database.
"""

import hashlib
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from livret.dossier.models import (
    CompetenceLink,
    Dossier,
    DossierSubmission,
    Evidence,
    EvidencePage,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from livret.eligibility.models import EligibilityRequest, Experience, Training
from referentiel.enums import Rating
from review.models import (
    Assignment,
    CandidateLinkReview,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
    ReviewEvent,
)
from tests.factories import CandidacyFactory, UserFactory
from vae import services
from vae.enums import CandidacyState, Role, Transition
from vae.models import Candidacy, CandidacyTransition, User

SEED = 20261201
LONG_PIECE = "Bulletins de paie 2019-2024"
BATCH = 2000

# Each template state, and how many candidacies of it each data set holds (the template
# included). The submitted dossiers (dossier_submitted and after) are 10 and 300.
STATES = (
    "draft",
    "eligibility_submitted",
    "ineligible",
    "eligible",
    "withdrawn",
    "dossier_submitted",
    "under_review",
    "grids_submitted",
    "reviewed",
)
SUBMITTED = ("dossier_submitted", "under_review", "grids_submitted", "reviewed")


@dataclass(frozen=True)
class Scale:
    name: str
    counts: dict  # template → candidacies
    pages_per_dossier: int  # pages of the long piece added to each submitted dossier

    @property
    def candidacies(self) -> int:
        return sum(self.counts.values())


SMALL = Scale(
    "petite",
    dict(
        zip(STATES, (18, 12, 7, 17, 6, 2, 2, 3, 3), strict=True),
    ),
    325,
)
LARGE = Scale(
    "grande",
    dict(zip(STATES, (1500, 900, 500, 1300, 500, 40, 30, 100, 130), strict=True)),
    325,
)

# Each model hanging from a candidacy, parents first, with the path to it.
CLONED = (
    (Candidacy, "pk"),
    (Candidacy.targeted_blocs.through, "candidacy"),
    (CandidacyTransition, "candidacy"),
    (EligibilityRequest, "candidacy"),
    (Experience, "request__candidacy"),
    (Training, "request__candidacy"),
    (Dossier, "candidacy"),
    (DossierSubmission, "dossier__candidacy"),
    (Narrative, "dossier__candidacy"),
    (NarrativeRevision, "narrative__dossier__candidacy"),
    (Evidence, "dossier__candidacy"),
    (EvidencePage, "evidence__dossier__candidacy"),
    (CompetenceLink, "dossier__candidacy"),
    (NoEvidenceReason, "dossier__candidacy"),
    (Assignment, "candidacy"),
    (ReviewEvent, "candidacy"),
    (CriterionLink, "assignment__candidacy"),
    (CriterionLink.criteria.through, "criterionlink__assignment__candidacy"),
    (CandidateLinkReview, "assignment__candidacy"),
    (CompetenceRating, "assignment__candidacy"),
    (ConsolidatedRating, "candidacy"),
)

SENTENCES = (
    "Établissement des bulletins de paie des intermittents du spectacle pour le tournage.",
    "Déclarations sociales nominatives transmises à l'URSSAF et aux caisses des congés.",
    "Suivi du plan de trésorerie et des appels de fonds auprès des coproducteurs.",
    "Négociation des contrats des techniciens selon la convention collective.",
    "Préparation du devis de production et du plan de financement du long métrage.",
    "Rapprochement bancaire mensuel et clôture des comptes de la société de production.",
    "Dossier de demande d'aide au CNC, annexes budgétaires et attestations.",
    "Gestion des assurances de tournage et des déclarations de sinistre.",
    "Coordination avec l'expert-comptable pour le compte de production définitif.",
    "Calcul des droits d'auteur et des rémunérations des artistes interprètes.",
)


def page_text(rng: random.Random, number: int) -> str:
    picked = rng.sample(SENTENCES, 3)
    return f"Page {number}. " + " ".join(picked)


class Templates:
    """One candidacy per state, walked through the real workflow."""

    def __init__(self):
        self.certifier = UserFactory(role=Role.CERTIFIER)
        self.by_state = {}
        for state in STATES:
            self.by_state[state] = self._walk(state)

    def _walk(self, state):
        if state == "draft":
            return CandidacyFactory()
        if state == "withdrawn":
            candidacy = CandidacyFactory(eligibility_submitted=True, certifier=self.certifier)
            services.run_transition(
                candidacy=candidacy, name=Transition.WITHDRAW, by=candidacy.candidate
            )
            return candidacy
        return CandidacyFactory(**{state: True}, certifier=self.certifier)


@dataclass
class DataSet:
    scale: Scale
    templates: Templates
    candidacies: int
    evaluator: User  # an evaluator sitting on many panels (the workspace)
    certifier: User


def _values(row, model):
    values = {}
    for field in model._meta.concrete_fields:
        if not field.primary_key:
            value = getattr(row, field.attname)
            # A stored file is copied by its name: the copies share the template's file.
            values[field.attname] = value.name if isinstance(field, models.FileField) else value
    return values


def _clone(template: Candidacy, copies: int, tag: str, rng: random.Random) -> None:
    """``copies`` copies of ``template`` and of every row hanging from it."""
    if copies <= 0:
        return
    candidate = template.candidate
    users = User.objects.bulk_create(
        (
            User(
                email=f"{tag}-{index}@exemple.fr",
                password=candidate.password,
                first_name=rng.choice(("Camille", "Sacha", "Dominique", "Claude", "Alix")),
                last_name=f"Martin{tag.replace('-', '')}{index}",
            )
            for index in range(copies)
        ),
        batch_size=BATCH,
    )
    group = Group.objects.get(name=Role.CANDIDATE)
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=user.pk, group_id=group.pk) for user in users),
        batch_size=BATCH,
    )
    # Per copy: model → {template pk: copy pk}
    maps = [{User: {candidate.pk: user.pk}} for user in users]
    now = timezone.now()
    for model, path in CLONED:
        rows = model._base_manager.filter(**{path: template.pk}).order_by("pk")
        # The long piece a smaller data set added to the template is not copied.
        if model is Evidence:
            rows = rows.exclude(title=LONG_PIECE)
        elif model is EvidencePage:
            rows = rows.exclude(evidence__title=LONG_PIECE)
        rows = list(rows)
        if not rows:
            continue
        relations = [
            field
            for field in model._meta.concrete_fields
            if field.is_relation
            and (field.related_model in dict(CLONED) or field.related_model is User)
        ]
        copies_of = []
        for mapping in maps:
            for row in rows:
                values = _values(row, model)
                for field in relations:
                    old = values[field.attname]
                    if old is None:
                        continue
                    # Users other than the candidate (certifier, evaluators) stay the same.
                    values[field.attname] = mapping.get(field.related_model, {}).get(old, old)
                if model is Candidacy:
                    values["state_changed_at"] = now - timezone.timedelta(
                        minutes=rng.randrange(2 * 365 * 24 * 60)
                    )
                if model is CompetenceRating:
                    values["rating"] = rng.choices(
                        (Rating.ACQUIRED, Rating.PARTIAL, Rating.NOT_ACQUIRED), (75, 18, 7)
                    )[0]
                copies_of.append(model(**values))
        created = model._base_manager.bulk_create(copies_of, batch_size=BATCH)
        if model._meta.auto_created:
            continue
        for index, mapping in enumerate(maps):
            chunk = created[index * len(rows) : (index + 1) * len(rows)]
            mapping[model] = {row.pk: copy.pk for row, copy in zip(rows, chunk, strict=True)}


def _long_pieces(candidacy_ids, pages: int, rng: random.Random) -> None:
    """One long piece with ``pages`` extracted pages in each dossier of ``candidacy_ids``."""
    dossiers = list(Dossier.objects.filter(candidacy_id__in=candidacy_ids))
    firsts = {}
    for evidence in Evidence.objects.filter(dossier__in=dossiers).order_by("pk"):
        firsts.setdefault(evidence.dossier_id, evidence)
    pieces = []
    for dossier in dossiers:
        values = _values(firsts[dossier.pk], Evidence)
        values.update(
            title=LONG_PIECE,
            page_count=pages,
            text_pages=pages,
            replaces_id=None,
            # Another file: one piece per file in a dossier.
            sha256=hashlib.sha256(f"long-{dossier.pk}".encode()).hexdigest(),
        )
        pieces.append(Evidence(**values))
    pieces = Evidence.objects.bulk_create(pieces, batch_size=BATCH)
    batch = []
    for piece in pieces:
        for number in range(1, pages + 1):
            batch.append(
                EvidencePage(evidence_id=piece.pk, number=number, text=page_text(rng, number))
            )
            if len(batch) >= BATCH * 5:
                EvidencePage.objects.bulk_create(batch, batch_size=BATCH)
                batch = []
    EvidencePage.objects.bulk_create(batch, batch_size=BATCH)


def build(scale: Scale, *, grow: DataSet | None = None) -> DataSet:
    """The data set of ``scale``; with ``grow`` (a smaller data set already in the
    database), only what it lacks is added, on the same templates."""
    rng = random.Random(f"{SEED}-{scale.name}")
    templates = grow.templates if grow else Templates()
    have = grow.scale.counts if grow else dict.fromkeys(STATES, 1)
    added_submitted = []
    for state in STATES:
        template = templates.by_state[state]
        copies = scale.counts[state] - have[state]
        before = Candidacy.objects.order_by("-pk").values_list("pk", flat=True).first()
        _clone(template, copies, f"{scale.name}-{state}", rng)
        if state in SUBMITTED:
            new = list(Candidacy.objects.filter(pk__gt=before).values_list("pk", flat=True))
            if not grow:
                new.append(template.pk)
            added_submitted += new
    _long_pieces(added_submitted, scale.pages_per_dossier, rng)
    evaluator = (
        Assignment.objects.filter(candidacy=templates.by_state["reviewed"])
        .order_by("pk")
        .first()
        .evaluator
    )
    return DataSet(
        scale=scale,
        templates=templates,
        candidacies=Candidacy.objects.count(),
        evaluator=evaluator,
        certifier=templates.certifier,
    )


def check_states(data: DataSet) -> dict:
    """Candidacies per state, to print next to the figures."""
    counts = {}
    for state in CandidacyState:
        counts[state.value] = Candidacy.objects.filter(state=state).count()
    return {state: n for state, n in counts.items() if n}
