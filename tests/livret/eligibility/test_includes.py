"""The includes the certifier's back office reuses: the read-only livret and the pre-check."""

import datetime
import html

import pytest
from django.template.loader import render_to_string

from livret.eligibility.precheck import precheck
from livret.enums import Domain, Sector, WorkingTime
from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_request(referentiel):
    candidacy = CandidacyFactory()
    request = candidacy.eligibility_request
    request.usage_name = "Bernard"
    request.address_complement = "Bâtiment B"
    request.situation_details = "En mission jusqu'en juin."
    request.needs_accommodation = True
    request.accommodation_details = "Temps majoré d'un tiers"
    request.no_training = False
    request.save()
    request.experiences.create(
        employer="Cabinet Chiffres",
        sector=Sector.OTHER,
        job_title="Comptable",
        domains=[Domain.ACCOUNTING],
        duration_months=30,
        working_time=WorkingTime.PART_TIME,
        part_time_percent=80,
        description="Tenue des comptes de PME, bilans et liasses fiscales.",
    )
    request.experiences.create(
        employer="Prod Est",
        sector=Sector.AUDIOVISUAL,
        job_title="Assistant de production",
        domains=[Domain.BUDGET],
        start_date=datetime.date(2012, 2, 1),
        end_date=datetime.date(2014, 7, 31),
        working_time=WorkingTime.FULL_TIME,
        description="Devis, suivi des coûts de tournage et plan de travail.",
    )
    request.trainings.create(title="DCG", organisation="CNAM", year=2011, outcome="non_obtenu")
    candidacy.targeted_blocs.set(candidacy.certification.blocs.filter(code__in=["BC1", "BC3"]))
    return request


def render(template, **context):
    return html.unescape(render_to_string(template, context))


def test_readonly_livret_renders_every_section(full_request):
    text = render("livret/includes/livret1_readonly.html", eligibility_request=full_request)
    for expected in [
        # identity
        "Madame",
        full_request.birth_name,
        "Bernard",
        "12 avril 1988",
        "Lyon (France)",
        "Française",
        "12 rue des Studios",
        "Bâtiment B",
        "93200 Saint-Denis",
        "06 12 34 56 78",
        # situation
        "Intermittent(e) du spectacle (CDD d'usage)",
        "En mission jusqu'en juin.",
        # experiences
        "Administratrice de production — Les Films du Lendemain",
        "du 1er septembre 2016 à aujourd'hui (emploi actuel)",
        "Administration de production, Paie et déclarations sociales",
        "Comptable — Cabinet Chiffres",
        "durée totale : 30 mois",
        "Temps partiel (80\u202f% d'un temps plein)",
        "du 1er février 2012 au 31 juillet 2014",
        "Temps plein",
        "Devis, suivi des coûts de tournage",
        # trainings
        "DCG",
        "CNAM",
        "2011",
        "Suivi sans diplôme ou non obtenu",
        # blocs
        "BC1",
        "BC3",
        # accommodations
        "Temps majoré d'un tiers",
        # sworn statement
        "Signé par",
        "Saint-Denis",
    ]:
        assert expected in text, expected
    assert "BC2" not in text
    # No link at all: the back office shows it as is.
    assert "<a " not in text
    assert '<h2 id="livret1-ro-identite">Identité</h2>' in text


def test_readonly_livret_heading_level_and_empty_livret(referentiel):
    request = CandidacyFactory(livret="empty").eligibility_request
    request.candidacy.targeted_blocs.clear()
    text = render(
        "livret/includes/livret1_readonly.html", eligibility_request=request, heading_level=3
    )
    assert '<h3 id="livret1-ro-identite">Identité</h3>' in text
    assert "Aucune expérience déclarée." in text
    assert "Aucune formation déclarée." in text
    assert "Aucun bloc choisi." in text
    assert "Non signée." in text
    assert "Non renseigné." in text  # accommodations not answered


def test_readonly_livret_no_training_declared(referentiel):
    request = CandidacyFactory().eligibility_request
    text = render("livret/includes/livret1_readonly.html", eligibility_request=request)
    assert "n'avoir ni formation ni diplôme à déclarer" in text
    assert "Aucun aménagement demandé." in text


def test_precheck_box_says_it_is_indicative(full_request):
    text = render("livret/includes/precheck.html", precheck=precheck(full_request))
    assert "Le prérequis semble rempli." in text
    assert "Assistant de production (Prod Est)" in text
    assert "Comptable (Cabinet Chiffres)" in text
    assert "elle n'est qu'indicative" in text
    assert "C'est le certificateur qui décide de la recevabilité" in text
    assert "livret-precheck--met" in text
    assert "<a " not in text


def test_precheck_box_when_not_met(referentiel):
    request = CandidacyFactory(livret="empty").eligibility_request
    text = render("livret/includes/precheck.html", precheck=precheck(request))
    assert "Le prérequis ne semble pas rempli avec les expériences déclarées." in text
    assert "aucune expérience déclarée ne correspond" in text
    assert "livret-precheck--unmet" in text
