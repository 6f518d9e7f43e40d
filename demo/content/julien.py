"""Julien Moreau's livret 2, in progress: some narratives, three pieces, a few links,
not signed (BC3 was validated earlier: he targets BC1 and BC2)."""

from demo.documents import DemoEvidence, budget, cash_plan, employer_certificate
from demo.stories import DemoDossier, DemoLink
from livret.enums import EvidenceKind

CINE_RHONE = {
    "name": "Ciné-Rhône Production",
    "lines": [
        "SARL au capital de 30 000 € — RCS Lyon 000 000 000 (fictif)",
        "18 rue de la Charité, 69002 Lyon",
        "Code APE 5911A — production de films pour la télévision",
    ],
}

JULIEN_DOSSIER = DemoDossier(
    narratives={
        "1.3": (
            "Chez Ciné-Rhône Production, j'établis avec la productrice le devis de chaque "
            "fiction, que j'enregistre ensuite dans Movie Magic Budgeting. Pour « La Traversée "
            "du Rhône » (téléfilm de 90 minutes, 2,35 M€), j'ai contrôlé le devis ligne à ligne "
            "au regard du plan de travail : le nombre de jours de figuration avait été "
            "sous-estimé, soit 14 200 € ; le devis a été corrigé avant son dépôt à la "
            "commission du film Auvergne-Rhône-Alpes."
        ),
        "1.4": (
            "À partir du devis validé, je prépare l'échéancier des dépenses par poste et par "
            "mois, que j'envoie à la productrice et à la banque pour caler le crédit de "
            "trésorerie sur les versements du diffuseur. J'ai ouvert les comptes du téléfilm "
            "auprès de l'URSSAF, d'Audiens et des Congés Spectacles six semaines avant le "
            "tournage."
        ),
        # A draft: too short yet to cover the compétences of this activité.
        "2.3": (
            "Suivi quotidien de la trésorerie pendant les 24 jours de tournage à Lyon et dans "
            "la Drôme. À compléter : appels de fonds auprès de la banque."
        ),
    },
    evidence=[
        DemoEvidence(
            key="devis",
            title="Devis de « La Traversée du Rhône » (synthèse)",
            kind=EvidenceKind.BUDGET,
            filename="devis-traversee-du-rhone.pdf",
            issuer=CINE_RHONE,
            pages=budget(
                film="« La Traversée du Rhône »",
                producer="Ciné-Rhône Production",
                total_label="téléfilm de 90 minutes, 24 jours de tournage",
                chapters=[
                    ("Droits artistiques", 96_000, 0),
                    ("Personnel", 486_500, 402_300),
                    ("Interprétation", 352_000, 214_600),
                    ("Charges sociales", 398_300, 301_200),
                    ("Décors et costumes", 214_600, 198_000),
                    ("Transports, défraiements, régie", 226_900, 210_400),
                    ("Moyens techniques", 188_400, 122_000),
                    ("Postproduction image et son", 167_300, 167_300),
                    ("Assurances et divers", 49_800, 0),
                    ("Frais généraux", 112_200, 0),
                    ("Imprévus", 58_000, 0),
                ],
                columns=["Dont en Auvergne-Rhône-Alpes"],
                detail=[
                    ("Figuration — journées prévues au devis initial", 310, 142),
                    ("Figuration — journées ajoutées après contrôle", 100, 142),
                    ("Doublures et silhouettes", 14, 290),
                ],
                corrections=[("Figuration sous-estimée au plan de travail", 14_200)],
            ),
        ),
        DemoEvidence(
            key="tresorerie",
            title="Plan de trésorerie de « La Traversée du Rhône »",
            kind=EvidenceKind.CASH_PLAN,
            filename="plan-tresorerie-traversee-du-rhone.pdf",
            issuer=CINE_RHONE,
            pages=[
                cash_plan(
                    film="« La Traversée du Rhône »",
                    subtitle="Ciné-Rhône Production — de la préparation à la livraison",
                    opening_note=(
                        "Financement : apport diffuseur 1 450 000 €, Région Auvergne-Rhône-Alpes "
                        "300 000 €, apport producteur 250 000 €, crédit d'impôt audiovisuel "
                        "350 000 €. Crédit de trésorerie de 400 000 € adossé au crédit "
                        "d'impôt : il couvre les soldes négatifs jusqu'à son versement."
                    ),
                    months=[
                        ("Septembre 2025", 725_000, 260_000, "Diffuseur, 1re tranche (50 %)"),
                        ("Octobre 2025", 250_000, 560_000, "Apport producteur"),
                        ("Novembre 2025", 150_000, 420_000, "Région (50 %), tirage du crédit"),
                        ("Décembre 2025", 435_000, 480_000, "Diffuseur, 2e tranche (30 %)"),
                        ("Janvier 2026", 290_000, 310_000, "Diffuseur, solde à la livraison"),
                        ("Février 2026", 150_000, 320_000, "Solde de l'aide régionale"),
                        (
                            "2e trimestre 2026",
                            350_000,
                            0,
                            "Crédit d'impôt, remboursement du crédit",
                        ),
                    ],
                )
            ],
        ),
        DemoEvidence(
            key="attestation",
            title="Attestation employeur — Ciné-Rhône Production",
            kind=EvidenceKind.EMPLOYER_CERTIFICATE,
            filename="attestation-cine-rhone.pdf",
            issuer=CINE_RHONE,
            pages=[
                employer_certificate(
                    place_date="Lyon, le 12 février 2026",
                    signatory="Claire Vasseur",
                    role="Gérante, productrice",
                    paragraphs=[
                        "Je soussignée Claire Vasseur, gérante de Ciné-Rhône Production, atteste "
                        "que Monsieur Julien Moreau est employé par notre société depuis avril "
                        "2011, en qualité de directeur de production adjoint, à temps plein. Il "
                        "assure notamment les missions suivantes :",
                        "Monsieur Moreau organise avec chaque équipe de tournage la circulation "
                        "des informations comptables (bons de commande, feuilles d'heures, notes "
                        "de frais) et adapte cette organisation à chaque plateau.",
                        "Fait pour servir et valoir ce que de droit.",
                    ],
                    missions=[
                        [
                            "Établissement et contrôle des devis de production",
                            "Six fictions unitaires depuis 2018",
                        ],
                        [
                            "Suivi de la trésorerie avec l'établissement bancaire",
                            "« La Traversée du Rhône » (2025)",
                        ],
                        [
                            "Relations avec la commission du film Auvergne-Rhône-Alpes",
                            "Depuis 2014",
                        ],
                    ],
                )
            ],
        ),
    ],
    links=[
        DemoLink(
            "C1.2",
            "L'attestation décrit l'organisation de la circulation des informations que j'adapte "
            "à chaque plateau.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C1.5",
            "Synthèse du devis que j'ai enregistré dans Movie Magic Budgeting.",
            "devis",
            (1, 2),
        ),
        DemoLink(
            "C1.6",
            "La page 2 montre la correction de la figuration après contrôle du devis au regard du "
            "plan de travail.",
            "devis",
            (2, 2),
        ),
        DemoLink(
            "C1.7",
            "Mon récit de l'activité 1.3 explique comment je prépare mes outils de suivi à partir "
            "du devis.",
            activity="1.3",
        ),
        DemoLink(
            "C1.8",
            "Le plan de trésorerie reprend l'échéancier des dépenses que j'ai préparé à partir du "
            "devis.",
            "tresorerie",
            (1, 1),
        ),
        DemoLink(
            "C2.5",
            "Plan de trésorerie mensuel du téléfilm que je tiens avec la banque.",
            "tresorerie",
            (1, 1),
        ),
    ],
)
