"""Mathieu Roche (BC2 only: BC1 and BC3 validated in 2024), whose dossier is under
review, and the four evaluators' grids so far."""

import datetime

from demo.content.evaluators import CERTIF, HELENE, OF, PRO1
from demo.documents import (
    AUDIOVISUAL_AGREEMENT,
    DemoEvidence,
    cash_plan,
    employer_certificate,
    payslip,
)
from demo.stories import DemoCandidate, DemoDossier, DemoLink
from livret.enums import Civility, Domain, EvidenceKind, Sector, Situation, WorkingTime

SILLAGE = {
    "name": "Productions Sillage",
    "lines": [
        "SAS au capital de 40 000 € — RCS Nantes 000 000 000 (fictif)",
        "7 quai de la Fosse, 44000 Nantes",
    ],
}

VENTS_CONTRAIRES = "« Les Vents contraires »"
# A series for television: the audiovisual agreement; Mathieu established the payslips.
SILLAGE_PAYSLIP = {
    "agreement": AUDIOVISUAL_AGREEMENT,
    "note": "Bulletin établi par Mathieu Roche, anonymisé pour son dossier.",
}

# -- Mathieu Roche: BC2, under review -------------------------------------------------------

MATHIEU = DemoCandidate(
    email="mathieu.roche@demo.vae.local",
    first_name="Mathieu",
    last_name="Roche",
    identity={
        "civility": Civility.MONSIEUR,
        "birth_name": "Roche",
        "first_names": "Mathieu Pierre",
        "birth_date": datetime.date(1986, 9, 4),
        "birth_place": "Angers",
        "birth_country": "France",
        "nationality": "Française",
        "address": "15 rue Kervégan",
        "postal_code": "44000",
        "city": "Nantes",
        "country": "France",
        "phone": "06 31 52 74 96",
    },
    experiences=(
        {
            "employer": "Productions Sillage",
            "sector": Sector.AUDIOVISUAL,
            "job_title": "Administrateur de production",
            "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.PAYROLL, Domain.TREASURY],
            "start_date": datetime.date(2013, 1, 7),
            "ongoing": True,
            "working_time": WorkingTime.FULL_TIME,
            "description": (
                "Administration de production de séries de fiction : paie des intermittents, "
                "comptabilité de tournage, trésorerie, déclarations sociales, encadrement d'une "
                "équipe de deux personnes."
            ),
        },
    ),
    situation=Situation.EMPLOYEE_PERMANENT,
    acquired=("BC1", "BC3"),
)

MATHIEU_DOSSIER = DemoDossier(
    narratives={
        "2.1": (
            "Sur « Les Vents contraires » (série de 6 × 52 minutes, 62 jours de tournage à "
            "Nantes et Saint-Nazaire), je collectais chaque lundi les feuilles d'heures des 74 "
            "techniciens et des comédiens, validées par les chefs de poste. Je vérifiais les "
            "heures de nuit et les dépassements avant de les saisir, et je conservais les "
            "feuilles dans un dossier partagé dont j'avais limité les accès.\n\n"
            "J'établissais ensuite la paie hebdomadaire dans le logiciel de paie du spectacle, "
            "ainsi que les notes de droits d'auteur des deux scénaristes et du réalisateur, "
            "pour un paiement chaque jeudi."
        ),
        "2.2": (
            "Pendant le tournage, je traitais les notes de frais de la régie et des "
            "départements (environ 120 par semaine) en les imputant selon le plan comptable du "
            "film, et je réglais les factures des prestataires après accord du directeur de "
            "production, en vérifiant chaque matin le solde disponible.\n\n"
            "Chaque vendredi, je produisais le coût de la semaine par département. Quand la "
            "décoration a dépassé son budget de 18 %, j'ai alerté le directeur de production, "
            "qui a remplacé la construction d'un décor par un décor naturel."
        ),
        "2.3": (
            "Je tenais le plan de trésorerie au jour le jour, en payant d'abord les salaires et "
            "les cotisations, puis les prestataires selon leurs échéances. J'ai préparé trois "
            "appels de fonds sur le crédit de trésorerie adossé au préachat de la chaîne.\n\n"
            "J'identifiais dans la comptabilité les dépenses éligibles au crédit d'impôt "
            "audiovisuel et celles engagées en Pays de la Loire pour le fonds régional, dont "
            "j'ai préparé l'état récapitulatif demandé par la Région."
        ),
        "2.4": (
            "Chaque mois, je réalisais la DSN et les déclarations auprès d'Audiens, des Congés "
            "Spectacles et de l'AFDAS, en rapprochant les montants déclarés des journaux de "
            "paie. J'ai corrigé avant l'envoi une erreur de taux de contribution chômage des "
            "intermittents.\n\n"
            "Le 5 de chaque mois, je transmettais au comptable de la société la TVA déductible "
            "sur les factures payées et la TVA collectée sur les refacturations au coproducteur."
        ),
        "2.5": (
            "Sur la série, j'encadrais une assistante d'administration et un alternant. J'ai "
            "réparti les tâches (notes de frais, contrats, classement), fixé un point quotidien "
            "de quinze minutes et contrôlé chaque semaine un échantillon de leurs saisies.\n\n"
            "Pour l'assistante, malentendante, j'ai remplacé les consignes orales par des "
            "consignes écrites dans notre messagerie et aménagé la disposition du bureau."
        ),
    },
    evidence=[
        DemoEvidence(
            key="paie",
            title="Bulletins de paie — « Les Vents contraires »",
            kind=EvidenceKind.PAYSLIP,
            filename="bulletins-vents-contraires.pdf",
            issuer=SILLAGE,
            pages=[
                payslip(
                    employee="Chef électricien (nom masqué)",
                    job="Chef électricien",
                    project=VENTS_CONTRAIRES,
                    period="du 11 au 17 mars 2024",
                    paid_on="22 mars 2024",
                    hours=39,
                    rate=27.40,
                    overtime=9,
                    **SILLAGE_PAYSLIP,
                ),
                payslip(
                    employee="Assistante réalisatrice (nom masqué)",
                    job="Première assistante réalisatrice",
                    project=VENTS_CONTRAIRES,
                    period="du 18 au 24 mars 2024",
                    paid_on="29 mars 2024",
                    hours=39,
                    rate=31.10,
                    overtime=6,
                    **SILLAGE_PAYSLIP,
                ),
            ],
        ),
        DemoEvidence(
            key="tresorerie",
            title="Plan de trésorerie — « Les Vents contraires »",
            kind=EvidenceKind.CASH_PLAN,
            filename="tresorerie-vents-contraires.pdf",
            issuer=SILLAGE,
            pages=[
                cash_plan(
                    film=VENTS_CONTRAIRES,
                    subtitle="Productions Sillage — tenu au jour le jour, arrêté en fin de mois",
                    opening_note=(
                        "Financement : préachat de la chaîne 2 300 000 €, fonds régional "
                        "Pays de la Loire 350 000 €, crédit d'impôt audiovisuel 720 000 €, "
                        "apport du producteur 730 000 €."
                    ),
                    months=[
                        ("Janvier 2024", 1_150_000, 420_000, "Préachat, 1re tranche"),
                        ("Février 2024", 365_000, 780_000, "Apport producteur (50 %)"),
                        ("Mars 2024", 600_000, 910_000, "Appel de fonds n° 1"),
                        ("Avril 2024", 525_000, 860_000, "Région (50 %), appel n° 2"),
                        ("Mai 2024", 690_000, 540_000, "Préachat, solde"),
                    ],
                )
            ],
        ),
        DemoEvidence(
            key="attestation",
            title="Attestation employeur — Productions Sillage",
            kind=EvidenceKind.EMPLOYER_CERTIFICATE,
            filename="attestation-sillage.pdf",
            issuer=SILLAGE,
            pages=[
                employer_certificate(
                    place_date="Nantes, le 3 février 2026",
                    signatory="Anne Kerjean",
                    role="Présidente, productrice",
                    paragraphs=[
                        "Je soussignée Anne Kerjean atteste que Monsieur Mathieu Roche est "
                        "administrateur de production de notre société depuis janvier 2013 et "
                        "qu'il assure les missions suivantes :",
                        "Il encadre depuis 2021 une équipe d'administration de deux personnes, "
                        "dont il organise et contrôle le travail.",
                    ],
                    missions=[
                        ["Paie des intermittents et droits d'auteur", "Toutes nos séries"],
                        [
                            "Comptabilité de tournage : notes de frais, factures, coûts par "
                            "département",
                            "Toutes nos séries",
                        ],
                        ["Déclarations sociales et état de TVA", "Depuis 2015"],
                        ["Trésorerie et appels de fonds", "« Les Vents contraires » (2024)"],
                    ],
                )
            ],
        ),
    ],
    # compétence -> (evidence key, pages) or (None, activité narrated), justification
    links=[
        DemoLink(
            "C2.1", "Les heures payées viennent des feuilles que j'ai collectées.", "paie", (1, 2)
        ),
        DemoLink("C2.2", "Deux bulletins hebdomadaires que j'ai établis.", "paie", (1, 2)),
        DemoLink("C2.3", "La comptabilité de tournage est attestée.", "attestation", (1, 1)),
        DemoLink(
            "C2.3", "Mon récit décrit le traitement des notes de frais et factures.", activity="2.2"
        ),
        DemoLink("C2.4", "Le suivi des coûts par département est attesté.", "attestation", (1, 1)),
        DemoLink(
            "C2.4", "Le suivi hebdomadaire par département et l'alerte donnée.", activity="2.2"
        ),
        DemoLink("C2.5", "Le plan de trésorerie mensuel que je tenais.", "tresorerie", (1, 1)),
        DemoLink("C2.6", "Le crédit d'impôt figure au plan de financement.", "tresorerie", (1, 1)),
        DemoLink("C2.7", "Le fonds régional figure au plan de financement.", "tresorerie", (1, 1)),
        DemoLink(
            "C2.7", "L'état récapitulatif des dépenses en région, décrit ici.", activity="2.3"
        ),
        DemoLink("C2.8", "L'attestation cite les déclarations sociales.", "attestation", (1, 1)),
        DemoLink("C2.9", "L'attestation cite l'état de TVA transmis.", "attestation", (1, 1)),
        DemoLink("C2.10", "L'encadrement de l'équipe est attesté.", "attestation", (1, 1)),
    ],
)


# Mathieu Roche's grids so far: the two submitted ones in full, the two others partly.
MATHIEU_GRIDS = {
    PRO1: {"*": ("acquis", "Pratique décrite avec précision et appuyée par les pièces.")},
    CERTIF: {
        "*": ("acquis", "Les pièces et le récit établissent la compétence."),
        "C2.7": ("partiel", "L'état récapitulatif pour la Région n'est pas joint."),
    },
    OF: {
        "C2.1": ("acquis", "Collecte hebdomadaire et confidentialité décrites."),
        "C2.2": ("acquis", "Bulletins établis par le candidat, conformes."),
        "C2.5": ("partiel", "Le plan montre le suivi, pas les arbitrages de paiement."),
    },
    HELENE: {
        "C2.1": ("acquis", "Les feuilles d'heures sont vérifiées avant saisie."),
    },
}
