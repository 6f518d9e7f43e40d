"""Demo livrets 2: realistic French narratives, real PDF evidence, links to the compétences.

Two demo candidates have one:
- Julien Moreau (« Recevable »): a dossier in progress — some narratives, three pieces,
  a few links, not signed (``create_demo_dossiers``, run by ``manage.py demo``);
- Inès Lambert: a complete dossier, which her story in ``demo.candidacies`` signs and
  submits (``fill_demo_dossier``).

The evidence files are small PDFs rendered with WeasyPrint from
``templates/livret/pdf/demo/document.html`` (payslips, budgets, cash plans, an employer's
certificate...), stored like an upload (SHA-256, size, pages counted by pypdf) and their
text extracted by the same task as an upload's. Every figure is fictional and each page
says so.
"""

import hashlib
import io
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from pypdf import PdfReader

from livret.dossier.pdf import render_template_pdf
from livret.dossier.services import dossier_for, editing
from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import CompetenceLink, Evidence, Narrative, NoEvidenceReason
from vae.enums import CandidacyState
from vae.models import Candidacy

DOCUMENT_TEMPLATE = "livret/pdf/demo/document.html"
FICTION_NOTE = (
    "Document fictif créé pour la démonstration de la plateforme VAE : personnes, sociétés "
    "et montants sont imaginaires."
)

IN_PROGRESS_EMAIL = "julien.moreau@demo.vae.local"
SUBMITTED_EMAIL = "ines.lambert@demo.vae.local"


def eur(amount) -> str:
    """12 480,5 → « 12 480,50 € » (non-breaking spaces: an amount never wraps)."""
    sign = "−" if amount < 0 else ""
    whole, cents = divmod(round(abs(amount) * 100), 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{cents:02d}\u00a0€"


def signed_eur(amount) -> str:
    return ("+" if amount > 0 else "") + eur(amount)


def percent(value) -> str:
    return f"{value:.2f}".replace(".", ",") + "\u00a0%"


# -- documents -----------------------------------------------------------------------------


def table_block(head, rows, foot=None, numeric=()):
    return {"table": {"head": head, "rows": rows, "foot": foot, "numeric": list(numeric)}}


def _payslip(*, employee, job, period, hours, rate, overtime, night, paid_on, project):
    """One payslip page: base hours, overtime at 25 %, night hours at 50 %."""
    lines = [
        (label, quantity, unit)
        for label, quantity, unit in [
            ("Salaire de base", hours, rate),
            ("Heures supplémentaires majorées à 25 %", overtime, rate * 1.25),
            ("Heures de nuit majorées à 50 %", night, rate * 1.5),
        ]
        if quantity
    ]
    gross = round(sum(quantity * unit for _label, quantity, unit in lines), 2)
    contributions = [
        ("Sécurité sociale et chômage", 0.0730),
        ("Retraite complémentaire et prévoyance (Audiens)", 0.0441),
        ("CSG et CRDS (sur 98,25 % du brut)", 0.0970 * 0.9825),
    ]
    deductions = [(label, round(gross * share, 2)) for label, share in contributions]
    net = round(gross - sum(amount for _label, amount in deductions), 2)
    tax = round(net * 0.045, 2)
    rows = [
        [label, f"{quantity} h", eur(unit), eur(quantity * unit)] for label, quantity, unit in lines
    ]
    rows.append(["Salaire brut", "", "", eur(gross)])
    rows += [[label, eur(gross), "", "−" + eur(amount)] for label, amount in deductions]
    rows.append(["Net à payer avant impôt sur le revenu", "", "", eur(net)])
    rows.append(
        ["Impôt sur le revenu prélevé à la source", eur(net), "4,50\u00a0%", "−" + eur(tax)]
    )
    return {
        "title": "Bulletin de paie",
        "subtitle": f"{project} — période {period} — payé le {paid_on}",
        "recipient_lines": [employee, job, "Contrat à durée déterminée d'usage"],
        "blocks": [
            {
                "text": (
                    "Convention collective nationale de la production cinématographique "
                    "(IDCC 3097) — annexe des techniciens. Cotisations congés payés versées "
                    "à la caisse des Congés Spectacles."
                )
            },
            table_block(
                ["Rubrique", "Base / quantité", "Taux", "Montant"],
                rows,
                foot=["Net payé", "", "", eur(net - tax)],
                numeric=(1, 2, 3),
            ),
            {
                "note": "Bulletin anonymisé par la candidate pour son dossier de VAE. "
                + FICTION_NOTE
            },
        ],
    }


def _budget(*, film, producer, total_label, chapters, columns, detail, corrections):
    """A devis summary (chapters with analytic columns) and a detail page with corrections."""
    rows, totals = [], [0] * (1 + len(columns))
    for number, (label, amount, *extra) in enumerate(chapters, start=1):
        values = [amount, *extra]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([str(number), label, *[eur(v) for v in values]])
    numeric = range(2, 3 + len(columns))
    detail_rows = [[label, str(qty), eur(unit), eur(qty * unit)] for label, qty, unit in detail]
    detail_total = sum(qty * unit for _label, qty, unit in detail)
    return [
        {
            "title": f"Devis de production — {film}",
            "subtitle": f"{producer} — {total_label} — récapitulatif par chapitre",
            "blocks": [
                table_block(
                    ["N°", "Chapitre", "Montant", *columns],
                    rows,
                    foot=["", "Total", *[eur(t) for t in totals]],
                    numeric=numeric,
                ),
                {"note": FICTION_NOTE},
            ],
        },
        {
            "title": f"Devis de production — {film} (suite)",
            "subtitle": "Extrait du détail et corrections apportées après contrôle",
            "blocks": [
                table_block(
                    ["Poste", "Quantité", "Coût unitaire", "Montant"],
                    detail_rows,
                    foot=["Sous-total de l'extrait", "", "", eur(detail_total)],
                    numeric=(1, 2, 3),
                ),
                table_block(
                    ["Correction", "Incidence"],
                    [[label, signed_eur(amount)] for label, amount in corrections],
                    numeric=(1,),
                ),
                {"note": FICTION_NOTE},
            ],
        },
    ]


def _cash_plan(*, film, producer, months, opening_note):
    """Monthly receipts, payments and closing balance, computed so that they add up."""
    balance, rows = 0, []
    for month, receipts, payments, comment in months:
        balance += receipts - payments
        rows.append([month, eur(receipts), eur(payments), eur(balance), comment])
    total_in = sum(m[1] for m in months)
    total_out = sum(m[2] for m in months)
    return {
        "title": f"Plan de trésorerie — {film}",
        "subtitle": f"{producer} — de la préparation à la livraison",
        "blocks": [
            {"text": opening_note},
            table_block(
                ["Mois", "Encaissements", "Décaissements", "Solde fin de mois", "Commentaire"],
                rows,
                foot=["Total", eur(total_in), eur(total_out), eur(balance), ""],
                numeric=(1, 2, 3),
            ),
            {"note": FICTION_NOTE},
        ],
    }


def employer_certificate(*, place_date, signatory, role, paragraphs, missions, recipient_lines):
    return {
        "title": "Attestation employeur",
        "recipient_lines": recipient_lines,
        "blocks": [
            {"text": paragraphs[0]},
            table_block(["Missions confiées", "Projets"], missions),
            *[{"text": text} for text in paragraphs[1:]],
            {"note": FICTION_NOTE},
        ],
        "signature": {"place_date": place_date, "name": signatory, "role": role},
    }


ESTRAN = {
    "name": "Les Films de l'Estran",
    "lines": [
        "SAS au capital de 50 000 € — RCS Saint-Malo 000 000 000 (fictif)",
        "12 quai Duguay-Trouin, 35400 Saint-Malo",
        "Code APE 5911C — production de films pour le cinéma",
    ],
}
CINE_RHONE = {
    "name": "Ciné-Rhône Production",
    "lines": [
        "SARL au capital de 30 000 € — RCS Lyon 000 000 000 (fictif)",
        "18 rue de la Charité, 69002 Lyon",
        "Code APE 5911A — production de films pour la télévision",
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


# -- content of each demo dossier ---------------------------------------------------------


@dataclass
class DemoEvidence:
    key: str
    title: str
    kind: str
    filename: str
    issuer: dict
    pages: list


@dataclass
class DemoLink:
    competence: str
    justification: str
    evidence: str = ""  # key of a DemoEvidence, or "" for a narrative link
    pages: tuple = (None, None)
    activity: str = ""  # code of the narrated activité, for a narrative link


@dataclass
class DemoDossier:
    narratives: dict
    evidence: list
    links: list
    no_evidence: dict = field(default_factory=dict)


INES = DemoDossier(
    narratives={
        "1.1": (
            "Pour « Marée basse » (long métrage, 2,8 M€, 38 jours de tournage entre Saint-Malo "
            "et Cancale), j'ai ouvert le dossier comptable du film dès la signature de la "
            "convention de coproduction : récupération du plan de financement, des contrats "
            "de coproduction et de la convention avec la Région Bretagne, puis création du "
            "plan comptable analytique du film à partir du plan comptable général adapté à la "
            "production audiovisuelle.\n\n"
            "Avant la préparation, j'ai rencontré le directeur de production et la régisseuse "
            "générale pour comprendre l'organisation du plateau : qui valide les dépenses de "
            "chaque département, à quel rythme remontent les feuilles d'heures et les notes "
            "de frais, comment circulent les bons de commande."
        ),
        "1.2": (
            "Le financement de « Marée basse » reposait sur un apport du producteur, un "
            "préachat de chaîne, un coproducteur belge, l'aide de la Région Bretagne "
            "(conditionnée à des dépenses en région) et le crédit d'impôt cinéma. J'ai traduit "
            "ces mécanismes en règles de suivi : un code analytique « dépense en Bretagne » et "
            "un code « éligible au crédit d'impôt » sur chaque ligne du devis.\n\n"
            "J'ai mis en place un tableau de bord hebdomadaire (coûts engagés, payés, reste à "
            "engager par poste) et une procédure de validation des factures. Quand le tournage "
            "a été décalé d'une journée à cause d'une tempête, j'ai recalculé le plan de "
            "trésorerie et l'échéancier des salaires dans la journée."
        ),
        "1.3": (
            "J'ai saisi dans Movie Magic Budgeting le devis établi par le directeur de "
            "production (2 814 600 €) et je l'ai contrôlé au regard du dépouillement du "
            "scénario. J'ai relevé deux erreurs représentant 18 400 € au total : quatre jours "
            "de location de grue comptés deux fois, et des heures de nuit de l'équipe "
            "électrique non majorées. Nous les avons corrigées ensemble avant le dépôt du "
            "devis à la Région.\n\n"
            "J'ai ensuite paramétré la paie dans le logiciel de paie du spectacle (fiches "
            "salariés, convention collective, taux Audiens et Congés Spectacles) et créé avec "
            "la secrétaire de production les modèles de feuilles d'heures et de notes de frais "
            "utilisés pendant le tournage."
        ),
        "1.4": (
            "À partir du devis, j'ai établi l'échéancier des dépenses par poste et par mois, "
            "transmis au producteur, à la banque (crédit de trésorerie adossé au préachat) et "
            "à la Région pour organiser les versements. J'ai ouvert les comptes du film auprès "
            "de l'URSSAF, d'Audiens, des Congés Spectacles et de France Travail six semaines "
            "avant le premier jour de tournage, pour pouvoir déclarer dès la première paie."
        ),
        "1.5": (
            "Je suis abonnée aux lettres d'information d'Audiens et du CNC, et je consulte "
            "chaque mois le Bulletin officiel de la sécurité sociale et les avenants de la "
            "convention collective de la production cinématographique. En janvier 2024, j'ai "
            "ainsi intégré avant la première paie la revalorisation des salaires minima "
            "conventionnels et le nouveau plafond de la sécurité sociale, et j'ai informé "
            "l'équipe de production du changement de taux de la contribution formation."
        ),
        "2.1": (
            "Chaque lundi du tournage, je collectais auprès des chefs de poste les feuilles "
            "d'heures de la semaine écoulée, signées par le salarié et son chef de poste. Je "
            "vérifiais les heures supplémentaires, les heures de nuit et les jours fériés au "
            "regard de la convention collective, puis j'établissais les bulletins de paie des "
            "62 salariés intermittents et les notes de droits d'auteur du réalisateur et de la "
            "scénariste.\n\n"
            "Les documents restaient dans une armoire fermée à clé et dans un dossier partagé "
            "dont j'étais seule à gérer les accès."
        ),
        "2.2": (
            "J'ai tenu la comptabilité du film : saisie des factures et des notes de frais, "
            "rapprochement bancaire hebdomadaire, paiement des fournisseurs selon les échéances "
            "négociées. Chaque vendredi, j'adressais au directeur de production l'état des "
            "coûts par département (engagé, payé, reste à engager, prévision de fin). En "
            "quatrième semaine, le dépassement de 12 % du poste décors m'a conduite à proposer "
            "un report d'économies sur la régie, validé par la production."
        ),
        "2.3": (
            "Je mettais à jour le plan de trésorerie chaque jour du tournage, en classant les "
            "paiements par priorité : salaires et cotisations d'abord, puis loueurs et "
            "prestataires. J'ai préparé les appels de fonds auprès de la banque et du "
            "coproducteur belge, et qualifié dans la comptabilité les dépenses éligibles au "
            "crédit d'impôt cinéma et à l'aide de la Région Bretagne, avec un état récapitulatif "
            "transmis au producteur à chaque fin de mois."
        ),
        "2.4": (
            "J'ai établi et transmis chaque mois la DSN du film (URSSAF, Audiens, Congés "
            "Spectacles, France Travail) et contrôlé les comptes rendus de traitement ; une "
            "anomalie sur le taux accident du travail d'un salarié a été corrigée dans la DSN "
            "suivante. À chaque clôture mensuelle, j'ai transmis au cabinet comptable de la "
            "société le montant de TVA déductible par taux, avec la liste des factures payées."
        ),
        "2.5": (
            "Sur la série documentaire « Les Bâtisseurs » (6 × 52 minutes), j'ai encadré une "
            "assistante d'administration et une stagiaire : répartition des tâches (saisie des "
            "factures, préparation des feuilles d'heures), point hebdomadaire et contrôle de "
            "chaque bulletin avant envoi. Pour la stagiaire, dyslexique, nous avions défini "
            "ensemble des modèles de saisie simplifiés et un double contrôle systématique."
        ),
        "3.1": (
            "À la fin de la postproduction de « Marée basse », j'ai rassemblé et classé les "
            "contrats de travail, les bulletins, les notes de frais, les factures et les chèques "
            "de caution, archivés sur papier et en numérique selon le plan de classement de la "
            "société.\n\n"
            "J'ai rapproché le journal de paie et la comptabilité : deux écarts (une indemnité "
            "de repas mal imputée, un taux de retraite complémentaire erroné) ont été corrigés "
            "avant la clôture. J'ai vérifié les sauvegardes des logiciels de comptabilité et de "
            "paie, puis je les ai déposées sur le serveur de la société."
        ),
        "3.2": (
            "J'ai établi la situation finale du film : 2 796 300 € dépensés pour un devis de "
            "2 814 600 €, soit une économie de 18 300 €, avec l'explication des principaux "
            "écarts par chapitre (décors +9 %, régie −14 %). Je l'ai présentée au directeur de "
            "production, puis transmise au producteur par le comptable de la société avec "
            "l'historique du dossier, les factures encore attendues et le suivi d'un litige "
            "avec un loueur de véhicules."
        ),
    },
    evidence=[
        DemoEvidence(
            key="paie",
            title="Bulletins de paie établis pendant le tournage de « Marée basse » (anonymisés)",
            kind=EvidenceKind.PAYSLIP,
            filename="bulletins-paie-maree-basse-juin-2024.pdf",
            issuer=ESTRAN,
            pages=[
                _payslip(
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
                _payslip(
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
            pages=_budget(
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
                _cash_plan(
                    film="« Marée basse »",
                    producer="Les Films de l'Estran",
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
                    recipient_lines=["À l'attention de la CPNEF de l'audiovisuel", "Dossier VAE"],
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
    ],
    links=[
        DemoLink(
            "C1.1",
            "L'attestation indique que j'ai ouvert et paramétré le plan comptable analytique du "
            "film dès la préparation.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C1.2",
            "Mon employeur atteste de ma présence sur le plateau et de l'organisation de la "
            "remontée des feuilles d'heures et des notes de frais que j'ai mise en place.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C1.3",
            "Le plan de trésorerie fait apparaître chaque source de financement et son "
            "calendrier, que j'ai intégrés au suivi du film.",
            "tresorerie",
            (1, 1),
        ),
        DemoLink(
            "C1.4",
            "Le récapitulatif du devis porte les colonnes « en Bretagne » et « éligible CI » que "
            "j'ai créées pour suivre chaque poste de dépense.",
            "devis",
            (1, 1),
        ),
        DemoLink(
            "C1.5",
            "Ce devis est l'export de l'enregistrement que j'ai fait dans Movie Magic Budgeting ; "
            "il a servi de référence au suivi des coûts.",
            "devis",
            (1, 2),
        ),
        DemoLink(
            "C1.6",
            "La page 2 montre les deux corrections que j'ai proposées au directeur de production "
            "après avoir contrôlé le devis.",
            "devis",
            (2, 2),
        ),
        DemoLink(
            "C1.7",
            "Mon récit de l'activité 1.3 décrit le paramétrage de la paie et des modèles de "
            "feuilles d'heures préparés avec la secrétaire de production.",
            activity="1.3",
        ),
        DemoLink(
            "C1.7",
            "Ces bulletins sont produits avec le paramétrage (convention collective, taux) que "
            "j'ai établi avant le tournage.",
            "paie",
            (1, 2),
        ),
        DemoLink(
            "C1.8",
            "L'échéancier, établi à partir du devis, a été transmis au producteur, à la banque et "
            "à la Région.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C1.9",
            "Les quatre premières lignes sont les comptes du film que j'ai ouverts auprès de "
            "l'URSSAF, d'Audiens, des Congés Spectacles et de France Travail.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C1.10",
            "Mon récit de l'activité 1.5 décrit mes sources de veille et la mise à jour des taux "
            "de janvier 2024.",
            activity="1.5",
        ),
        DemoLink(
            "C2.1",
            "Mon employeur atteste que je collectais chaque semaine les feuilles d'heures signées "
            "et que j'en assurais la confidentialité.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C2.2",
            "Deux bulletins que j'ai établis pendant le tournage, avec les heures supplémentaires "
            "et de nuit majorées selon la convention collective.",
            "paie",
            (1, 2),
        ),
        DemoLink(
            "C2.3",
            "L'attestation mentionne la tenue de la comptabilité du tournage, le paiement des "
            "fournisseurs et les rapprochements bancaires.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C2.4",
            "Les écarts par chapitre sont ceux que je signalais chaque semaine au directeur de "
            "production pendant le tournage.",
            "situation",
            (1, 1),
        ),
        DemoLink(
            "C2.5",
            "Le plan de trésorerie, mis à jour chaque jour du tournage, montre les appels de "
            "fonds auprès de la banque et du coproducteur.",
            "tresorerie",
            (1, 1),
        ),
        DemoLink(
            "C2.6",
            "La colonne « éligible CI » du devis vient de la qualification des dépenses que j'ai "
            "faite dans la comptabilité.",
            "devis",
            (1, 1),
        ),
        DemoLink(
            "C2.7",
            "La colonne « en Bretagne » du devis reprend les dépenses que j'ai qualifiées pour "
            "l'état transmis à la Région.",
            "devis",
            (1, 1),
        ),
        DemoLink(
            "C2.8",
            "L'échéancier liste les DSN mensuelles du film que j'ai établies et transmises.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C2.9",
            "Les transmissions mensuelles de la TVA déductible au cabinet comptable figurent sur "
            "l'échéancier.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C2.10",
            "Mon employeur atteste que j'ai encadré une assistante d'administration et une "
            "stagiaire sur « Les Bâtisseurs ».",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C3.1",
            "L'attestation confirme que j'ai remis à la société un dossier de clôture complet et "
            "archivé.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C3.2",
            "Ces bulletins font partie de ceux que j'ai rapprochés avec la comptabilité à la "
            "clôture (taux et plafonds vérifiés).",
            "paie",
            (1, 2),
        ),
        DemoLink(
            "C3.3",
            "La situation finale est issue de la comptabilité du film que j'ai vérifiée et "
            "transmise au comptable de la société.",
            "situation",
            (1, 1),
        ),
        DemoLink(
            "C3.4",
            "L'attestation mentionne la vérification des sauvegardes des logiciels de "
            "comptabilité et de paie.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C3.4",
            "Mon récit de l'activité 3.1 décrit l'archivage et le dépôt des sauvegardes sur le "
            "serveur de la société.",
            activity="3.1",
        ),
        DemoLink(
            "C3.5",
            "La situation finale que j'ai établie : coût définitif comparé au devis, écarts "
            "expliqués par chapitre.",
            "situation",
            (1, 1),
        ),
        DemoLink(
            "C3.6",
            "Le bas de la page liste les en-cours et le litige transmis au producteur avec "
            "l'historique du dossier.",
            "situation",
            (1, 1),
        ),
    ],
    no_evidence={
        "C1.10": (
            "Ma veille ne produit pas de document à mon nom : elle repose sur des abonnements "
            "(Audiens, CNC, Bulletin officiel de la sécurité sociale) dont je pourrai montrer "
            "les courriels lors de l'entretien avec le jury."
        ),
    },
)

JULIEN = DemoDossier(
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
            pages=_budget(
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
                _cash_plan(
                    film="« La Traversée du Rhône »",
                    producer="Ciné-Rhône Production",
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
                    recipient_lines=["À l'attention de la CPNEF de l'audiovisuel", "Dossier VAE"],
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

CONTENT = {SUBMITTED_EMAIL: INES, IN_PROGRESS_EMAIL: JULIEN}


# -- writing a demo dossier ----------------------------------------------------------------


def typeset(value):
    """French typography in every string of a document: « 450 000 € » never wraps."""
    if isinstance(value, str):
        value = re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", value)
        return re.sub(r" (?=[€%])", "\u00a0", value)
    if isinstance(value, dict):
        return {key: typeset(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [typeset(item) for item in value]
    return value


def render_document(demo: DemoEvidence) -> bytes:
    document = {"title": demo.title, "issuer": demo.issuer, "pages": demo.pages}
    return render_template_pdf(DOCUMENT_TEMPLATE, {"document": typeset(document)})


def _store_evidence(dossier, by, demo: DemoEvidence) -> Evidence:
    """Store a rendered PDF as an upload would: checked by pypdf, hashed, kept private."""
    data = render_document(demo)
    reader = PdfReader(io.BytesIO(data))
    evidence = Evidence(
        dossier=dossier,
        title=demo.title,
        kind=demo.kind,
        original_name=demo.filename,
        content_type=FileType.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=len(reader.pages),
        # Rendered by WeasyPrint from our own template: no JavaScript can be in it.
        has_javascript=False,
        extraction_status=ExtractionStatus.PENDING,
        uploaded_by=by,
    )
    evidence.file.save(demo.filename, ContentFile(data), save=False)
    evidence.save()
    return evidence


def _extract_text(evidence_ids) -> None:
    """Run the upload's extraction task now (not queued: the demo is read right away)."""
    from livret.dossier.evidence.tasks import extract_evidence_text

    for evidence_id in evidence_ids:
        extract_evidence_text.call(evidence_id)


def fill_demo_dossier(candidacy):
    """Write the demo content of ``candidacy``'s candidate into its dossier, as them.

    Only what concerns the targeted blocs is written; the dossier is left unsigned.
    """
    content = CONTENT[candidacy.candidate.email]
    candidate = candidacy.candidate
    dossier = dossier_for(candidacy)
    activities, competences = {}, {}
    for bloc in candidacy.referentiel_tree():
        for activity in bloc.activities.all():
            activities[activity.code] = activity
            competences.update({c.code: c for c in activity.competences.all()})
    with transaction.atomic():
        # The same check as the candidate's own pages: the dossier must be editable.
        editing(dossier, candidate)
        narratives = {
            code: Narrative.objects.create(
                dossier=dossier,
                activity=activities[code],
                text=text,
                version=1,
                updated_by=candidate,
            )
            for code, text in content.narratives.items()
            if code in activities
        }
        evidence = {
            item.key: _store_evidence(dossier, candidate, item) for item in content.evidence
        }
        CompetenceLink.objects.bulk_create(
            CompetenceLink(
                dossier=dossier,
                competence=competences[link.competence],
                evidence=evidence[link.evidence] if link.evidence else None,
                page_from=link.pages[0] if link.evidence else None,
                page_to=link.pages[1] if link.evidence else None,
                narrative=None if link.evidence else narratives[link.activity],
                justification=link.justification,
            )
            for link in content.links
            if link.competence in competences
        )
        NoEvidenceReason.objects.bulk_create(
            NoEvidenceReason(dossier=dossier, competence=competences[code], reason=reason)
            for code, reason in content.no_evidence.items()
            if code in competences
        )
    _extract_text(item.pk for item in evidence.values())
    return dossier


@dataclass
class DemoDossierSummary:
    email: str
    reference: str
    narratives: int
    evidence: int
    links: int
    signed: bool
    submissions: int
    created: bool


def _summary(candidacy, created) -> DemoDossierSummary:
    dossier = candidacy.dossier
    return DemoDossierSummary(
        email=candidacy.candidate.email,
        reference=candidacy.reference,
        narratives=dossier.narratives.count(),
        evidence=dossier.evidence.count(),
        links=dossier.links.count(),
        signed=dossier.is_signed,
        submissions=dossier.submissions.count(),
        created=created,
    )


def create_demo_dossiers() -> list[DemoDossierSummary]:
    """Julien Moreau's dossier in progress, written once; then what every demo dossier holds.

    Run again, it changes nothing: a dossier that already has content is left as it is.
    """
    created = set()
    julien = Candidacy.objects.filter(
        candidate__email=IN_PROGRESS_EMAIL, state=CandidacyState.ELIGIBLE
    ).first()
    if julien is not None:
        dossier = dossier_for(julien)
        if not (dossier.narratives.exists() or dossier.evidence.exists()):
            fill_demo_dossier(julien)
            created.add(julien.pk)
    candidacies = (
        Candidacy.objects.filter(candidate__email__in=CONTENT, dossier__isnull=False)
        .select_related("candidate", "dossier")
        .order_by("candidate__email")
    )
    return [_summary(candidacy, candidacy.pk in created) for candidacy in candidacies]
