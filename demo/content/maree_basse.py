"""Inès Lambert's evidence: the documents of « Marée basse », a long métrage she
administered from its preparation to its closing (payslips, devis, cash plan, schedule of
declarations, her employer's certificate, the final statement of costs)."""

from demo.documents import (
    FICTION_NOTE,
    DemoEvidence,
    budget,
    cash_plan,
    employer_certificate,
    eur,
    payslip,
    percent,
    signed_eur,
    table_block,
)
from livret.enums import EvidenceKind

ESTRAN = {
    "name": "Les Films de l'Estran",
    "lines": [
        "SAS au capital de 50 000 € — RCS Saint-Malo 000 000 000 (fictif)",
        "12 quai Duguay-Trouin, 35400 Saint-Malo",
        "Code APE 5911C — production de films pour le cinéma",
    ],
}

MAREE_CHAPTERS = [
    # label, devis, of which spent in Brittany, of which eligible to the tax credit
    ("Droits artistiques", 142_000, 0, 120_000),
    ("Personnel", 612_300, 402_000, 598_000),
    ("Interprétation", 398_500, 118_000, 310_000),
    ("Charges sociales", 486_200, 291_000, 468_000),
    ("Décors et costumes", 268_400, 226_000, 250_000),
    ("Transports, défraiements, régie", 241_700, 205_000, 198_000),
    ("Moyens techniques", 214_800, 96_000, 205_000),
    ("Postproduction image et son", 176_200, 0, 176_200),
    ("Assurances et divers", 58_900, 12_000, 0),
    ("Frais généraux", 135_600, 0, 0),
    ("Imprévus", 80_000, 0, 0),
]
# Final cost of each chapter of « Marée basse », in the same order.
MAREE_FINAL = [
    142_000,
    618_700,
    396_400,
    490_100,
    292_600,
    207_900,
    209_500,
    183_600,
    57_700,
    135_600,
    62_200,
]


def _final_statement():
    rows = []
    for (label, devis, *_extra), final in zip(MAREE_CHAPTERS, MAREE_FINAL, strict=True):
        gap = final - devis
        rows.append([label, eur(devis), eur(final), signed_eur(gap), percent(100 * gap / devis)])
    devis_total = sum(chapter[1] for chapter in MAREE_CHAPTERS)
    final_total = sum(MAREE_FINAL)
    gap_total = final_total - devis_total
    return {
        "title": "Situation finale des coûts — « Marée basse »",
        "subtitle": "Long métrage — coût définitif au 14 mars 2025, comparé au devis initial",
        "blocks": [
            table_block(
                ["Chapitre", "Devis", "Coût définitif", "Écart", "Écart en %"],
                rows,
                foot=[
                    "Total",
                    eur(devis_total),
                    eur(final_total),
                    signed_eur(gap_total),
                    percent(100 * gap_total / devis_total),
                ],
                numeric=(1, 2, 3, 4),
            ),
            {
                "text": (
                    "Principaux écarts : décors (+9 %), deux jours de construction "
                    "supplémentaires pour le décor du phare ; régie (−14 %), hébergement "
                    "négocié au forfait à Cancale ; imprévus mobilisés pour la journée de "
                    "tournage reportée pour cause de tempête."
                )
            },
            {
                "text": (
                    "En-cours transmis au producteur : solde de l'étalonnage (6 200 €, facture "
                    "attendue en avril 2025). Litige en cours : franchise de 2 400 € réclamée "
                    "par le loueur de véhicules pour un sinistre contesté, dossier transmis à "
                    "l'assureur."
                )
            },
            {"note": FICTION_NOTE},
        ],
    }


EVIDENCE = [
    DemoEvidence(
        key="paie",
        title="Bulletins de paie établis pendant le tournage de « Marée basse » (anonymisés)",
        kind=EvidenceKind.PAYSLIP,
        filename="bulletins-paie-maree-basse-juin-2024.pdf",
        issuer=ESTRAN,
        pages=[
            payslip(
                employee="Salarié A",
                job="Chef électricien",
                period="du 3 au 9 juin 2024",
                hours=39,
                rate=31.68,
                overtime=8,
                night=4,
                paid_on="14 juin 2024",
                project="« Marée basse »",
            ),
            payslip(
                employee="Salariée B",
                job="Première assistante réalisatrice",
                period="du 3 au 9 juin 2024",
                hours=39,
                rate=38.52,
                overtime=6,
                night=0,
                paid_on="14 juin 2024",
                project="« Marée basse »",
            ),
        ],
    ),
    DemoEvidence(
        key="devis",
        title="Devis de production de « Marée basse » (récapitulatif et corrections)",
        kind=EvidenceKind.BUDGET,
        filename="devis-maree-basse.pdf",
        issuer=ESTRAN,
        pages=budget(
            film="« Marée basse »",
            producer="Les Films de l'Estran",
            total_label="long métrage, 38 jours de tournage",
            chapters=MAREE_CHAPTERS,
            columns=["Dont en Bretagne", "Dont éligible CI"],
            detail=[
                ("Chef électricien — 8 semaines", 8, 1_520),
                ("Électriciens (3) — 8 semaines", 24, 1_240),
                ("Machinistes (2) — 8 semaines", 16, 1_210),
                ("Location grue télescopique — 4 jours", 4, 2_400),
                ("Majoration heures de nuit équipe électrique", 1, 8_800),
            ],
            corrections=[
                ("Location de grue : 4 jours comptés deux fois", -9_600),
                ("Heures de nuit de l'équipe électrique non majorées", 8_800),
            ],
        ),
    ),
    DemoEvidence(
        key="tresorerie",
        title="Plan de trésorerie de « Marée basse »",
        kind=EvidenceKind.CASH_PLAN,
        filename="plan-tresorerie-maree-basse.pdf",
        issuer=ESTRAN,
        pages=[
            cash_plan(
                film="« Marée basse »",
                subtitle="Les Films de l'Estran — de la préparation à la livraison",
                opening_note=(
                    "Financement : apport producteur 420 000 €, préachat 700 000 €, "
                    "coproduction belge 380 000 €, Région Bretagne 450 000 €, minimum "
                    "garanti distributeur 344 600 €, crédit d'impôt cinéma 520 000 €. "
                    "Crédit de trésorerie bancaire de 600 000 € adossé au préachat."
                ),
                months=[
                    (
                        "Avril 2024",
                        770_000,
                        180_000,
                        "Apport producteur, 1er versement préachat",
                    ),
                    ("Mai 2024", 380_000, 640_000, "Appel de fonds coproducteur"),
                    ("Juin 2024", 525_000, 820_000, "Région (50 %) et tirage crédit"),
                    ("Juillet 2024", 300_000, 310_000, "Second tirage du crédit"),
                    ("Août 2024", 172_300, 95_000, "Minimum garanti (50 %)"),
                    ("Septembre 2024", 225_000, 210_000, "Solde de l'aide régionale"),
                    ("Octobre 2024", 172_300, 185_000, "Solde du minimum garanti"),
                    ("Novembre 2024", 350_000, 190_400, "Solde du préachat"),
                    ("Décembre 2024", 0, 184_200, "Livraison"),
                    (
                        "1er trimestre 2025",
                        520_000,
                        600_000,
                        "Crédit d'impôt ; remboursement du crédit",
                    ),
                ],
            )
        ],
    ),
    DemoEvidence(
        key="echeancier",
        title="Échéancier des déclarations sociales et fiscales de « Marée basse »",
        kind=EvidenceKind.SCHEDULE,
        filename="echeancier-declarations-maree-basse.pdf",
        issuer=ESTRAN,
        pages=[
            {
                "title": "Échéancier des déclarations sociales et fiscales",
                "subtitle": "« Marée basse » — comptes ouverts et échéances tenues",
                "blocks": [
                    table_block(
                        ["Date", "Organisme", "Objet", "Montant"],
                        [
                            [
                                "02/04/2024",
                                "URSSAF Bretagne",
                                "Ouverture du compte employeur du film (n° 537 000 482 915)",
                                "—",
                            ],
                            [
                                "02/04/2024",
                                "Audiens",
                                "Adhésion retraite complémentaire et prévoyance (contrat "
                                "AUD-2024-118452)",
                                "—",
                            ],
                            [
                                "03/04/2024",
                                "Congés Spectacles",
                                "Affiliation de l'employeur (n° 20418773)",
                                "—",
                            ],
                            [
                                "03/04/2024",
                                "France Travail",
                                "Compte employeur annexes 8 et 10",
                                "—",
                            ],
                            [
                                "05/06/2024",
                                "DSN de mai 2024",
                                "URSSAF, Audiens, France Travail, Congés Spectacles",
                                eur(186_420),
                            ],
                            [
                                "14/06/2024",
                                "Cabinet comptable",
                                "TVA déductible de mai transmise",
                                eur(74_230),
                            ],
                            [
                                "05/07/2024",
                                "DSN de juin 2024",
                                "URSSAF, Audiens, France Travail, Congés Spectacles",
                                eur(241_960),
                            ],
                            [
                                "15/07/2024",
                                "Cabinet comptable",
                                "TVA déductible de juin transmise",
                                eur(96_180),
                            ],
                            [
                                "05/08/2024",
                                "DSN de juillet 2024",
                                "URSSAF, Audiens, France Travail, Congés Spectacles",
                                eur(58_310),
                            ],
                            [
                                "14/08/2024",
                                "Cabinet comptable",
                                "TVA déductible de juillet transmise",
                                eur(41_905),
                            ],
                        ],
                        numeric=(3,),
                    ),
                    {"note": FICTION_NOTE},
                ],
            }
        ],
    ),
    DemoEvidence(
        key="attestation",
        title="Attestation employeur — Les Films de l'Estran",
        kind=EvidenceKind.EMPLOYER_CERTIFICATE,
        filename="attestation-films-de-l-estran.pdf",
        issuer=ESTRAN,
        pages=[
            employer_certificate(
                place_date="Saint-Malo, le 6 janvier 2026",
                signatory="Paul Kerjean",
                role="Gérant, producteur délégué",
                paragraphs=[
                    "Je soussigné Paul Kerjean, gérant de la société Les Films de l'Estran, "
                    "atteste que Madame Inès Lambert est employée par notre société en "
                    "qualité d'administratrice de production, sous contrats à durée "
                    "déterminée d'usage successifs, depuis mars 2015. Elle a notamment "
                    "assuré les missions suivantes :",
                    "Sur « Marée basse », Madame Lambert était présente sur le plateau deux "
                    "jours par semaine et a organisé la remontée hebdomadaire des feuilles "
                    "d'heures et des notes de frais, dont elle a assuré la confidentialité.",
                    "Fait pour servir et valoir ce que de droit.",
                ],
                missions=[
                    [
                        "Ouverture et paramétrage du plan comptable analytique du film",
                        "« Marée basse » (2024)",
                    ],
                    [
                        "Collecte des feuilles d'heures, paie des intermittents, DSN",
                        "« Marée basse », « Les Bâtisseurs »",
                    ],
                    [
                        "Comptabilité de tournage, paiement des fournisseurs, rapprochements "
                        "bancaires",
                        "« Marée basse » (2024)",
                    ],
                    [
                        "Encadrement d'une assistante d'administration et d'une stagiaire",
                        "« Les Bâtisseurs » (2022-2023)",
                    ],
                    [
                        "Dossier de clôture complet, archivage et vérification des sauvegardes",
                        "« Marée basse » (2025)",
                    ],
                ],
            )
        ],
    ),
    DemoEvidence(
        key="situation",
        title="Situation finale des coûts de « Marée basse »",
        kind=EvidenceKind.OTHER,
        filename="situation-finale-maree-basse.pdf",
        issuer=ESTRAN,
        pages=[_final_statement()],
    ),
]
