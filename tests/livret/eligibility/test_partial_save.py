"""Livret 1 sections are saved in part: the page says one can stop at any time, so a blank
or invalid answer no longer throws away the valid ones. What is valid is stored, what is
not stays in the form with its error (and is stored empty, so that the stored livret never
keeps an answer the candidate has replaced), and the section is « incomplète » until it is
corrected: the livret cannot be sent meanwhile."""

import pytest

from livret.eligibility.completeness import eligibility_problems, section_statuses
from livret.models import EligibilityRequest
from tests.livret.helpers import VALID_IDENTITY, page, section_url, url
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db


def status_of(candidacy, slug):
    request = EligibilityRequest.objects.get(candidacy=candidacy)
    return next(status for status in section_statuses(request) if status.slug == slug)


def test_identity_without_phone_keeps_everything_else(draft, owner_client):
    client = owner_client(draft)
    response = client.post(section_url(draft, "identite"), {**VALID_IDENTITY, "phone": ""})
    assert response.status_code == 200
    text = page(response)
    assert "Section enregistrée en partie : 1 champ est à corriger." in text
    assert "Indiquez votre numéro de téléphone." in text
    request = EligibilityRequest.objects.get(candidacy=draft)
    assert (request.birth_name, request.first_names, request.city) == (
        "Martin",
        "Léa Marie",
        "Paris",
    )
    assert request.birth_date.isoformat() == "1990-05-17"
    assert request.phone == ""
    assert request.identity_saved_at is not None
    status = status_of(draft, "identite")
    assert not status.complete
    assert status.problems == ["À renseigner : téléphone."]
    # The summary says so, and the livret cannot be sent.
    summary = page(client.get(url("livret:livret1", draft)))
    assert "À renseigner : téléphone." in summary
    fresh = type(draft).objects.get(pk=draft.pk)
    assert "Identité : À renseigner : téléphone." in eligibility_problems(fresh)


def test_two_invalid_fields_are_kept_in_the_form_with_their_errors(draft, owner_client):
    data = {**VALID_IDENTITY, "phone": "06 12", "postal_code": "7501", "city": "Lille"}
    response = owner_client(draft).post(section_url(draft, "identite"), data)
    text = page(response)
    assert "Section enregistrée en partie : 2 champs sont à corriger." in text
    assert "Numéro de téléphone invalide" in text
    assert "compte 5 chiffres" in text
    # What was typed is shown again, the valid answers too.
    assert 'name="phone" value="06 12"' in text
    assert 'name="postal_code" value="7501"' in text
    assert 'name="city" value="Lille"' in text
    request = EligibilityRequest.objects.get(candidacy=draft)
    assert (request.city, request.phone, request.postal_code) == ("Lille", "", "")
    assert not status_of(draft, "identite").complete


def test_a_replaced_answer_is_not_kept_behind_the_error(complete_draft, owner_client):
    """A stored phone the candidate replaced by an invalid one is not silently kept: the
    section must not look complete with a number the candidate no longer gives."""
    request = complete_draft.eligibility_request
    assert request.phone and status_of(complete_draft, "identite").complete
    data = {
        field: getattr(request, field) or "" for field in VALID_IDENTITY if field != "birth_date"
    }
    data.update(birth_date=request.birth_date.isoformat(), civility=request.civility)
    data["phone"] = "06 AB"
    response = owner_client(complete_draft).post(section_url(complete_draft, "identite"), data)
    text = page(response)
    assert "Section enregistrée en partie : 1 champ est à corriger." in text
    # The change unsigned the livret, and the page says so.
    assert "votre déclaration sur l'honneur a été annulée" in text
    request.refresh_from_db()
    assert request.phone == "" and not request.sworn
    assert not status_of(complete_draft, "identite").complete


def test_situation_other_without_details_is_saved_incomplete(draft, owner_client):
    response = owner_client(draft).post(
        section_url(draft, "situation"), {"situation": "autre", "current_job": "Régisseuse"}
    )
    text = page(response)
    assert "Section enregistrée en partie : 1 champ est à corriger." in text
    assert "Précisez votre situation." in text
    request = EligibilityRequest.objects.get(candidacy=draft)
    assert (request.situation, request.current_job) == ("autre", "Régisseuse")
    status = status_of(draft, "situation")
    assert status.problems == ["Précisez votre situation."]


def test_accommodation_yes_without_details_is_saved_incomplete(draft, owner_client):
    response = owner_client(draft).post(
        section_url(draft, "amenagements"), {"needs_accommodation": "oui"}
    )
    text = page(response)
    assert "Section enregistrée en partie : 1 champ est à corriger." in text
    request = EligibilityRequest.objects.get(candidacy=draft)
    assert request.needs_accommodation is True
    assert status_of(draft, "amenagements").problems == ["Décrivez les aménagements souhaités."]


def test_a_valid_section_still_saves_whole_and_moves_on(draft, owner_client):
    response = owner_client(draft).post(
        section_url(draft, "identite"), {**VALID_IDENTITY, "next": "1"}
    )
    assert response.status_code == 302
    assert response.url == section_url(draft, "situation")
    assert status_of(draft, "identite").complete


def test_the_sworn_statement_is_still_all_or_nothing(complete_draft, owner_client):
    request = complete_draft.eligibility_request
    request.clear_sworn_statement()
    request.save()
    response = owner_client(complete_draft).post(
        section_url(complete_draft, "declaration"),
        {"certify": "on", "sworn_name": "Alex Durand", "sworn_place": ""},
    )
    assert "La section n'a pas été enregistrée" in page(response)
    request.refresh_from_db()
    assert not request.sworn


def test_a_submitted_livret_is_not_saved_in_part_either(complete_draft, owner_client):
    type(complete_draft).objects.filter(pk=complete_draft.pk).update(
        state=CandidacyState.ELIGIBILITY_SUBMITTED
    )
    response = owner_client(complete_draft).post(
        section_url(complete_draft, "identite"), {**VALID_IDENTITY, "phone": ""}
    )
    assert response.status_code == 403
    request = EligibilityRequest.objects.get(candidacy=complete_draft)
    assert request.birth_name != "Martin" and request.phone


# -- a field required with one answer (aménagements, « autre situation ») -------------------


def label_of(text, field_id):
    start = text.index(f'<label class="field__label" for="{field_id}">')
    return text[start : text.index("</label>", start)]


def test_accommodation_details_say_when_they_are_required(draft, owner_client):
    client = owner_client(draft)
    label = label_of(
        page(client.get(section_url(draft, "amenagements"))), "id_accommodation_details"
    )
    assert "(obligatoire si vous avez répondu oui)" in label
    assert "facultatif" not in label

    # Answered « oui »: the field is required, and labelled so (no « facultatif »).
    response = client.post(section_url(draft, "amenagements"), {"needs_accommodation": "oui"})
    text = page(response)
    label = label_of(text, "id_accommodation_details")
    assert "facultatif" not in label and "obligatoire si" not in label
    assert "Décrivez les aménagements souhaités." in text
    assert text.count("Décrivez les aménagements souhaités.") == 2  # summary and field
    label = label_of(
        page(client.get(section_url(draft, "amenagements"))), "id_accommodation_details"
    )
    assert "facultatif" not in label and "obligatoire si" not in label


def test_accommodation_yes_with_details_and_no_without(draft, owner_client):
    client = owner_client(draft)
    response = client.post(
        section_url(draft, "amenagements"),
        {"needs_accommodation": "oui", "accommodation_details": "Temps majoré d'un tiers."},
    )
    assert response.status_code == 302
    assert status_of(draft, "amenagements").complete
    response = client.post(section_url(draft, "amenagements"), {"needs_accommodation": "non"})
    assert response.status_code == 302
    request = EligibilityRequest.objects.get(candidacy=draft)
    assert request.needs_accommodation is False and request.accommodation_details == ""


def test_situation_details_say_when_they_are_required(draft, owner_client):
    text = page(owner_client(draft).get(section_url(draft, "situation")))
    label = label_of(text, "id_situation_details")
    assert "(obligatoire si vous avez choisi « Autre situation »)" in label
