"""Filling livret 1 through its pages, from a blank livret to its submission."""

import pytest
from django.urls import reverse

from livret.eligibility.completeness import SECTION_SLUGS, section_statuses
from livret.models import EligibilityRequest
from tests.accounts import log_in
from tests.factories import CandidacyFactory
from tests.livret.helpers import (
    VALID_EXPERIENCE,
    VALID_IDENTITY,
    VALID_TRAINING,
    page,
    section_url,
    snapshot,
    url,
)
from vae.enums import CandidacyState, Role, Transition

pytestmark = pytest.mark.django_db


def test_blank_livret_summary_lists_every_section_to_complete(draft, owner_client):
    client = owner_client(draft)
    response = client.get(url("livret:livret1", draft))
    assert response.status_code == 200
    text = page(response)
    # Every bloc not yet acquired is targeted from the start: only that section is complete.
    assert text.count("À compléter") == len(SECTION_SLUGS) - 1
    assert text.count("Complète<") == 1
    for slug in SECTION_SLUGS:
        assert section_url(draft, slug) in text
    assert "Indiquez votre situation actuelle." in text
    assert "Ajoutez au moins une expérience professionnelle." in text
    # The pre-check box; no send button yet: the send area says what is missing instead.
    assert "Prérequis : vérification indicative" in text
    assert "C'est le certificateur qui décide" in text
    assert url("livret:submit", draft) not in text
    send_area = text[text.index('id="send-title"') :]
    assert "il reste à compléter" in send_area
    for status in section_statuses(draft.eligibility_request):
        link = f'<a href="{section_url(draft, status.slug)}">{status.label}</a>'
        assert (link in send_area) == (not status.complete)
        for problem in status.problems:
            assert problem in send_area
    assert "« Envoyer ma demande de recevabilité » apparaîtra ici" in send_area


def fill_everything(client, candidacy):
    """Fill every section through the pages, as a candidate would."""
    request = candidacy.eligibility_request
    steps = [
        (section_url(candidacy, "identite"), VALID_IDENTITY),
        (section_url(candidacy, "situation"), {"situation": "intermittent"}),
        (url("livret:experience_add", candidacy), VALID_EXPERIENCE),
        (url("livret:training_add", candidacy), VALID_TRAINING),
        (
            section_url(candidacy, "blocs"),
            {"blocs": [b.pk for b in candidacy.certification.blocs.all()]},
        ),
        (section_url(candidacy, "amenagements"), {"needs_accommodation": "non"}),
        (
            section_url(candidacy, "declaration"),
            {"certify": "on", "sworn_name": "Léa Martin", "sworn_place": "Paris"},
        ),
    ]
    for target, data in steps:
        response = client.post(target, data)
        assert response.status_code == 302, (target, page(response))
    request.refresh_from_db()
    return request


def test_fill_every_section_then_submit(draft, owner_client):
    client = owner_client(draft)
    request = fill_everything(client, draft)

    assert request.birth_name == "Martin"
    assert request.phone == "06 12 34 56 78"
    assert request.identity_saved_at and request.situation_saved_at
    assert request.blocs_saved_at and request.accommodation_saved_at
    assert request.needs_accommodation is False
    assert request.experiences.get().domains == ["paie", "budget"]
    assert request.trainings.get().year == 2010
    assert request.sworn and request.sworn_name == "Léa Martin" and request.sworn_place == "Paris"

    summary = page(client.get(url("livret:livret1", draft)))
    assert summary.count("Complète<") == len(SECTION_SLUGS)
    assert "À compléter" not in summary
    assert "Votre livret 1 est complet." in summary
    assert "Le prérequis semble rempli." in summary

    assert f'href="{url("livret:submit", draft)}"' in summary

    # The button leads to a confirmation that restates what sending does; nothing is sent.
    for response in (
        client.get(url("livret:submit", draft)),
        client.post(url("livret:submit", draft)),
    ):
        assert response.status_code == 200
        confirm = page(response)
        assert "Envoyer ma demande de recevabilité ?" in confirm
        assert "Votre livret 1 ne sera plus modifiable" in confirm
        assert "Le certificateur examine votre demande." in confirm
        assert f"Vous recevrez un e-mail</strong> à {draft.candidate.email}" in confirm
        assert "« Votre demande de recevabilité a bien été envoyée »" in confirm
        assert "Les certificateurs sont prévenus par e-mail" in confirm
        assert "signée le" in confirm and "par Léa Martin" in confirm
        assert 'name="confirmation" value="oui"' in confirm
    draft.refresh_from_db()
    assert draft.state == CandidacyState.DRAFT
    assert not draft.transitions.exists()

    response = client.post(url("livret:submit", draft), {"confirmation": "oui"})
    assert response.status_code == 302
    assert response.url == url("livret:livret1", draft)
    draft.refresh_from_db()
    assert draft.state == CandidacyState.ELIGIBILITY_SUBMITTED
    log = list(draft.transitions.all())
    assert len(log) == 1
    assert log[0].transition == Transition.SUBMIT_ELIGIBILITY
    assert log[0].actor == draft.candidate
    assert log[0].actor_role == Role.CANDIDATE
    assert (log[0].source_state, log[0].target_state) == (
        CandidacyState.DRAFT,
        CandidacyState.ELIGIBILITY_SUBMITTED,
    )

    after = page(client.get(response.url))
    assert "Votre demande de recevabilité a été envoyée." in after
    # Read-only now: the whole livret, no edit link, no submit button.
    assert "n'est plus modifiable" in after
    assert "Assistante de production — Les Films du Nord" in after
    assert "BTS Comptabilité et gestion" in after
    assert "Signé par" in after and "Léa Martin" in after
    assert section_url(draft, "identite") not in after
    assert url("livret:submit", draft) not in after


def test_save_and_continue_goes_to_the_next_section(draft, owner_client):
    client = owner_client(draft)
    response = client.post(section_url(draft, "identite"), {**VALID_IDENTITY, "next": "1"})
    assert response.status_code == 302
    assert response.url == section_url(draft, "situation")
    response = client.post(section_url(draft, "identite"), VALID_IDENTITY)
    assert response.url == url("livret:livret1", draft)
    assert "Section enregistrée." in page(client.get(response.url))


def test_submit_refused_when_incomplete_lists_problems_and_changes_nothing(draft, owner_client):
    client = owner_client(draft)
    client.post(section_url(draft, "identite"), VALID_IDENTITY)
    before = snapshot(draft)

    for response in (
        client.get(url("livret:submit", draft)),
        client.post(url("livret:submit", draft)),
        client.post(url("livret:submit", draft), {"confirmation": "oui"}),
    ):
        assert_refused_with_problems(response, draft)
    assert snapshot(draft) == before
    assert draft.transitions.count() == 0


def assert_refused_with_problems(response, draft):
    assert response.status_code == 200
    text = page(response)
    assert "Envoyer ma demande de recevabilité ?" not in text  # no confirmation offered
    assert "Cette action n'est pas encore possible." in text
    assert "Votre demande n'a pas été envoyée." in text
    for slug, problem in [
        ("situation", "Situation actuelle : Indiquez votre situation actuelle."),
        ("experiences", "Expériences professionnelles : Ajoutez au moins une expérience"),
        ("amenagements", "Indiquez si vous demandez des aménagements."),
        ("declaration", "Signez la déclaration sur l'honneur."),
    ]:
        assert f'<a href="{section_url(draft, slug)}">' in text
        assert problem in text
    # Identity is complete: not listed as a problem.
    assert "Identité : " not in text


@pytest.mark.parametrize(
    "slug, data",
    [
        ("identite", {**VALID_IDENTITY, "city": "Montreuil", "postal_code": "93100"}),
        ("situation", {"situation": "cdd"}),
        ("blocs", "first-bloc-only"),
        ("amenagements", {"needs_accommodation": "oui", "accommodation_details": "Tiers temps"}),
    ],
)
def test_changing_a_section_after_signing_clears_the_signature(
    complete_draft, owner_client, slug, data
):
    client = owner_client(complete_draft)
    request = complete_draft.eligibility_request
    assert request.sworn and request.sworn_at
    if data == "first-bloc-only":
        data = {"blocs": [complete_draft.certification.blocs.order_by("code").first().pk]}

    text = page(client.get(section_url(complete_draft, slug)))
    assert "Vous avez déjà signé la déclaration sur l'honneur." in text

    response = client.post(section_url(complete_draft, slug), data, follow=True)

    request.refresh_from_db()
    assert not request.sworn and request.sworn_at is None
    text = page(response)
    assert "Section enregistrée." in text
    assert "vous devrez la signer de nouveau" in text
    assert "Signez la déclaration sur l'honneur." in text  # summary: declaration to do again


@pytest.mark.parametrize(
    "action",
    ["experience_add", "experience_edit", "experience_delete", "training_add", "training_delete"],
)
def test_changing_experiences_or_trainings_after_signing_clears_the_signature(
    complete_draft, owner_client, action
):
    client = owner_client(complete_draft)
    request = complete_draft.eligibility_request
    experience = request.experiences.get()
    training = request.trainings.get()
    target, data = {
        "experience_add": (url("livret:experience_add", complete_draft), VALID_EXPERIENCE),
        "experience_edit": (
            url("livret:experience_edit", complete_draft, pk=experience.pk),
            {**VALID_EXPERIENCE, "employer": "Autre employeur"},
        ),
        "experience_delete": (
            url("livret:experience_delete", complete_draft, pk=experience.pk),
            {},
        ),
        "training_add": (url("livret:training_add", complete_draft), VALID_TRAINING),
        "training_delete": (url("livret:training_delete", complete_draft, pk=training.pk), {}),
    }[action]

    response = client.post(target, data, follow=True)

    assert response.status_code == 200
    request.refresh_from_db()
    assert not request.sworn and request.sworn_at is None
    assert "vous devrez la signer de nouveau" in page(response)


def test_saving_a_section_unchanged_keeps_the_signature(complete_draft, owner_client):
    client = owner_client(complete_draft)
    request = complete_draft.eligibility_request
    sworn_at = request.sworn_at
    response = client.post(section_url(complete_draft, "situation"), {"situation": "intermittent"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.sworn and request.sworn_at == sworn_at
    assert request.situation_saved_at is not None


def test_signing_again_after_a_change_makes_the_livret_submittable(complete_draft, owner_client):
    client = owner_client(complete_draft)
    client.post(section_url(complete_draft, "situation"), {"situation": "cdd"})
    response = client.post(url("livret:submit", complete_draft), {"confirmation": "oui"})
    assert response.status_code == 200
    assert "Signez la déclaration sur l'honneur." in page(response)
    complete_draft.refresh_from_db()
    assert complete_draft.state == CandidacyState.DRAFT

    client.post(
        section_url(complete_draft, "declaration"),
        {"certify": "on", "sworn_name": "Alex Durand", "sworn_place": "Saint-Denis"},
    )
    response = client.post(url("livret:submit", complete_draft), {"confirmation": "oui"})
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.state == CandidacyState.ELIGIBILITY_SUBMITTED


def test_experience_edit_and_delete(complete_draft, owner_client):
    client = owner_client(complete_draft)
    experience = complete_draft.eligibility_request.experiences.get()

    form = page(client.get(url("livret:experience_edit", complete_draft, pk=experience.pk)))
    assert 'value="Les Films du Lendemain"' in form
    assert 'value="2016-09-01"' in form

    response = client.post(
        url("livret:experience_edit", complete_draft, pk=experience.pk),
        {
            **VALID_EXPERIENCE,
            "start_date": "",
            "end_date": "",
            "duration_months": "36",
            "working_time": "partiel",
            "part_time_percent": "60",
        },
    )
    assert response.status_code == 302
    assert response.url == section_url(complete_draft, "experiences")
    experience.refresh_from_db()
    assert experience.duration_months == 36 and experience.start_date is None
    assert experience.part_time_percent == 60
    listing = page(client.get(response.url))
    assert "Expérience modifiée." in listing
    assert "durée totale : 36 mois" in listing
    assert "Temps partiel (60\u202f% d'un temps plein)" in listing

    confirm = page(client.get(url("livret:experience_delete", complete_draft, pk=experience.pk)))
    assert "Supprimer cette expérience ?" in confirm
    assert (
        f'<a href="{section_url(complete_draft, "experiences")}">Non, revenir à la liste</a>'
        in (confirm)
    )
    assert complete_draft.eligibility_request.experiences.count() == 1  # GET deletes nothing
    client.post(url("livret:experience_delete", complete_draft, pk=experience.pk))
    assert complete_draft.eligibility_request.experiences.count() == 0


def test_training_edit_and_no_training_checkbox(draft, owner_client):
    client = owner_client(draft)
    request = draft.eligibility_request

    listing = page(client.get(section_url(draft, "formations")))
    assert "Je n'ai ni formation ni diplôme à déclarer" in listing
    response = client.post(section_url(draft, "formations"), {"aucune-no_training": "on"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.no_training is True

    # Declaring a training answers the question the other way.
    client.post(url("livret:training_add", draft), VALID_TRAINING)
    request.refresh_from_db()
    assert request.no_training is False
    training = request.trainings.get()

    response = client.post(
        url("livret:training_edit", draft, pk=training.pk), {**VALID_TRAINING, "year": "2011"}
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.year == 2011
    assert "Formation modifiée." in page(client.get(response.url))


def test_no_training_refused_while_trainings_are_declared(complete_draft, owner_client):
    client = owner_client(complete_draft)
    before = snapshot(complete_draft)
    response = client.post(section_url(complete_draft, "formations"), {"aucune-no_training": "on"})
    assert response.status_code == 200
    assert "supprimez-les avant d'indiquer que vous n'en avez aucune" in page(response)
    assert snapshot(complete_draft) == before


def test_accommodation_details_are_dropped_when_the_answer_is_no(draft, owner_client):
    client = owner_client(draft)
    client.post(
        section_url(draft, "amenagements"),
        {"needs_accommodation": "non", "accommodation_details": "Tiers temps"},
    )
    request = EligibilityRequest.objects.get(candidacy=draft)
    assert request.needs_accommodation is False
    assert request.accommodation_details == ""


def test_declaration_lists_the_sections_still_missing(draft, owner_client):
    client = owner_client(draft)
    client.post(section_url(draft, "identite"), VALID_IDENTITY)
    text = page(client.get(section_url(draft, "declaration")))
    assert "Vous pourrez signer la déclaration quand toutes les autres sections" in text
    assert section_url(draft, "situation") in text
    assert section_url(draft, "experiences") in text


def test_missing_livret_is_created_for_its_candidate(referentiel, client):
    candidacy = CandidacyFactory(livret=None)
    log_in(client, candidacy.candidate)
    response = client.get(url("livret:livret1", candidacy))
    assert response.status_code == 200
    request = EligibilityRequest.objects.get(candidacy=candidacy)
    assert request.birth_name == candidacy.candidate.last_name
    assert request.candidacy.targeted_blocs.count() == 3


def test_candidacy_page_is_linked(draft, owner_client):
    text = page(owner_client(draft).get(url("livret:livret1", draft)))
    assert reverse("candidacy:detail", args=[draft.pk]) in text


def test_returned_livret_shows_the_comment_and_is_editable_again(referentiel, client):
    from tests.livret.helpers import make_user
    from vae import services as candidacy_services

    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBILITY_SUBMITTED)
    candidacy_services.return_eligibility(
        candidacy=candidacy,
        by=make_user("certifier"),
        comment="Précisez vos dates chez Les Films du Lendemain.",
    )
    log_in(client, candidacy.candidate)

    text = page(client.get(url("livret:livret1", candidacy)))
    assert "Le certificateur vous a renvoyé votre livret 1" in text
    assert "Précisez vos dates chez Les Films du Lendemain." in text
    assert section_url(candidacy, "experiences") in text

    response = client.post(section_url(candidacy, "situation"), {"situation": "cdi"})
    assert response.status_code == 302
    candidacy.eligibility_request.refresh_from_db()
    assert candidacy.eligibility_request.situation == "cdi"


def test_no_return_notice_on_a_livret_never_returned(referentiel, client):
    candidacy = CandidacyFactory()
    log_in(client, candidacy.candidate)
    text = page(client.get(url("livret:livret1", candidacy)))
    assert "vous a renvoyé" not in text
