"""Every demo candidate is one person: the account's name, its e-mail address and the
livret 1 identity say the same name, and the sworn statements are signed with it."""

import pytest

from livret.models import Dossier, EligibilityRequest
from livret.rules import name_tokens
from vae.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_requests(demo):
    requests = list(
        EligibilityRequest.objects.select_related("candidacy__candidate").order_by("pk")
    )
    assert len(requests) >= 7
    return requests


def test_each_livret1_identity_is_the_accounts_name(demo_requests):
    for request in demo_requests:
        user = request.candidacy.candidate
        assert user.groups.filter(name=Role.CANDIDATE.value).exists()
        # The name shown for the candidate (first name, then usage or birth name) is the
        # account's, so the back office and the livret never name two people.
        assert user.first_name in request.first_names.split(), user.email
        assert (request.usage_name or request.birth_name) == user.last_name, user.email
        local = user.email.split("@")[0]
        if "." in local:  # « prenom.nom@… » addresses name the same person
            assert name_tokens(local) == name_tokens(user.get_full_name()), user.email


def test_each_demo_signature_is_the_candidates(demo_requests):
    for request in demo_requests:
        assert not request.sworn_name_mismatch, (
            request.candidacy.candidate.email,
            request.sworn_name,
        )
    for dossier in Dossier.objects.exclude(sworn_name=""):
        assert not dossier.sworn_name_mismatch, (
            dossier.candidacy.candidate.email,
            dossier.sworn_name,
        )
