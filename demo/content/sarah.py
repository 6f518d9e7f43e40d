"""Sarah Benoît (BC3 only: BC1 and BC2 validated in 2024), whose review is completed:
four grids with a divergence on C3.4, consolidated by the certifier's representative."""

import datetime

from demo.content.evaluators import CERTIF, OF, PRO1, PRO2
from demo.documents import (
    FICTION_NOTE,
    DemoEvidence,
    employer_certificate,
    eur,
    table_block,
)
from demo.stories import DemoCandidate, DemoDossier, DemoLink
from livret.enums import Civility, Domain, EvidenceKind, Sector, Situation, WorkingTime

NORD = {
    "name": "Atelier Nord Films",
    "lines": [
        "SARL au capital de 20 000 € — RCS Lille 000 000 000 (fictif)",
        "22 rue Gambetta, 59000 Lille",
    ],
}

# -- Sarah Benoît: BC3, review completed ----------------------------------------------------

SARAH = DemoCandidate(
    email="sarah.benoit@demo.vae.local",
    first_name="Sarah",
    last_name="Benoît",
    identity={
        "civility": Civility.MADAME,
        "birth_name": "Benoît",
        "first_names": "Sarah",
        "birth_date": datetime.date(1982, 2, 17),
        "birth_place": "Amiens",
        "birth_country": "France",
        "nationality": "Française",
        "address": "9 rue de la Clef",
        "postal_code": "59800",
        "city": "Lille",
        "country": "France",
        "phone": "06 27 41 85 03",
    },
    experiences=(
        {
            "employer": "Atelier Nord Films",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Administratrice de production",
            "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.ACCOUNTING],
            "start_date": datetime.date(2010, 5, 3),
            "ongoing": True,
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Administration de longs métrages et de documentaires, jusqu'à la clôture des "
                "comptes : rapprochements paie-comptabilité, situation finale, archivage."
            ),
        },
    ),
    situation=Situation.EMPLOYEE_PERMANENT,
    acquired=("BC1", "BC2"),
)

SARAH_DOSSIER = DemoDossier(
    narratives={
        "3.1": (
            "À la fin du tournage de « L'Heure bleue » (long métrage, 1,9 M€), j'ai collecté "
            "et classé tous les justificatifs : contrats de travail, notes de frais, factures "
            "en cours et chèques de caution restitués, puis archivé les pièces par chapitre "
            "du devis avant de remettre le dossier à la société de production.\n\n"
            "J'ai rapproché les journaux de paie de la comptabilité et corrigé deux écritures "
            "d'un mois mal imputé. J'ai vérifié les écritures dans le logiciel de comptabilité "
            "avant de les transmettre au comptable de la société, puis contrôlé les sauvegardes "
            "des logiciels de paie et de comptabilité et leur dépôt sur le serveur."
        ),
        "3.2": (
            "Avec le directeur de production, j'ai établi la situation finale de « L'Heure "
            "bleue » : dépenses réalisées, dépenses restant à venir et comparaison au devis "
            "initial, chapitre par chapitre, avec l'explication de chaque écart supérieur à "
            "5 %.\n\n"
            "J'ai transmis au producteur, par le comptable de la société, un historique complet "
            "du dossier trois semaines après la fin de la postproduction, avec la liste des "
            "en-cours et le litige en cours avec un loueur de matériel."
        ),
    },
    evidence=[
        DemoEvidence(
            key="situation",
            title="Situation finale — « L'Heure bleue »",
            kind=EvidenceKind.BUDGET,
            filename="situation-finale-heure-bleue.pdf",
            issuer=NORD,
            pages=[
                {
                    "title": "Situation finale des coûts — « L'Heure bleue »",
                    "subtitle": "Coût définitif comparé au devis initial",
                    "blocks": [
                        table_block(
                            ["Chapitre", "Devis", "Coût définitif", "Écart"],
                            [
                                ["Personnel", eur(512_000), eur(526_400), "+2,8 %"],
                                ["Interprétation", eur(344_000), eur(338_900), "−1,5 %"],
                                ["Décors et costumes", eur(198_000), eur(221_700), "+12,0 %"],
                                ["Moyens techniques", eur(176_500), eur(169_300), "−4,1 %"],
                                ["Postproduction", eur(158_000), eur(161_200), "+2,0 %"],
                            ],
                            numeric=(1, 2, 3),
                        ),
                        {
                            "text": "Écart sur les décors : reconstruction du décor de la "
                            "gare après la tempête de février. En-cours : solde du mixage. "
                            "Litige : caution retenue par un loueur de matériel."
                        },
                        {"note": FICTION_NOTE},
                    ],
                }
            ],
        ),
        DemoEvidence(
            key="attestation",
            title="Attestation employeur — Atelier Nord Films",
            kind=EvidenceKind.EMPLOYER_CERTIFICATE,
            filename="attestation-atelier-nord.pdf",
            issuer=NORD,
            pages=[
                employer_certificate(
                    place_date="Lille, le 20 janvier 2026",
                    signatory="Olivier Deschamps",
                    role="Gérant, producteur",
                    paragraphs=[
                        "Je soussigné Olivier Deschamps atteste que Madame Sarah Benoît est "
                        "administratrice de production de notre société depuis mai 2010 et "
                        "qu'elle assure la clôture des comptes de nos films :",
                        "Elle met en place l'archivage des pièces et des sauvegardes des "
                        "logiciels de comptabilité et de paie à la fin de chaque production.",
                    ],
                    missions=[
                        ["Rapprochements paie et comptabilité", "Tous nos films depuis 2012"],
                        ["Classement et archivage des pièces du film", "Depuis 2010"],
                        ["Situation finale et historique du dossier", "« L'Heure bleue » (2025)"],
                    ],
                )
            ],
        ),
    ],
    links=[
        DemoLink(
            "C3.1", "L'archivage des pièces en fin de film est attesté.", "attestation", (1, 1)
        ),
        DemoLink(
            "C3.1", "Mon récit décrit la collecte, le classement et l'archivage.", activity="3.1"
        ),
        DemoLink(
            "C3.2", "Les rapprochements paie-comptabilité sont attestés.", "attestation", (1, 1)
        ),
        DemoLink(
            "C3.3", "La situation est issue de la comptabilité vérifiée.", "situation", (1, 1)
        ),
        DemoLink("C3.4", "L'attestation cite l'archivage des sauvegardes.", "attestation", (1, 1)),
        DemoLink("C3.5", "La situation finale que j'ai établie.", "situation", (1, 1)),
        DemoLink("C3.6", "Les en-cours et le litige transmis au producteur.", "situation", (1, 1)),
        DemoLink("C3.6", "La transmission de l'historique au producteur.", activity="3.2"),
    ],
)


# Sarah Benoît's grids: every evaluator's rating and why, per compétence. C3.4 divides
# the panel (acquis next to non acquis): the consolidation settles it as « partiel ».
SARAH_GRIDS = {
    "C3.1": {
        "*": ("acquis", "Le récit décrit une collecte et un archivage complets, par chapitre."),
    },
    "C3.2": {
        "*": ("acquis", "Le rapprochement paie-comptabilité est décrit, avec l'erreur corrigée."),
        OF: ("partiel", "Le récit ne dit rien de la vérification des taux et plafonds."),
    },
    "C3.3": {
        "*": ("acquis", "La situation finale repose sur une comptabilité vérifiée et transmise."),
    },
    "C3.4": {
        PRO1: ("acquis", "L'attestation et le récit montrent le contrôle des sauvegardes."),
        PRO2: ("non_acquis", "Aucune pièce ne montre le système d'archivage mis en place."),
        OF: ("partiel", "Le contrôle est cité, mais pas l'organisation de l'archivage."),
        CERTIF: ("acquis", "L'attestation de l'employeur suffit à établir la pratique."),
    },
    "C3.5": {
        "*": ("acquis", "Situation finale détaillée, écarts expliqués au-delà de 5 %."),
    },
    "C3.6": {
        "*": ("acquis", "Historique transmis dans les délais, avec en-cours et litige."),
    },
}
SARAH_CONSOLIDATION = {
    "C3.4": (
        "partiel",
        "Le contrôle des sauvegardes est attesté, mais rien ne montre l'organisation de "
        "l'archivage : « partiellement acquis », à vérifier lors de l'entretien.",
    ),
}
