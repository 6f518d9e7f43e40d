import factory

from referentiel.models import Certification
from vae.enums import Role
from vae.models import User
from vae.roles import assign_role


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``UserFactory(role=Role.CERTIFIER)`` gives them a role group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    password = factory.django.Password("mot-de-passe-test")

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            assign_role(user, Role(role))
        return user


class CandidacyFactory(factory.django.DjangoModelFactory):
    """A candidacy on the published référentiel (load it first: the ``referentiel`` fixture).

    ``CandidacyFactory(state=CandidacyState.ELIGIBLE)`` creates it directly in a state, for
    tests; the application itself only ever moves states through transitions.
    ``livret="complete"`` (default) gives it a livret 1 ready to submit, ``"empty"`` a
    blank one, ``None`` none at all.
    """

    class Meta:
        model = "vae.Candidacy"
        skip_postgeneration_save = True

    candidate = factory.SubFactory(UserFactory, role=Role.CANDIDATE)
    certification = factory.LazyFunction(lambda: Certification.objects.current())
    certification_code = factory.LazyAttribute(lambda o: o.certification.code)

    @classmethod
    def _create(cls, model_class, *args, livret="complete", dossier="complete", **kwargs):
        from vae.enums import DOSSIER_STATES

        candidacy = super()._create(model_class, *args, **kwargs)
        if livret:
            make_livret1(candidacy, complete=(livret == "complete"))
        # Candidacies past recevabilité have a livret 2 (complete by default, so that
        # submit_dossier's guard holds); ``dossier="empty"`` or ``None`` to change that.
        if livret and dossier and candidacy.state in DOSSIER_STATES:
            make_dossier(candidacy, complete=(dossier == "complete"))
        return candidacy


def make_livret1(candidacy, *, complete=True):
    """The candidacy's livret 1: blank, or filled in with plausible French content."""
    import datetime

    from django.utils import timezone

    from livret.enums import Civility, Domain, Sector, Situation, WorkingTime
    from livret.models import EligibilityRequest

    user = candidacy.candidate
    # The account's name without the factory's sequence number: a livret's names are
    # letters only, and sworn statements are checked against them (« Alex Durand »).
    request = EligibilityRequest.objects.create(
        candidacy=candidacy,
        first_names=user.first_name,
        birth_name=user.last_name.rstrip("0123456789"),
    )
    request.candidacy.targeted_blocs.set(candidacy.certification.blocs.all())
    if not complete:
        return request
    request.civility = Civility.MADAME
    request.birth_date = datetime.date(1988, 4, 12)
    request.birth_place = "Lyon"
    request.birth_country = "France"
    request.nationality = "Française"
    request.address = "12 rue des Studios"
    request.postal_code = "93200"
    request.city = "Saint-Denis"
    request.country = "France"
    request.phone = "06 12 34 56 78"
    request.situation = Situation.INTERMITTENT
    request.no_training = True
    request.needs_accommodation = False
    request.sworn = True
    request.sworn_name = request.display_name
    request.sworn_place = "Saint-Denis"
    request.sworn_at = timezone.now()
    request.save()
    request.experiences.create(
        employer="Les Films du Lendemain",
        sector=Sector.AUDIOVISUAL,
        job_title="Administratrice de production",
        domains=[Domain.PRODUCTION_ADMINISTRATION, Domain.PAYROLL],
        start_date=datetime.date(2016, 9, 1),
        ongoing=True,
        working_time=WorkingTime.FULL_TIME,
        description="Budgets, paie des intermittents, déclarations sociales, clôture des comptes.",
    )
    return request


NARRATIVE_TEXT = (
    "Sur le long métrage « Les Heures claires » (budget 3,2 M€), j'ai établi le devis dans "
    "Movie Magic Budgeting à partir du dépouillement, négocié les conventions avec les "
    "prestataires et suivi chaque semaine l'écart entre coût estimé et coût réel dans Péplum. "
    "Résultat : un dépassement limité à 1,5 % et un coût définitif accepté par le CNC."
)


def make_dossier(candidacy, *, complete=True):
    """The candidacy's livret 2: empty, or with a narrative per activité, one PDF linked to
    every targeted compétence and the sworn statement signed."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from livret.dossier.services import dossier_for
    from livret.enums import EvidenceKind, ExtractionStatus, FileType
    from livret.models import CompetenceLink, Evidence, Narrative
    from tests.pdf_samples import text_pdf

    dossier = dossier_for(candidacy)
    if not complete:
        return dossier
    user = candidacy.candidate
    data = text_pdf(["Bulletin de paie — janvier 2024", "Attestation employeur"])
    evidence = Evidence(
        dossier=dossier,
        title="Bulletins de paie 2024",
        kind=EvidenceKind.PAYSLIP,
        original_name="bulletins.pdf",
        content_type=FileType.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=2,
        extraction_status=ExtractionStatus.READY,
        uploaded_by=user,
    )
    evidence.file.save("bulletins.pdf", ContentFile(data), save=False)
    evidence.save()
    for bloc in candidacy.referentiel_tree():
        for activity in bloc.activities.all():
            Narrative.objects.create(
                dossier=dossier, activity=activity, text=NARRATIVE_TEXT, version=1, updated_by=user
            )
            CompetenceLink.objects.bulk_create(
                CompetenceLink(
                    dossier=dossier,
                    competence=competence,
                    evidence=evidence,
                    justification="Le bulletin montre la paie que j'ai établie.",
                )
                for competence in activity.competences.all()
            )
    dossier.sworn_name = user.get_full_name()
    dossier.sworn_place = "Paris"
    dossier.sworn_at = timezone.now()
    dossier.save()
    return dossier


class EvaluatorFactory(UserFactory):
    """A user with the evaluator role and a profile for one seat category."""

    first_name = "Évaluateur"

    @classmethod
    def _create(cls, model_class, *args, category="external_professional", **kwargs):
        from review.models import EvaluatorProfile

        kwargs.setdefault("role", Role.EVALUATOR)
        user = super()._create(model_class, *args, **kwargs)
        EvaluatorProfile.objects.create(user=user, category=category)
        return user


PANEL = ["external_professional", "external_professional", "training_body", "certifier"]


def make_panel(candidacy, *, declared=True, by=None):
    """The four evaluators of the référentiel's composition, assigned (and declared)."""
    from review.enums import AssignmentStatus
    from review.models import Assignment

    by = by or UserFactory(role=Role.CERTIFIER)
    assignments = []
    for category in PANEL:
        assignment = Assignment.objects.create(
            candidacy=candidacy,
            evaluator=EvaluatorFactory(category=category),
            category=category,
            assigned_by=by,
        )
        if declared:
            assignment.status = AssignmentStatus.ACTIVE
            assignment.declared_at = assignment.assigned_at
            assignment.save()
        assignments.append(assignment)
    return assignments


def make_grids(candidacy, assignments, *, rating="acquis", submit=True):
    """Every evaluator rates every targeted compétence."""
    from django.utils import timezone

    from review.models import CompetenceRating

    competences = candidacy.targeted_competences()
    for assignment in assignments:
        CompetenceRating.objects.bulk_create(
            CompetenceRating(
                assignment=assignment,
                competence=competence,
                rating=rating,
                justification="Les pièces montrent la compétence exercée en autonomie.",
            )
            for competence in competences
        )
        if submit:
            # update(), not save(): the caller's assignment objects may be stale.
            assignment.grid_submitted_at = timezone.now()
            type(assignment).objects.filter(pk=assignment.pk).update(
                grid_submitted_at=assignment.grid_submitted_at
            )


def make_consolidation(candidacy, *, rating="acquis", by=None):
    """A consolidated rating for every targeted compétence."""
    from review.models import ConsolidatedRating

    by = by or UserFactory(role=Role.EVALUATOR)
    ConsolidatedRating.objects.bulk_create(
        ConsolidatedRating(
            candidacy=candidacy,
            competence=competence,
            rating=rating,
            justification="Consolidé après lecture des quatre grilles.",
            decided_by=by,
        )
        for competence in candidacy.targeted_competences()
    )
