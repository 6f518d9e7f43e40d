"""The sworn statements of livret 1 and livret 2 are signed with the candidate's own name:
prefilled from the identity, a stranger's name refused (by the form and by the service),
and an old signature that does not match is flagged in the back office."""

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.dossier.services import sign as sign_dossier
from livret.dossier.services import unsign
from livret.eligibility import services
from livret.models import Dossier, EligibilityRequest
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.livret.helpers import page, section_url, url
from vae.enums import CandidacyState, Role
from vae.workflow import TransitionRefused

pytestmark = pytest.mark.django_db

STRANGER = "Lucie Garnier"
REFUSAL = "ne correspond pas à votre identité (Alex Durand)"


def unsigned(candidacy, **identity) -> EligibilityRequest:
    request = EligibilityRequest.objects.get(candidacy=candidacy)
    for name, value in identity.items():
        setattr(request, name, value)
    request.clear_sworn_statement()
    request.save()
    return request


# -- livret 1 -------------------------------------------------------------------------------


def test_livret1_statement_is_prefilled_with_the_identity(complete_draft, owner_client):
    request = unsigned(complete_draft, sworn_name=STRANGER)
    text = page(owner_client(complete_draft).get(section_url(complete_draft, "declaration")))
    # The stored stranger's name is not offered again: the identity is.
    assert 'name="sworn_name" value="Alex Durand"' in text
    assert STRANGER not in text.split('name="sworn_name"')[1][:80]
    assert "tels que vous les avez déclarés dans la section Identité" in text
    assert request.display_name == "Alex Durand"


def test_livret1_statement_refuses_a_strangers_name(complete_draft, owner_client):
    unsigned(complete_draft)
    response = owner_client(complete_draft).post(
        section_url(complete_draft, "declaration"),
        {"certify": "on", "sworn_name": STRANGER, "sworn_place": "Paris"},
    )
    assert response.status_code == 200
    text = page(response)
    assert REFUSAL in text
    assert f'name="sworn_name" value="{STRANGER}"' in text  # kept, to be corrected
    request = EligibilityRequest.objects.get(candidacy=complete_draft)
    assert not request.sworn


@pytest.mark.parametrize("signed", ["DURAND Alex", "alex durand", "Alex Dupont-Durand"])
def test_livret1_statement_accepts_the_candidates_names(complete_draft, owner_client, signed):
    unsigned(complete_draft, usage_name="Dupont-Durand")
    response = owner_client(complete_draft).post(
        section_url(complete_draft, "declaration"),
        {"certify": "on", "sworn_name": signed, "sworn_place": "Paris"},
    )
    assert response.status_code == 302, page(response)
    request = EligibilityRequest.objects.get(candidacy=complete_draft)
    assert request.sworn and request.sworn_name == signed


def test_livret1_service_refuses_a_strangers_name(complete_draft):
    request = unsigned(complete_draft)
    with pytest.raises(TransitionRefused, match="ne correspond pas"):
        services.sign_declaration(
            eligibility_request=request, by=complete_draft.candidate, name=STRANGER, place="Lyon"
        )
    request.refresh_from_db()
    assert not request.sworn


# -- livret 2 -------------------------------------------------------------------------------


@pytest.fixture
def eligible(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    unsign(candidacy.dossier)
    return candidacy


def test_livret2_statement_is_prefilled_and_refuses_a_strangers_name(client, eligible):
    Dossier.objects.filter(pk=eligible.dossier.pk).update(sworn_name=STRANGER)
    log_in(client, eligible.candidate)
    target = url("livret:dossier_sign", eligible)
    assert 'name="sworn_name" value="Alex Durand"' in page(client.get(target))
    response = client.post(
        target, {"certify": "on", "sworn_name": STRANGER, "sworn_place": "Montreuil"}
    )
    assert response.status_code == 200
    assert REFUSAL in page(response)
    assert not Dossier.objects.get(pk=eligible.dossier.pk).is_signed
    response = client.post(
        target, {"certify": "on", "sworn_name": "durand alex", "sworn_place": "Montreuil"}
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=eligible.dossier.pk).sworn_name == "durand alex"


def test_livret2_service_refuses_a_strangers_name(eligible):
    with pytest.raises(TransitionRefused, match="ne correspond pas"):
        sign_dossier(dossier=eligible.dossier, by=eligible.candidate, name=STRANGER, place="Lyon")
    assert not Dossier.objects.get(pk=eligible.dossier.pk).is_signed


# -- the back office ------------------------------------------------------------------------


def test_back_office_warns_about_old_signatures_that_do_not_match(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    EligibilityRequest.objects.filter(candidacy=candidacy).update(sworn_name=STRANGER)
    Dossier.objects.filter(candidacy=candidacy).update(
        sworn_name="Jean Inconnu", sworn_at=timezone.now()
    )
    log_in(client, UserFactory(role=Role.CERTIFIER))
    text = page(client.get(reverse("candidacy_admin:detail", args=[candidacy.pk])))
    assert f"le nom du signataire, « {STRANGER} », ne correspond pas" in text
    assert "le nom du signataire du livret 2, « Jean Inconnu », ne correspond pas" in text


def test_back_office_says_nothing_of_a_matching_signature(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    log_in(client, UserFactory(role=Role.CERTIFIER))
    text = page(client.get(reverse("candidacy_admin:detail", args=[candidacy.pk])))
    assert "Signé par" in text
    assert "ne correspond pas" not in text
