"""Demo candidacies in several states, with realistic French livrets.

States are reached through the real services (so the history, the actors and the
e-mails are those the platform would produce), never by writing the state column.
"""

import datetime

from demo.content.ines import INES_DOSSIER
from demo.people import candidate_account
from demo.stories import (
    DemoCandidate,
    fill_livret1,
    start_candidacy,
    submit_dossier,
    write_dossier,
)
from demo.timeline import clock, days_ago
from livret.enums import Civility, Domain, Sector, TrainingOutcome, WorkingTime
from vae import services
from vae.enums import CandidacyState as S
from vae.models import Candidacy

CAMILLE = DemoCandidate(
    email="candidat@demo.vae.local",
    first_name="Camille",
    last_name="Martin",
    identity={
        "civility": Civility.MADAME,
        "birth_name": "Martin",
        "first_names": "Camille",
        "birth_date": datetime.date(1990, 3, 14),
        "birth_place": "Nantes",
        "birth_country": "France",
        "nationality": "Française",
        "address": "8 rue de la Verrerie",
        "postal_code": "75004",
        "city": "Paris",
        "country": "France",
        "phone": "06 11 22 33 44",
    },
    experiences=(
        {
            "employer": "Les Films de la Lanterne",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Assistante d'administration de production",
            "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.PAYROLL],
            "start_date": datetime.date(2019, 9, 1),
            "ongoing": True,
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Sur trois longs métrages, préparation des contrats des techniciens et des "
                "comédiens, saisie de la paie des intermittents et déclarations aux caisses "
                "(Audiens, Congés Spectacles, AFDAS), suivi des coûts hebdomadaires."
            ),
        },
    ),
)


NADIA = DemoCandidate(
    email="nadia.haddad@demo.vae.local",
    first_name="Nadia",
    last_name="Haddad",
    identity={
        "civility": Civility.MADAME,
        "birth_name": "Haddad",
        "first_names": "Nadia Leïla",
        "birth_date": datetime.date(1984, 11, 2),
        "birth_place": "Marseille",
        "birth_country": "France",
        "nationality": "Française",
        "address": "27 boulevard de la Libération",
        "postal_code": "13001",
        "city": "Marseille",
        "country": "France",
        "phone": "06 45 67 89 10",
    },
    experiences=(
        {
            "employer": "Studio Hélice Productions",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Administratrice de production",
            "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.BUDGET, Domain.TAX_CREDITS],
            "start_date": datetime.date(2014, 2, 1),
            "end_date": datetime.date(2023, 12, 31),
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Établissement des devis et plans de financement de séries documentaires, "
                "dossiers de crédit d'impôt audiovisuel et de soutien du CNC, plans de "
                "trésorerie, coûts définitifs et clôture des comptes de production."
            ),
        },
        {
            "employer": "Canal Est Télévision",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Comptable de production",
            "domains": [Domain.ACCOUNTING, Domain.PAYROLL],
            "duration_months": 30,
            "working_time": WorkingTime.PART_TIME,
            "part_time_percent": 80,
            "description": (
                "Comptabilité de production de magazines hebdomadaires : saisie, "
                "rapprochements bancaires, paie des pigistes et des intermittents."
            ),
        },
    ),
    trainings=(
        {
            "title": "BTS Comptabilité et gestion",
            "organisation": "Lycée Marseilleveyre",
            "year": 2004,
            "outcome": TrainingOutcome.OBTAINED,
        },
    ),
)


JULIEN = DemoCandidate(
    email="julien.moreau@demo.vae.local",
    first_name="Julien",
    last_name="Moreau",
    identity={
        "civility": Civility.MONSIEUR,
        "birth_name": "Moreau",
        "first_names": "Julien",
        "birth_date": datetime.date(1979, 6, 21),
        "birth_place": "Lyon",
        "birth_country": "France",
        "nationality": "Française",
        "address": "3 quai Saint-Vincent",
        "postal_code": "69001",
        "city": "Lyon",
        "country": "France",
        "phone": "07 81 23 45 67",
    },
    experiences=(
        {
            "employer": "Ciné-Rhône Production",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Directeur de production adjoint",
            "domains": [
                Domain.PRODUCTION_ADMINISTRATION,
                Domain.BUDGET,
                Domain.TREASURY,
                Domain.LEGAL,
            ],
            "start_date": datetime.date(2011, 4, 1),
            "ongoing": True,
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Budgets de fictions unitaires (2 à 4 M€), négociation des contrats de "
                "coproduction, suivi de la trésorerie avec l'établissement bancaire, "
                "relations avec la commission du film Auvergne-Rhône-Alpes."
            ),
        },
    ),
    accommodation=(
        "Malentendant appareillé : merci de prévoir un entretien en salle calme et "
        "de me transmettre les consignes par écrit."
    ),
    acquired=("BC3",),
)


LUCIE = DemoCandidate(
    email="lucie.perrin@demo.vae.local",
    first_name="Lucie",
    last_name="Perrin",
    identity={
        "civility": Civility.MADAME,
        "birth_name": "Perrin",
        "first_names": "Lucie",
        "birth_date": datetime.date(1995, 1, 9),
        "birth_place": "Lille",
        "birth_country": "France",
        "nationality": "Française",
        "address": "14 rue Nationale",
        "postal_code": "59000",
        "city": "Lille",
        "country": "France",
        "phone": "06 98 76 54 32",
    },
    experiences=(
        {
            "employer": "Boutiques Garnier & Fils",
            "sector": Sector.OTHER,
            "job_title": "Vendeuse puis responsable de rayon",
            "domains": [Domain.OTHER],
            "start_date": datetime.date(2016, 9, 1),
            "end_date": datetime.date(2024, 6, 30),
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Accueil de la clientèle, gestion des stocks du rayon, plannings de "
                "l'équipe de vente, inventaires annuels."
            ),
        },
    ),
)


INES = DemoCandidate(
    email="ines.lambert@demo.vae.local",
    first_name="Inès",
    last_name="Lambert",
    identity={
        "civility": Civility.MADAME,
        "birth_name": "Lambert",
        "first_names": "Inès Marie",
        "birth_date": datetime.date(1987, 5, 23),
        "birth_place": "Bordeaux",
        "birth_country": "France",
        "nationality": "Française",
        "address": "41 rue de Paris",
        "postal_code": "93100",
        "city": "Montreuil",
        "country": "France",
        "phone": "06 72 18 40 95",
    },
    experiences=(
        {
            "employer": "Les Films de l'Estran",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Administratrice de production",
            "domains": [
                Domain.PRODUCTION_ADMINISTRATION,
                Domain.PAYROLL,
                Domain.BUDGET,
                Domain.TREASURY,
                Domain.TAX_CREDITS,
            ],
            "start_date": datetime.date(2015, 3, 1),
            "ongoing": True,
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Administration de production de longs métrages et de séries documentaires, "
                "de la préparation à la clôture : plan comptable du film, paie des "
                "intermittents et DSN, comptabilité de tournage, plan de trésorerie, "
                "dépenses éligibles au crédit d'impôt et aux aides régionales, situation "
                "finale."
            ),
        },
        {
            "employer": "Atelier Sud Images",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Comptable de production",
            "domains": [Domain.ACCOUNTING, Domain.PAYROLL],
            "start_date": datetime.date(2011, 9, 1),
            "end_date": datetime.date(2015, 2, 28),
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Comptabilité de courts métrages et de captations de spectacles : saisie, "
                "rapprochements bancaires, préparation de la paie des techniciens."
            ),
        },
    ),
)

# Each demo candidate and the state their candidacy reaches.
STORIES = [
    (CAMILLE, S.DRAFT),
    (NADIA, S.ELIGIBILITY_SUBMITTED),
    (JULIEN, S.ELIGIBLE),
    (LUCIE, S.INELIGIBLE),
    (INES, S.DOSSIER_SUBMITTED),
]


# Days ago of each story's steps, after livret 1 is filled: the request sent, then the
# certifier's answer (for Julien: a question, his answer, the acceptance) and, for Inès,
# livret 2 filed. Weeks apart, as in real life: the dashboard reads their phases.
DAYS_AGO = {
    S.ELIGIBILITY_SUBMITTED: (3,),
    S.ELIGIBLE: (40, 33, 30, 26),
    S.INELIGIBLE: (20, 15),
    S.DOSSIER_SUBMITTED: (125, 118, 10),
}


def _tell(person, story, certifier) -> Candidacy:
    """``person``'s candidacy, taken by them and the certifier up to ``story``, each step
    on its day (``DAYS_AGO``)."""
    if story == S.DRAFT:
        candidacy = start_candidacy(person)
        fill_livret1(candidacy, person, complete=False)
        return candidacy
    # Today's dates, read before the clock moves.
    days = iter([days_ago(n) for n in DAYS_AGO[story]])
    with clock(next(days)) as to:

        def later() -> None:
            to(next(days))

        candidacy = start_candidacy(person)
        fill_livret1(candidacy, person, complete=True)
        candidate = candidacy.candidate
        services.submit_eligibility(candidacy=candidacy, by=candidate)
        if story == S.ELIGIBLE:
            later()
            services.return_eligibility(
                candidacy=candidacy,
                by=certifier,
                comment=(
                    "Merci de préciser le nombre de films sur lesquels vous avez établi le "
                    "budget, et de joindre une attestation de Ciné-Rhône Production."
                ),
            )
            later()
            services.submit_eligibility(candidacy=candidacy, by=candidate)
            later()
            services.accept_eligibility(candidacy=candidacy, by=certifier)
        elif story == S.DOSSIER_SUBMITTED:
            later()
            services.accept_eligibility(candidacy=candidacy, by=certifier)
            later()
            write_dossier(candidacy, INES_DOSSIER)
            submit_dossier(candidacy, place="Montreuil")
        elif story == S.INELIGIBLE:
            later()
            services.reject_eligibility(
                candidacy=candidacy,
                by=certifier,
                comment=(
                    "Votre expérience ne relève ni du secteur audiovisuel ni de la "
                    "comptabilité : le prérequis du CQP n'est pas rempli. Une première "
                    "expérience en administration de production vous permettra de déposer "
                    "une nouvelle demande."
                ),
            )
    return candidacy


def create_demo_candidacies(certifier) -> list[Candidacy]:
    """One candidacy per story, created once (the command can be run again safely)."""
    created = []
    for person, story in STORIES:
        candidate = candidate_account(person.email, person.first_name, person.last_name)
        if not Candidacy.objects.filter(candidate=candidate).exists():
            created.append(_tell(person, story, certifier))
    return created
