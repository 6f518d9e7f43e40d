"""The demo's evidence files: small PDFs a candidate would scan or export, rendered with
WeasyPrint from ``templates/demo/document.html``.

A document is a title, an issuer (the company's letterhead) and pages of blocks (text,
tables, notes); the builders below compute the figures so that every table adds up
(payslips, budgets, cash plans) and write the employer's certificate. Every figure is
fictional and each page says so.
"""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string

from livret.dossier.export import PDF_TEMPLATE
from vae.documents.pdf import html_to_pdf, template_dir

DOCUMENT_TEMPLATE = "demo/document.html"
FICTION_NOTE = (
    "Document fictif créé pour la démonstration de la plateforme VAE : personnes, sociétés "
    "et montants sont imaginaires."
)
# Film production (cinéma) and audiovisual production (télévision): the two collective
# agreements a demo payslip cites.
CINEMA_AGREEMENT = (
    "Convention collective nationale de la production cinématographique (IDCC 3097) — "
    "annexe des techniciens."
)
AUDIOVISUAL_AGREEMENT = "Convention collective de la production audiovisuelle (IDCC 2642)."
RECIPIENT_LINES = ["À l'attention de la CPNEF de l'audiovisuel", "Dossier de VAE"]


@dataclass(frozen=True)
class DemoEvidence:
    """One piece of evidence: ``key`` names it in the links of its dossier."""

    key: str
    title: str
    kind: str
    filename: str
    issuer: dict
    pages: list


# -- French amounts ----------------------------------------------------------------------------


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


# -- builders ----------------------------------------------------------------------------------


def table_block(head, rows, foot=None, numeric=()):
    return {"table": {"head": head, "rows": rows, "foot": foot, "numeric": list(numeric)}}


def payslip(
    *,
    employee,
    job,
    project,
    period,
    paid_on,
    hours,
    rate,
    overtime,
    night=0,
    agreement=CINEMA_AGREEMENT,
    note="Bulletin anonymisé par la candidate pour son dossier de VAE.",
):
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
                    f"{agreement} Cotisations congés payés versées à la caisse des Congés "
                    "Spectacles."
                )
            },
            table_block(
                ["Rubrique", "Base / quantité", "Taux", "Montant"],
                rows,
                foot=["Net payé", "", "", eur(net - tax)],
                numeric=(1, 2, 3),
            ),
            {"note": f"{note} {FICTION_NOTE}"},
        ],
    }


def budget(*, film, producer, total_label, chapters, columns, detail, corrections):
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


def cash_plan(*, film, subtitle, months, opening_note):
    """Monthly receipts, payments and closing balance, computed so that they add up."""
    balance, rows = 0, []
    for month, receipts, payments, comment in months:
        balance += receipts - payments
        rows.append([month, eur(receipts), eur(payments), eur(balance), comment])
    total_in = sum(m[1] for m in months)
    total_out = sum(m[2] for m in months)
    return {
        "title": f"Plan de trésorerie — {film}",
        "subtitle": subtitle,
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


def employer_certificate(
    *, place_date, signatory, role, paragraphs, missions, recipient_lines=RECIPIENT_LINES
):
    """The employer's certificate: who, since when, the missions in a table, signed."""
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


# Each piece's PDF by its HTML, rendered once per process: the demo runs again and again
# in one process (the test suite loads it for each module that reads it), and its 70
# pieces rendered by WeasyPrint were a seventh of each run.
_rendered: dict[str, bytes] = {}


def render_document(demo: DemoEvidence) -> bytes:
    """The PDF of ``demo``, as the candidate would upload it."""
    document = {"title": demo.title, "issuer": demo.issuer, "pages": demo.pages}
    html = render_to_string(DOCUMENT_TEMPLATE, {"document": typeset(document)})
    if html not in _rendered:
        # Its style sheet sits with livret 2's (templates/livret/pdf/demo/), the one
        # folder our PDFs may read from.
        _rendered[html] = html_to_pdf(html, base_dir=template_dir(PDF_TEMPLATE))
    return _rendered[html]
