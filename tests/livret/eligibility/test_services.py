"""The write services of livret 1, called directly: permission, atomicity, signature."""

import datetime

import pytest

from livret.eligibility import services
from tests.factories import CandidacyFactory
from tests.livret.helpers import make_user, snapshot
from vae.enums import CandidacyState
from vae.models import AcquiredBloc
from vae.workflow import TransitionForbidden, TransitionRefused

pytestmark = pytest.mark.django_db

EXPERIENCE = {
    "employer": "Studio Sud",
    "sector": "autre",
    "job_title": "Comptable",
    "domains": ["comptabilite"],
    "duration_months": 24,
    "working_time": "plein",
    "description": "Tenue de la comptabilité générale et des déclarations de TVA.",
}


def writes(candidacy):
    """One call of every write service on ``candidacy``'s livret, by name."""
    request = candidacy.eligibility_request
    experience = request.experiences.first()
    blocs = list(candidacy.certification.blocs.all()[:1])
    return {
        "identity": lambda by: services.save_identity(
            eligibility_request=request, by=by, data={"birth_name": "Autre"}
        ),
        "situation": lambda by: services.save_situation(
            eligibility_request=request, by=by, data={"situation": "cdd"}
        ),
        "accommodations": lambda by: services.save_accommodations(
            eligibility_request=request, by=by, data={"needs_accommodation": True}
        ),
        "blocs": lambda by: services.save_blocs(eligibility_request=request, by=by, blocs=blocs),
        "no_training": lambda by: services.set_no_training(
            eligibility_request=request, by=by, no_training=False
        ),
        "add_experience": lambda by: services.add_experience(
            eligibility_request=request, by=by, data=EXPERIENCE
        ),
        "update_experience": lambda by: services.update_experience(
            experience=experience, by=by, data={"employer": "Autre"}
        ),
        "delete_experience": lambda by: services.delete_experience(experience=experience, by=by),
        "add_training": lambda by: services.add_training(
            eligibility_request=request,
            by=by,
            data={"title": "BTS", "year": 2001, "outcome": "obtenu"},
        ),
        "sign": lambda by: services.sign_declaration(
            eligibility_request=request, by=by, name="Alex Durand", place="Lyon"
        ),
    }


WRITE_NAMES = [
    "identity",
    "situation",
    "accommodations",
    "blocs",
    "no_training",
    "add_experience",
    "update_experience",
    "delete_experience",
    "add_training",
    "sign",
]


@pytest.mark.parametrize("write", WRITE_NAMES)
@pytest.mark.parametrize("state", [CandidacyState.ELIGIBILITY_SUBMITTED, CandidacyState.ELIGIBLE])
def test_no_write_once_submitted(referentiel, write, state):
    candidacy = CandidacyFactory(state=state)
    before = snapshot(candidacy)
    with pytest.raises(TransitionForbidden, match="ne peut plus être modifié"):
        writes(candidacy)[write](candidacy.candidate)
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("write", WRITE_NAMES)
@pytest.mark.parametrize("kind", ["candidate", "certifier"])
def test_no_write_by_someone_else(referentiel, write, kind):
    candidacy = CandidacyFactory()
    before = snapshot(candidacy)
    with pytest.raises(TransitionForbidden):
        writes(candidacy)[write](make_user(kind))
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("write", [name for name in WRITE_NAMES if name != "sign"])
def test_every_change_but_signing_unsigns(referentiel, write):
    candidacy = CandidacyFactory()
    outcome = writes(candidacy)[write](candidacy.candidate)
    request = candidacy.eligibility_request
    request.refresh_from_db()
    assert outcome.changed and outcome.unsigned
    assert not request.sworn and request.sworn_at is None
    # The signatory's name stays, to prefill the next signature.
    assert request.sworn_name


def test_saving_identical_values_keeps_the_signature_but_stamps_the_section(referentiel):
    candidacy = CandidacyFactory()
    request = candidacy.eligibility_request
    outcome = services.save_situation(
        eligibility_request=request, by=candidacy.candidate, data={"situation": request.situation}
    )
    request.refresh_from_db()
    assert outcome == services.Saved(changed=False, unsigned=False)
    assert request.sworn and request.situation_saved_at is not None


def test_blocs_service_refuses_acquired_and_foreign_blocs(referentiel):
    from referentiel.services import create_draft_from

    candidacy = CandidacyFactory()
    request = candidacy.eligibility_request
    AcquiredBloc.objects.create(
        candidate=candidacy.candidate,
        certification_code=candidacy.certification_code,
        bloc_code="BC2",
        bloc_title="BC2",
        acquired_on=datetime.date(2023, 6, 1),
    )
    before = snapshot(candidacy)
    own = candidacy.certification.blocs
    with pytest.raises(TransitionRefused, match="déjà validé ces blocs : BC2"):
        services.save_blocs(
            eligibility_request=request, by=candidacy.candidate, blocs=own.filter(code="BC2")
        )
    foreign = create_draft_from(candidacy.certification).blocs.filter(code="BC1")
    with pytest.raises(TransitionRefused, match="n'appartiennent pas au référentiel"):
        services.save_blocs(eligibility_request=request, by=candidacy.candidate, blocs=foreign)
    with pytest.raises(TransitionRefused, match="au moins un bloc"):
        services.save_blocs(eligibility_request=request, by=candidacy.candidate, blocs=[])
    assert snapshot(candidacy) == before


def test_sign_refused_while_incomplete_says_which_sections(referentiel):
    candidacy = CandidacyFactory(livret="empty")
    before = snapshot(candidacy)
    with pytest.raises(TransitionRefused) as refusal:
        services.sign_declaration(
            eligibility_request=candidacy.eligibility_request,
            by=candidacy.candidate,
            name="Alex Durand",
            place="Lyon",
        )
    assert "Identité" in refusal.value.message
    assert "Aménagements (situation de handicap)" in refusal.value.message
    assert "Blocs de compétences visés" not in refusal.value.message  # complete
    assert "Déclaration sur l'honneur" not in refusal.value.message
    assert any(p.startswith("Identité : À renseigner") for p in refusal.value.problems)
    assert snapshot(candidacy) == before


def test_add_training_answers_the_no_training_question(referentiel):
    candidacy = CandidacyFactory()
    request = candidacy.eligibility_request
    assert request.no_training
    services.add_training(
        eligibility_request=request,
        by=candidacy.candidate,
        data={"title": "BTS", "year": 2001, "outcome": "obtenu"},
    )
    request.refresh_from_db()
    assert request.no_training is False
    with pytest.raises(TransitionRefused, match="supprimez-les"):
        services.set_no_training(
            eligibility_request=request, by=candidacy.candidate, no_training=True
        )
