"""Blocs already acquired for good: shown with their date, disabled, refused if posted."""

import datetime
import re

import pytest

from tests.livret.helpers import page, section_url, snapshot
from vae.models import AcquiredBloc

pytestmark = pytest.mark.django_db


@pytest.fixture
def acquired(draft):
    AcquiredBloc.objects.create(
        candidate=draft.candidate,
        certification_code=draft.certification_code,
        bloc_code="BC1",
        bloc_title="Préparer les éléments comptables et sociaux en phase de préproduction",
        acquired_on=datetime.date(2024, 3, 5),
    )
    return draft


def bloc(candidacy, code):
    return candidacy.certification.blocs.get(code=code)


def test_acquired_bloc_is_shown_disabled_with_its_date(acquired, owner_client):
    text = page(owner_client(acquired).get(section_url(acquired, "blocs")))
    bc1, bc2 = bloc(acquired, "BC1"), bloc(acquired, "BC2")
    bc1_input = re.search(rf'<input type="checkbox" name="blocs" value="{bc1.pk}"[^>]*>', text)
    assert bc1_input and "disabled" in bc1_input.group(0)
    assert "checked" not in bc1_input.group(0)
    assert "acquis le 5 mars 2024" in text
    bc2_input = re.search(rf'<input type="checkbox" name="blocs" value="{bc2.pk}"[^>]*>', text)
    assert bc2_input and "disabled" not in bc2_input.group(0)
    assert "checked" in bc2_input.group(0)


def test_acquired_bloc_is_refused_if_posted(acquired, owner_client):
    before = snapshot(acquired)
    response = owner_client(acquired).post(
        section_url(acquired, "blocs"),
        {"blocs": [bloc(acquired, "BC1").pk, bloc(acquired, "BC2").pk]},
    )
    assert response.status_code == 200
    text = page(response)
    assert (
        "Vous avez déjà validé le bloc BC1 le 5 mars 2024 : il reste acquis et ne peut pas "
        "être visé de nouveau." in text
    )
    assert snapshot(acquired) == before


def test_remaining_blocs_can_be_targeted(acquired, owner_client):
    response = owner_client(acquired).post(
        section_url(acquired, "blocs"), {"blocs": [bloc(acquired, "BC3").pk]}
    )
    assert response.status_code == 302
    request = acquired.eligibility_request
    assert list(request.candidacy.targeted_blocs.values_list("code", flat=True)) == ["BC3"]
    request.refresh_from_db()
    assert request.blocs_saved_at is not None


def test_acquired_elsewhere_does_not_count(draft, owner_client):
    """A bloc acquired by another person, or for another certification, stays open."""
    from tests.factories import UserFactory

    AcquiredBloc.objects.create(
        candidate=UserFactory(),
        certification_code=draft.certification_code,
        bloc_code="BC1",
        bloc_title="BC1",
        acquired_on=datetime.date(2024, 3, 5),
    )
    AcquiredBloc.objects.create(
        candidate=draft.candidate,
        certification_code="autre-certification",
        bloc_code="BC1",
        bloc_title="BC1",
        acquired_on=datetime.date(2024, 3, 5),
    )
    response = owner_client(draft).post(
        section_url(draft, "blocs"), {"blocs": [bloc(draft, "BC1").pk]}
    )
    assert response.status_code == 302
    assert "acquis le" not in page(owner_client(draft).get(section_url(draft, "blocs")))
