"""The demo's jury: its two members, and three candidates for BC3 (BC1 and BC2 validated
in 2024) whose review is completed and who go before the jury:

- Thomas Garnier and Amina Diallo, convoked to next month's session (Thomas with
  accommodations: extra time and written instructions);
- Élise Marchand, heard at a session held two weeks ago.

Their dossiers follow one pattern (a closing of accounts, an employer's certificate), each
with its own company, film and figures.
"""

import datetime

from demo.documents import FICTION_NOTE, DemoEvidence, employer_certificate, eur, table_block
from demo.stories import DemoCandidate, DemoDossier, DemoLink
from jury.enums import JuryCollege
from livret.enums import Civility, Domain, EvidenceKind, Sector, Situation, WorkingTime

JURY_PASSWORD = "jury-demo"
# The README's demo member (the account exists: DEMO_ACCOUNTS) and a second one.
KARIM = "jury@demo.vae.local"
CLAIRE = "jury.employeur@demo.vae.local"
# email, first name, last name, college, civility, qualified, organisation
JURY_MEMBERS = [
    (
        KARIM,
        "Karim",
        "Benali",
        JuryCollege.EMPLOYEES,
        Civility.MONSIEUR,
        True,
        "Administrateur de production, représentant des salariés (CPNEF de l'audiovisuel)",
    ),
    (
        CLAIRE,
        "Claire",
        "Fontaine",
        JuryCollege.EMPLOYERS,
        Civility.MADAME,
        False,
        "Productrice, représentante des employeurs (CPNEF de l'audiovisuel)",
    ),
]


def demo_candidate(
    email, first, last, civility, born, city, postal_code, address, employer, **extra
):
    """A demo candidate: their account and the identity of their livret 1."""
    return DemoCandidate(
        email=email,
        first_name=first,
        last_name=last,
        identity={
            "civility": civility,
            "birth_name": last,
            "first_names": first,
            "birth_date": born,
            "birth_place": city,
            "birth_country": "France",
            "nationality": "Française",
            "address": address,
            "postal_code": postal_code,
            "city": city,
            "country": "France",
            "phone": "06 00 00 00 00",
        },
        experiences=(
            {
                "employer": employer["name"],
                "sector": Sector.AUDIOVISUAL,
                "job_title": "Administrateur(trice) de production",
                "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.ACCOUNTING],
                "start_date": datetime.date(2012, 9, 1),
                "ongoing": True,
                "working_time": WorkingTime.FULL_TIME,
                "description": (
                    "Administration de films jusqu'à la clôture des comptes : archivage, "
                    "rapprochements paie-comptabilité, situation finale et historique."
                ),
            },
        ),
        situation=Situation.EMPLOYEE_PERMANENT,
        **{"acquired": ("BC1", "BC2"), **extra},
    )


def demo_dossier(*, employer, film, budget, signatory, place_date, pronoun):
    """A BC3 dossier: two narratives, a final cost report and an employer's certificate."""
    return DemoDossier(
        narratives={
            "3.1": (
                f"À la fin du tournage de « {film} », j'ai collecté et classé les contrats, "
                "notes de frais et factures, puis archivé les pièces par chapitre du devis. "
                "J'ai rapproché les journaux de paie de la comptabilité, vérifié les écritures "
                "avant leur transmission au comptable de la société et organisé la sauvegarde "
                "des logiciels de paie et de comptabilité sur le serveur de la production."
            ),
            "3.2": (
                f"J'ai établi la situation finale de « {film} » : dépenses réalisées et à "
                "venir, comparaison au devis chapitre par chapitre, explication des écarts. "
                "J'ai transmis au producteur l'historique complet du dossier, avec la liste "
                "des en-cours et des litiges, un mois après la fin de la postproduction."
            ),
        },
        evidence=[
            DemoEvidence(
                key="situation",
                title=f"Situation finale — « {film} »",
                kind=EvidenceKind.BUDGET,
                filename="situation-finale.pdf",
                issuer=employer,
                pages=[
                    {
                        "title": f"Situation finale des coûts — « {film} »",
                        "subtitle": "Coût définitif comparé au devis initial",
                        "blocks": [
                            table_block(
                                ["Chapitre", "Devis", "Coût définitif"],
                                [
                                    ["Personnel", eur(budget * 0.3), eur(budget * 0.31)],
                                    ["Interprétation", eur(budget * 0.2), eur(budget * 0.19)],
                                    ["Moyens techniques", eur(budget * 0.1), eur(budget * 0.1)],
                                ],
                                numeric=(1, 2),
                            ),
                            {"note": FICTION_NOTE},
                        ],
                    }
                ],
            ),
            DemoEvidence(
                key="attestation",
                title=f"Attestation employeur — {employer['name']}",
                kind=EvidenceKind.EMPLOYER_CERTIFICATE,
                filename="attestation-employeur.pdf",
                issuer=employer,
                pages=[
                    employer_certificate(
                        place_date=place_date,
                        signatory=signatory,
                        role="Gérant, producteur",
                        paragraphs=[
                            f"Je soussigné {signatory} atteste que {pronoun} assure la clôture "
                            "des comptes de nos films depuis 2012 :",
                            "archivage des pièces, sauvegardes, rapprochements, situation "
                            "finale et historique du dossier.",
                        ],
                        missions=[
                            ["Rapprochements paie et comptabilité", "Depuis 2012"],
                            ["Situation finale et historique du dossier", f"« {film} »"],
                        ],
                    )
                ],
            ),
        ],
        links=[
            DemoLink("C3.1", "L'archivage des pièces est attesté.", "attestation", (1, 1)),
            DemoLink("C3.2", "Les rapprochements sont attestés.", "attestation", (1, 1)),
            DemoLink(
                "C3.3", "La situation vient de la comptabilité vérifiée.", "situation", (1, 1)
            ),
            DemoLink("C3.4", "Les sauvegardes sont attestées.", "attestation", (1, 1)),
            DemoLink("C3.4", "Mon récit décrit les sauvegardes organisées.", activity="3.1"),
            DemoLink("C3.5", "La situation finale que j'ai établie.", "situation", (1, 1)),
            DemoLink("C3.6", "L'historique du dossier est attesté.", "attestation", (1, 1)),
            DemoLink("C3.6", "La transmission de l'historique au producteur.", activity="3.2"),
        ],
    )


def _company(name, city_line):
    return {"name": name, "lines": ["SARL — RCS fictif", city_line]}


OUEST = _company("Films de l'Ouest", "5 quai Duguay-Trouin, 35000 Rennes")
LOIRE = _company("Loire Images", "12 rue Kervégan, 44000 Nantes")
GIRONDE = _company("Gironde Pictures", "30 cours de l'Intendance, 33000 Bordeaux")

THOMAS = demo_candidate(
    "thomas.garnier@demo.vae.local", "Thomas", "Garnier", Civility.MONSIEUR,
    datetime.date(1986, 4, 12), "Rennes", "35000", "4 rue de Saint-Malo", OUEST,
    accommodation=(
        "Dyslexie reconnue (RQTH) : je demande un temps supplémentaire et les consignes de "
        "l'entretien par écrit."
    ),
)  # fmt: skip
THOMAS_DOSSIER = demo_dossier(
    employer=OUEST, film="Les Grandes Marées", budget=1_400_000, signatory="Yann Le Goff",
    place_date="Rennes, le 12 janvier 2026", pronoun="Monsieur Thomas Garnier",
)  # fmt: skip

AMINA = demo_candidate(
    "amina.diallo@demo.vae.local", "Amina", "Diallo", Civility.MADAME,
    datetime.date(1989, 10, 3), "Nantes", "44000", "18 rue de Strasbourg", LOIRE,
)  # fmt: skip
AMINA_DOSSIER = demo_dossier(
    employer=LOIRE, film="Le Passeur", budget=900_000, signatory="Hugo Berthier",
    place_date="Nantes, le 5 février 2026", pronoun="Madame Amina Diallo",
)  # fmt: skip

ELISE = demo_candidate(
    "elise.marchand@demo.vae.local", "Élise", "Marchand", Civility.MADAME,
    datetime.date(1980, 7, 28), "Bordeaux", "33000", "7 rue Sainte-Catherine", GIRONDE,
)  # fmt: skip
ELISE_DOSSIER = demo_dossier(
    employer=GIRONDE, film="Vendanges", budget=2_100_000, signatory="Paul Darrieux",
    place_date="Bordeaux, le 8 décembre 2025", pronoun="Madame Élise Marchand",
)  # fmt: skip

# Heard in the past session after Élise; the jury deliberated and both members signed.
HUGO = demo_candidate(
    "hugo.lefevre@demo.vae.local", "Hugo", "Lefèvre", Civility.MONSIEUR,
    datetime.date(1984, 2, 19), "Bordeaux", "33000", "21 cours Victor-Hugo", GIRONDE,
)  # fmt: skip
HUGO_DOSSIER = demo_dossier(
    employer=GIRONDE, film="L'Estuaire", budget=1_750_000, signatory="Paul Darrieux",
    place_date="Bordeaux, le 15 décembre 2025", pronoun="Monsieur Hugo Lefèvre",
)  # fmt: skip

# Every evaluator finds every compétence established: « acquis », with why.
GRIDS = {
    code: {"*": ("acquis", "Le récit et les pièces établissent la compétence.")}
    for code in ("C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6")
}

# Heard in a session five weeks ago, both decided and signed. Leïla had BC1 already; she
# wrote BC2 and BC3 (Inès's dossier, the demo's complete one): the jury validated BC3
# only, and she has started a new candidacy for BC2 (validation partielle).
LEILA = demo_candidate(
    "leila.mercier@demo.vae.local", "Leïla", "Mercier", Civility.MADAME,
    datetime.date(1987, 5, 9), "Lille", "59000", "40 rue Esquermoise", OUEST,
    acquired=("BC1",),
)  # fmt: skip
BC2_CODES = tuple(f"C2.{n}" for n in range(1, 11))
BC3_CODES = ("C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6")
NOT_SHOWN = {"*": ("non_acquis", "Les pièces ne montrent pas la paie du tournage.")}
LEILA_GRIDS = {**dict.fromkeys(BC2_CODES, NOT_SHOWN), **GRIDS}
LEILA_CONSOLIDATION = dict.fromkeys(
    BC2_CODES, ("non_acquis", "Aucune pièce du tournage : la gestion sociale n'est pas établie.")
)
LEILA_TEXTS = (
    "La clôture des comptes est maîtrisée et bien documentée. Sur le tournage, le récit "
    "décrit l'organisation mais aucune pièce ne montre la paie ni les déclarations sociales.",
    "Rassembler pour BC2 les bulletins de paie d'un tournage, les DPAE et une déclaration "
    "AEM que vous avez établis ; une formation courte à la paie des intermittents peut aider.",
)

# Heard in the same session: BC3 was not established; the jury refused, with its advice.
ROMAIN = demo_candidate(
    "romain.petit@demo.vae.local", "Romain", "Petit", Civility.MONSIEUR,
    datetime.date(1991, 11, 23), "Nantes", "44000", "3 rue Crébillon", LOIRE,
)  # fmt: skip
ROMAIN_DOSSIER = demo_dossier(
    employer=LOIRE, film="Marée haute", budget=650_000, signatory="Hugo Berthier",
    place_date="Nantes, le 20 octobre 2025", pronoun="Monsieur Romain Petit",
)  # fmt: skip
VAGUE = {"*": ("non_acquis", "Le récit reste général ; la situation finale manque.")}
ROMAIN_GRIDS = dict.fromkeys(BC3_CODES, VAGUE)
ROMAIN_CONSOLIDATION = dict.fromkeys(
    BC3_CODES, ("non_acquis", "Les quatre évaluateurs concordent : compétence non établie.")
)
ROMAIN_TEXTS = (
    "Le récit décrit la fin de tournage de façon générale ; la situation finale et "
    "l'archivage des pièces ne sont pas démontrés.",
    "Participer à la clôture complète d'un film (situation finale, archivage, transmission "
    "au producteur) puis présenter une nouvelle candidature avec ces pièces.",
)
