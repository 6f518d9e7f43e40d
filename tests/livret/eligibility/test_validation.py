"""Every rule of every section: an invalid value gets its French message, everything the
candidate typed is shown again, and nothing invalid is written. The sections answered
field by field (identity, situation, accommodations) keep their valid answers and leave
the refused ones empty (``check_partly_saved``, and tests/livret/test_partial_save.py);
the others write nothing (``check_refused``)."""

import datetime
import re

import pytest

from livret.eligibility.completeness import section_statuses
from livret.eligibility.forms.fields import normalise_phone
from livret.models import IDENTITY_OPTIONAL_FIELDS, EligibilityRequest
from tests.livret.helpers import (
    VALID_EXPERIENCE,
    VALID_IDENTITY,
    VALID_TRAINING,
    page,
    section_url,
    snapshot,
    url,
    years_ago,
)

pytestmark = pytest.mark.django_db

RADIOS = {"sector", "working_time", "situation", "outcome", "needs_accommodation"}
CHECKLISTS = {"domains", "blocs"}
SELECTS = {"civility"}
TEXTAREAS = {"description", "situation_details", "accommodation_details"}
CHECKBOXES = {"ongoing", "certify", "aucune-no_training"}


def assert_echoed(text, data):
    """Each submitted value is in the re-rendered form, in its control.

    A forged choice (a value the page never offered) has no control to be shown in.
    """
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if item in ("", None):
                continue
            item = re.escape(str(item))
            if name in RADIOS or name in CHECKLISTS:
                if not re.search(rf'name="{name}" value="{item}"', text):
                    continue
                pattern = rf'name="{name}" value="{item}"[^>]*\bchecked'
            elif name in SELECTS:
                if not re.search(rf'<option value="{item}"', text):
                    continue
                pattern = rf'<option value="{item}" selected>'
            elif name in TEXTAREAS:
                pattern = rf'name="{name}"[^>]*>\s*{item}</textarea>'
            elif name in CHECKBOXES:
                pattern = rf'name="{name}"[^>]*\bchecked'
            else:
                pattern = rf'name="{name}" value="{item}"'
            assert re.search(pattern, text), f"{name}={value!r} not re-rendered"


def resolve(overrides, today):
    """Values given as callables are computed from today's date (as ISO strings)."""
    return {
        name: (value(today).isoformat() if callable(value) else value)
        for name, value in overrides.items()
    }


def check_refused(client, candidacy, target, data, message):
    before = snapshot(candidacy)
    response = client.post(target, data)
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert "error-summary" in text
    assert_echoed(text, data)
    assert snapshot(candidacy) == before
    return text


def check_partly_saved(client, candidacy, target, data, message, slug):
    """Refused in part: the message, what was typed shown again, each refused field stored
    empty, each valid one stored, and the section incomplete unless only an optional field
    was refused."""
    response = client.post(target, data)
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert "Section enregistrée en partie" in text
    assert "error-summary" in text
    assert_echoed(text, data)
    form = response.context["form"]
    request = EligibilityRequest.objects.get(candidacy=candidacy)
    assert form.errors
    for name in form.errors:
        assert getattr(request, name) in ("", None), name
    for name, value in form.cleaned_data.items():
        if name not in form.errors:
            assert getattr(request, name) == value, name
    status = next(s for s in section_statuses(request) if s.slug == slug)
    only_optional = set(form.errors) <= set(IDENTITY_OPTIONAL_FIELDS)
    assert status.complete == only_optional
    return text


# -- identity ------------------------------------------------------------------------------

IDENTITY_CASES = {
    "civility required": ({"civility": ""}, "Indiquez votre civilité."),
    "civility unknown": ({"civility": "dr"}, "Sélectionnez un choix valide"),
    "birth name required": ({"birth_name": ""}, "Indiquez votre nom de naissance."),
    "first names required": ({"first_names": ""}, "Indiquez vos prénoms."),
    "birth date required": ({"birth_date": ""}, "Indiquez votre date de naissance."),
    "birth place required": ({"birth_place": ""}, "Indiquez votre commune de naissance."),
    "birth country required": ({"birth_country": ""}, "Indiquez votre pays de naissance."),
    "nationality required": ({"nationality": ""}, "Indiquez votre nationalité."),
    "address required": ({"address": ""}, "Indiquez votre adresse."),
    "postal code required": ({"postal_code": ""}, "Indiquez votre code postal."),
    "city required": ({"city": ""}, "Indiquez votre commune de résidence."),
    "country required": ({"country": ""}, "Indiquez votre pays de résidence."),
    "phone required": ({"phone": ""}, "Indiquez votre numéro de téléphone."),
    "birth name with digits": ({"birth_name": "Mart1n"}, "Utilisez uniquement des lettres"),
    "usage name with symbol": ({"usage_name": "Dupont!"}, "Utilisez uniquement des lettres"),
    "first names with underscore": ({"first_names": "Léa_Marie"}, "Utilisez uniquement des"),
    "name starting with hyphen": ({"birth_name": "-Martin"}, "Utilisez uniquement des lettres"),
    "birth date invalid": ({"birth_date": "17/13/1990"}, "Date de naissance invalide"),
    "birth date in the future": (
        {"birth_date": lambda t: t + datetime.timedelta(days=1)},
        "La date de naissance ne peut pas être dans le futur.",
    ),
    "younger than 16": (
        {"birth_date": lambda t: years_ago(t, 16) + datetime.timedelta(days=1)},
        "Vous devez avoir au moins 16 ans pour déposer une demande de VAE.",
    ),
    "older than 100": (
        {"birth_date": lambda t: years_ago(t, 101)},
        "elle indique un âge de plus de 100 ans",
    ),
    "French postal code too short": ({"postal_code": "7501"}, "compte 5 chiffres"),
    "French postal code with letters": ({"postal_code": "75O11"}, "compte 5 chiffres"),
    "French postal code, country spelt otherwise": (
        {"postal_code": "SW1A 1AA", "country": "FRANCE"},
        "compte 5 chiffres",
    ),
    "phone too short": ({"phone": "06 12 34"}, "Numéro de téléphone invalide"),
    "phone with letters": ({"phone": "06 12 AB 56 78"}, "Numéro de téléphone invalide"),
    "French phone not starting with 0": ({"phone": "16 12 34 56 78"}, "Numéro de téléphone"),
    "+33 with a wrong length": ({"phone": "+33 6 12 34 56"}, "Numéro de téléphone invalide"),
    "international too short": ({"phone": "+44 1234"}, "Numéro de téléphone invalide"),
    "international too long": ({"phone": "+44 1234 5678 9012 34"}, "Numéro de téléphone"),
}


@pytest.mark.parametrize("overrides, message", IDENTITY_CASES.values(), ids=IDENTITY_CASES)
def test_identity_rules(draft, owner_client, today, overrides, message):
    data = {**VALID_IDENTITY, **resolve(overrides, today)}
    check_partly_saved(
        owner_client(draft), draft, section_url(draft, "identite"), data, message, "identite"
    )


@pytest.mark.parametrize(
    "overrides, stored",
    [
        ({"birth_name": "  N’Diaye-D'Arc  "}, {"birth_name": "N’Diaye-D'Arc"}),
        ({"first_names": "Éloïse  Anne-Ségolène"}, {"first_names": "Éloïse Anne-Ségolène"}),
        ({"postal_code": "75 011"}, {"postal_code": "75011"}),
        ({"postal_code": "SW1A 1AA", "country": "Royaume-Uni"}, {"postal_code": "SW1A 1AA"}),
        ({"phone": "+33 (0)6.12.34.56.78"}, {"phone": "06 12 34 56 78"}),
        ({"phone": "0033 1 44 55 66 77"}, {"phone": "01 44 55 66 77"}),
        ({"phone": "06-12-34-56-78"}, {"phone": "06 12 34 56 78"}),
        ({"phone": "+44 20 7946 0958"}, {"phone": "+442079460958"}),
        ({"birth_date": lambda t: years_ago(t, 16)}, {}),
        ({"birth_date": lambda t: years_ago(t, 100)}, {}),
    ],
)
def test_identity_accepted_and_normalised(draft, owner_client, today, overrides, stored):
    response = owner_client(draft).post(
        section_url(draft, "identite"), {**VALID_IDENTITY, **resolve(overrides, today)}
    )
    assert response.status_code == 302, page(response)
    request = draft.eligibility_request
    request.refresh_from_db()
    for name, value in stored.items():
        assert getattr(request, name) == value
    assert request.identity_saved_at is not None


@pytest.mark.parametrize("raw", ["", "abc", "+", "0", "00", "+0612345678"])
def test_phone_normalisation_refuses_garbage(raw):
    from django import forms

    with pytest.raises(forms.ValidationError):
        normalise_phone(raw)


def test_identity_form_has_autocomplete_and_date_input(draft, owner_client):
    text = page(owner_client(draft).get(section_url(draft, "identite")))
    for name, token in [
        ("civility", "honorific-prefix"),
        ("birth_name", "family-name"),
        ("first_names", "given-name"),
        ("birth_date", "bday"),
        ("address", "street-address"),
        ("postal_code", "postal-code"),
        ("city", "address-level2"),
        ("country", "country-name"),
        ("phone", "tel"),
    ]:
        assert re.search(rf'name="{name}"[^>]*autocomplete="{token}"', text), name
    assert re.search(r'type="date" name="birth_date"', text)
    assert re.search(r'type="tel" name="phone"', text)
    assert '<label class="field__label" for="id_birth_name">Nom de naissance</label>' in text
    assert 'Nom d\'usage <span class="field__optional">(facultatif)</span>' in text


# -- situation -----------------------------------------------------------------------------

SITUATION_CASES = {
    "situation required": ({"current_job": "Comptable"}, "Indiquez votre situation actuelle."),
    "situation unknown": ({"situation": "retraite"}, "Sélectionnez un choix valide"),
    "other needs details": (
        {"situation": "autre", "current_employer": "Studio Nord"},
        "Précisez votre situation.",
    ),
    "details too long": (
        {"situation": "autre", "situation_details": "Intermittente. " * 134},
        "Ce texte compte 2\u202f009 caractères, pour 2\u202f000 au plus : raccourcissez-le de "
        "9 caractères (votre texte est conservé ci-dessous).",
    ),
}


@pytest.mark.parametrize("data, message", SITUATION_CASES.values(), ids=SITUATION_CASES)
def test_situation_rules(draft, owner_client, data, message):
    check_partly_saved(
        owner_client(draft), draft, section_url(draft, "situation"), data, message, "situation"
    )


def test_situation_radios_are_a_fieldset(draft, owner_client):
    text = page(owner_client(draft).get(section_url(draft, "situation")))
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Votre situation actuelle</legend>", text)


# -- experiences ---------------------------------------------------------------------------


def days(n):
    return lambda t: t + datetime.timedelta(days=n)


EXPERIENCE_CASES = {
    "employer required": ({"employer": ""}, "Indiquez l'employeur ou la structure."),
    "sector required": ({"sector": ""}, "Indiquez le secteur de cette expérience."),
    "job title required": ({"job_title": ""}, "Indiquez la fonction occupée."),
    "a domain required": ({"domains": []}, "Cochez au moins un domaine d'activité."),
    "unknown domain": ({"domains": ["paie", "cuisine"]}, "Domaine inconnu : cuisine."),
    "working time required": ({"working_time": ""}, "Indiquez le temps de travail."),
    "description required": ({"description": ""}, "Décrivez les activités exercées."),
    "description too short": (
        {"description": "Paie des intermittents."},
        "Décrivez vos activités en au moins 30 caractères (actuellement 23).",
    ),
    "dates or duration required": (
        {"start_date": "", "end_date": ""},
        "Indiquez les dates de cette expérience, ou sa durée totale en mois.",
    ),
    "start date invalid": ({"start_date": "2018-02-30"}, "Date de début invalide."),
    "start date in the future": (
        {"start_date": days(1), "end_date": "", "ongoing": "on"},
        "La date de début ne peut pas être dans le futur.",
    ),
    "end date in the future": (
        {"end_date": days(1)},
        "La date de fin ne peut pas être dans le futur.",
    ),
    "end before start": (
        {"start_date": "2020-06-30", "end_date": "2018-01-15"},
        "La date de fin ne peut pas être antérieure à la date de début.",
    ),
    "current job with an end date": (
        {"ongoing": "on"},
        "Un emploi actuel n'a pas de date de fin",
    ),
    "start without end nor current": (
        {"end_date": ""},
        "Indiquez la date de fin, ou cochez « emploi actuel ».",
    ),
    "end without start": ({"start_date": ""}, "Indiquez aussi la date de début."),
    "current job without start": (
        {"start_date": "", "end_date": "", "ongoing": "on"},
        "Indiquez aussi la date de début.",
    ),
    "duration zero": (
        {"start_date": "", "end_date": "", "duration_months": "0"},
        "La durée doit être comprise entre 1 et 600 mois.",
    ),
    "duration above 600": (
        {"start_date": "", "end_date": "", "duration_months": "601"},
        "La durée doit être comprise entre 1 et 600 mois.",
    ),
    "duration not a number": (
        {"start_date": "", "end_date": "", "duration_months": "deux ans"},
        "Indiquez la durée en nombre entier de mois.",
    ),
    "dates and duration": (
        {"duration_months": "12"},
        "Indiquez soit les dates, soit la durée en mois, mais pas les deux.",
    ),
    "percent with full time": (
        {"part_time_percent": "50"},
        "Indiquez une quotité seulement pour un emploi à temps partiel.",
    ),
    "percent 100": (
        {"working_time": "partiel", "part_time_percent": "100"},
        "La quotité doit être comprise entre 1 et 99 %.",
    ),
    "percent 0": (
        {"working_time": "partiel", "part_time_percent": "0"},
        "La quotité doit être comprise entre 1 et 99 %.",
    ),
    "description too long": (
        {"description": "Paie des intermittents. " * 170},
        "Ce texte compte 4\u202f079 caractères, pour 4\u202f000 au plus",
    ),
}


@pytest.mark.parametrize("overrides, message", EXPERIENCE_CASES.values(), ids=EXPERIENCE_CASES)
def test_experience_rules_on_add(draft, owner_client, today, overrides, message):
    data = {**VALID_EXPERIENCE, **resolve(overrides, today)}
    check_refused(owner_client(draft), draft, url("livret:experience_add", draft), data, message)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"employer": ""}, "Indiquez l'employeur ou la structure."),
        ({"end_date": "2010-01-01"}, "antérieure à la date de début"),
    ],
)
def test_experience_rules_on_edit(complete_draft, owner_client, overrides, message):
    experience = complete_draft.eligibility_request.experiences.get()
    data = {**VALID_EXPERIENCE, **overrides}
    target = url("livret:experience_edit", complete_draft, pk=experience.pk)
    check_refused(owner_client(complete_draft), complete_draft, target, data, message)


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_date": "", "end_date": "", "duration_months": "1"},
        {"start_date": "", "end_date": "", "duration_months": "600"},
        {"end_date": "", "ongoing": "on"},
        {"working_time": "partiel", "part_time_percent": "99"},
        {"working_time": "partiel", "part_time_percent": "1"},
        {"working_time": "partiel", "part_time_percent": ""},
        {"start_date": "2020-06-30", "end_date": "2020-06-30"},
    ],
)
def test_experience_accepted(draft, owner_client, overrides):
    response = owner_client(draft).post(
        url("livret:experience_add", draft), {**VALID_EXPERIENCE, **overrides}
    )
    assert response.status_code == 302, page(response)
    assert draft.eligibility_request.experiences.count() == 1


def test_experience_end_date_today_is_accepted(draft, owner_client, today):
    data = {**VALID_EXPERIENCE, "end_date": today.isoformat()}
    assert owner_client(draft).post(url("livret:experience_add", draft), data).status_code == 302


# -- trainings -----------------------------------------------------------------------------


def this_year_plus(n):
    return lambda t: datetime.date(t.year + n, 1, 1)


TRAINING_CASES = {
    "title required": ({"title": ""}, "Indiquez l'intitulé de la formation ou du diplôme."),
    "year required": ({"year": ""}, "Indiquez l'année."),
    "year not a number": ({"year": "deux mille"}, "Indiquez l'année sur 4 chiffres"),
    "year before 1950": ({"year": "1949"}, "L'année doit être comprise entre 1950 et"),
    "outcome required": ({"outcome": ""}, "Indiquez le résultat."),
    "outcome unknown": ({"outcome": "mention"}, "Sélectionnez un choix valide"),
}


@pytest.mark.parametrize("overrides, message", TRAINING_CASES.values(), ids=TRAINING_CASES)
def test_training_rules(draft, owner_client, overrides, message):
    data = {**VALID_TRAINING, **overrides}
    check_refused(owner_client(draft), draft, url("livret:training_add", draft), data, message)


def test_training_year_in_the_future(draft, owner_client, today):
    data = {**VALID_TRAINING, "year": str(today.year + 1)}
    check_refused(
        owner_client(draft),
        draft,
        url("livret:training_add", draft),
        data,
        f"L'année ne peut pas être dans le futur (au plus {today.year}).",
    )


@pytest.mark.parametrize("year", ["1950", "current"])
def test_training_year_bounds_accepted(draft, owner_client, today, year):
    year = str(today.year) if year == "current" else year
    response = owner_client(draft).post(
        url("livret:training_add", draft), {**VALID_TRAINING, "year": year}
    )
    assert response.status_code == 302
    assert draft.eligibility_request.trainings.get().year == int(year)


def test_training_rules_on_edit(complete_draft, owner_client):
    training = complete_draft.eligibility_request.trainings.get()
    target = url("livret:training_edit", complete_draft, pk=training.pk)
    data = {**VALID_TRAINING, "title": ""}
    check_refused(owner_client(complete_draft), complete_draft, target, data, "Indiquez l'intitulé")


# -- blocs ---------------------------------------------------------------------------------


def test_blocs_at_least_one(draft, owner_client):
    check_refused(
        owner_client(draft),
        draft,
        section_url(draft, "blocs"),
        {},
        "Choisissez au moins un bloc de compétences.",
    )


def test_blocs_of_another_version_are_refused(draft, owner_client):
    from referentiel.services import create_draft_from

    other_version = create_draft_from(draft.certification)
    foreign = other_version.blocs.get(code="BC2")
    own = draft.certification.blocs.get(code="BC1")
    text = check_refused(
        owner_client(draft),
        draft,
        section_url(draft, "blocs"),
        {"blocs": [own.pk, foreign.pk]},
        "Ce bloc n'appartient pas au référentiel de votre candidature.",
    )
    assert f'value="{foreign.pk}"' not in text


def test_blocs_unknown_value(draft, owner_client):
    check_refused(
        owner_client(draft), draft, section_url(draft, "blocs"), {"blocs": ["x"]}, "Bloc inconnu."
    )


# -- accommodations ------------------------------------------------------------------------

ACCOMMODATION_CASES = {
    "answer required": (
        {"accommodation_details": "Salle accessible"},
        "Indiquez si vous demandez des aménagements (oui ou non).",
    ),
    "answer unknown": ({"needs_accommodation": "peut-être"}, "Sélectionnez un choix valide"),
    "details required when yes": (
        {"needs_accommodation": "oui", "accommodation_details": "   "},
        "Décrivez les aménagements souhaités.",
    ),
    "details too long": (
        {"needs_accommodation": "oui", "accommodation_details": "Temps majoré. " * 143},
        "Ce texte compte 2\u202f001 caractères, pour 2\u202f000 au plus",
    ),
}


@pytest.mark.parametrize("data, message", ACCOMMODATION_CASES.values(), ids=ACCOMMODATION_CASES)
def test_accommodation_rules(draft, owner_client, data, message):
    target = section_url(draft, "amenagements")
    check_partly_saved(owner_client(draft), draft, target, data, message, "amenagements")


# -- sworn statement -----------------------------------------------------------------------

VALID_DECLARATION = {"certify": "on", "sworn_name": "Alex Durand", "sworn_place": "Saint-Denis"}

DECLARATION_CASES = {
    "box required": (
        {"certify": ""},
        "Cochez la case pour certifier sur l'honneur l'exactitude du livret.",
    ),
    "name required": ({"sworn_name": ""}, "Indiquez votre nom et votre prénom."),
    "name with digits": ({"sworn_name": "R2D2"}, "Utilisez uniquement des lettres"),
    "place required": ({"sworn_place": " "}, "Indiquez la commune où vous signez (« Fait à »)."),
}


@pytest.mark.parametrize("overrides, message", DECLARATION_CASES.values(), ids=DECLARATION_CASES)
def test_declaration_rules(complete_draft, owner_client, overrides, message):
    request = complete_draft.eligibility_request
    request.clear_sworn_statement()
    request.save()
    data = {**VALID_DECLARATION, **overrides}
    check_refused(
        owner_client(complete_draft),
        complete_draft,
        section_url(complete_draft, "declaration"),
        data,
        message,
    )


def test_declaration_refused_while_other_sections_are_incomplete(draft, owner_client):
    client = owner_client(draft)
    client.post(section_url(draft, "identite"), VALID_IDENTITY)
    text = check_refused(
        client,
        draft,
        section_url(draft, "declaration"),
        {**VALID_DECLARATION, "sworn_name": "Léa Martin"},  # VALID_IDENTITY's name
        "Vous pourrez signer la déclaration quand toutes les autres sections seront "
        "complètes. À compléter : Situation actuelle, Expériences professionnelles, "
        "Formations et diplômes, Aménagements (situation de handicap).",
    )
    assert "Identité," not in text


def test_declaration_checkbox_label(complete_draft, owner_client):
    text = page(owner_client(complete_draft).get(section_url(complete_draft, "declaration")))
    assert "Je certifie sur l'honneur l'exactitude des renseignements fournis" in text
    # Prefilled with what the livret already says.
    assert 'name="sworn_place" value="Saint-Denis"' in text
