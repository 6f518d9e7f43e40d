"""Demo candidacies in several states, with realistic French livrets.

States are reached through the real services (so the history, the actors and the
e-mails are those the platform would produce), never by writing the state column.
"""

import datetime

from django.utils import timezone

from demo.dossiers import fill_demo_dossier
from livret.dossier.services import sign
from livret.enums import Civility, Domain, Sector, Situation, TrainingOutcome, WorkingTime
from referentiel.models import Certification
from vae import services
from vae.enums import Role
from vae.models import AcquiredBloc, Candidacy, User
from vae.roles import assign_role

DEMO_CANDIDATE_PASSWORD = "candidat-demo"

IDENTITIES = {
    "candidat@demo.vae.local": {
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
    "nadia.haddad@demo.vae.local": {
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
    "julien.moreau@demo.vae.local": {
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
    "lucie.perrin@demo.vae.local": {
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
    "ines.lambert@demo.vae.local": {
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
}

EXPERIENCES = {
    "candidat@demo.vae.local": [
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
    ],
    "nadia.haddad@demo.vae.local": [
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
    ],
    "julien.moreau@demo.vae.local": [
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
    ],
    "lucie.perrin@demo.vae.local": [
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
    ],
    "ines.lambert@demo.vae.local": [
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
    ],
}

# email, first name, last name, the story of their candidacy
STORIES = [
    ("candidat@demo.vae.local", "Camille", "Martin", "draft"),
    ("nadia.haddad@demo.vae.local", "Nadia", "Haddad", "eligibility_submitted"),
    ("julien.moreau@demo.vae.local", "Julien", "Moreau", "eligible"),
    ("lucie.perrin@demo.vae.local", "Lucie", "Perrin", "ineligible"),
    ("ines.lambert@demo.vae.local", "Inès", "Lambert", "dossier_submitted"),
]


def _candidate(email, first_name, last_name):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_CANDIDATE_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
    assign_role(user, Role.CANDIDATE)
    return user


def _fill_livret(candidacy, email, *, complete):
    request = candidacy.eligibility_request
    for field, value in IDENTITIES[email].items():
        setattr(request, field, value)
    request.identity_saved_at = timezone.now()
    for experience in EXPERIENCES[email]:
        request.experiences.create(**experience)
    if complete:
        request.situation = Situation.INTERMITTENT
        request.situation_saved_at = timezone.now()
        if email == "nadia.haddad@demo.vae.local":
            request.trainings.create(
                title="BTS Comptabilité et gestion", organisation="Lycée Marseilleveyre",
                year=2004, outcome=TrainingOutcome.OBTAINED,
            )  # fmt: skip
        else:
            request.no_training = True
        request.needs_accommodation = email == "julien.moreau@demo.vae.local"
        if request.needs_accommodation:
            request.accommodation_details = (
                "Malentendant appareillé : merci de prévoir un entretien en salle calme et "
                "de me transmettre les consignes par écrit."
            )
        request.accommodation_saved_at = timezone.now()
        request.sign(name=f"{request.first_names} {request.birth_name}", place=request.city)
    request.save()


def _submit_dossier(candidacy, candidate):
    """Livret 2 written in full (``demo.dossiers``), signed and submitted by the candidate."""
    dossier = fill_demo_dossier(candidacy)
    sign(dossier=dossier, by=candidate, name=candidate.get_full_name(), place="Montreuil")
    services.submit_dossier(candidacy=candidacy, by=candidate)


def create_demo_candidacies(certifier) -> list[Candidacy]:
    """One candidacy per story, created once (the command can be run again safely)."""
    created = []
    for email, first_name, last_name, story in STORIES:
        candidate = _candidate(email, first_name, last_name)
        if Candidacy.objects.filter(candidate=candidate).exists():
            continue
        if email == "julien.moreau@demo.vae.local":
            # Validated BC3 in an earlier session: his candidacy targets BC1 and BC2 only.
            bloc = Certification.objects.current().blocs.get(code="BC3")
            AcquiredBloc.objects.get_or_create(
                candidate=candidate,
                certification_code=bloc.certification.code,
                bloc_code=bloc.code,
                defaults={"bloc_title": bloc.title, "acquired_on": datetime.date(2024, 6, 28)},
            )
        candidacy = services.start_candidacy(candidate=candidate)
        _fill_livret(candidacy, email, complete=story != "draft")
        if story == "draft":
            created.append(candidacy)
            continue
        services.submit_eligibility(candidacy=candidacy, by=candidate)
        if story == "eligible":
            services.return_eligibility(
                candidacy=candidacy,
                by=certifier,
                comment=(
                    "Merci de préciser le nombre de films sur lesquels vous avez établi le "
                    "budget, et de joindre une attestation de Ciné-Rhône Production."
                ),
            )
            services.submit_eligibility(candidacy=candidacy, by=candidate)
            services.accept_eligibility(candidacy=candidacy, by=certifier)
        elif story == "dossier_submitted":
            services.accept_eligibility(candidacy=candidacy, by=certifier)
            _submit_dossier(candidacy, candidate)
        elif story == "ineligible":
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
        created.append(candidacy)
    return created
