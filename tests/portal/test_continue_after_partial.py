"""After a partial validation, the candidate continues for the blocs still missing."""

import pytest
from django.urls import reverse

from tests.accounts import log_in
from tests.jury.deliberation_support import decide, heard
from vae.models import Candidacy

pytestmark = pytest.mark.django_db

BUTTON = "Poursuivre pour les blocs restants"


def test_a_partial_validation_offers_to_continue_for_the_missing_blocs(client, referentiel):
    slot = heard()
    decide(slot, against=("BC2",))
    candidacy = slot.candidacy
    log_in(client, candidacy.candidate)
    page = client.get(reverse("candidacy:detail", args=[candidacy.pk])).content.decode()
    assert BUTTON in page
    response = client.post(reverse("candidacy:start"))
    follow_up = Candidacy.objects.exclude(pk=candidacy.pk).get(candidate=candidacy.candidate)
    assert response["Location"] == reverse("candidacy:detail", args=[follow_up.pk])
    assert [bloc.code for bloc in follow_up.targeted_blocs.all()] == ["BC2"]
    # One candidacy open at a time: the offer is gone.
    page = client.get(reverse("candidacy:detail", args=[candidacy.pk])).content.decode()
    assert BUTTON not in page


def test_no_offer_after_a_validation_totale(client, referentiel):
    slot = heard()
    decide(slot)
    candidacy = slot.candidacy
    log_in(client, candidacy.candidate)
    page = client.get(reverse("candidacy:detail", args=[candidacy.pk])).content.decode()
    assert "validation totale" in page and BUTTON not in page
