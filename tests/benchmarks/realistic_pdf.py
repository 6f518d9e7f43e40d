"""A realistic evidence file for the benchmarks: 300 pages of French prose and tables
(about 350 words a page, accents, amounts, « guillemets »), typeset by WeasyPrint with
embedded subset fonts, as payroll and accounting software write them.

Not a test module. Built once from a fixed seed and kept in ``var/bench/`` (about half a
minute to typeset); delete the file to build it again.
"""

import random
from pathlib import Path

from django.conf import settings
from django.utils.html import escape

PAGES = 300
SEED = 20261201

VOCABULARY = (
    "production tournage budget devis salaire cotisations congés spectacles intermittents "
    "déclaration sociale nominative régisseur générale comptabilité analytique trésorerie "
    "échéancier préparation post-production crédit d'impôt cinéma audiovisuel agrément "
    "coproduction financement préachat chaîne région dépenses éligibles convention "
    "collective techniciens artistes heures supplémentaires majorées nuit dimanche "
    "indemnités défraiements repas transport hébergement location matériel caméra "
    "lumière machinerie décors costumes maquillage assurance négatif garantie bonne fin "
    "arrêté des comptes clôture bilan coût définitif rapport d'exécution commissaire "
    "aux comptes facture fournisseur règlement acompte solde écart prévisionnel réalisé "
    "validation engagement bon de commande feuille d'heures contrat d'usage embauche "
    "mutuelle prévoyance retraite complémentaire Audiens France Travail URSSAF CNC "
    "Sofica distributeur mandat exploitation recettes amortissement producteur délégué"
)
WORDS = VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.2:
        words.insert(rng.randint(1, len(words) - 1), f"« {rng.choice(WORDS)} »")
    return " ".join(words) + rng.choice((".", ".", ".", " ;", " :"))


def _amount(rng: random.Random) -> str:
    euros = rng.randint(100, 2_000_000) / 100
    return f"{euros:,.2f}".replace(",", "\u202f").replace(".", ",") + "\xa0€"


def _page(rng: random.Random, number: int) -> str:
    paragraphs = "".join(
        "<p>" + escape(" ".join(_sentence(rng) for _ in range(4))) + "</p>" for _ in range(4)
    )
    rows = "".join(
        f"<tr><td>{escape(rng.choice(WORDS))} {escape(rng.choice(WORDS))}</td>"
        f"<td>{rng.randint(1, 60)} j</td><td>{_amount(rng)}</td><td>{_amount(rng)}</td></tr>"
        for _ in range(8)
    )
    return (
        f"<section><h2>Pièce {number} — état de dépenses et commentaires</h2>{paragraphs}"
        "<table><thead><tr><th>Poste</th><th>Durée</th><th>Prévu</th><th>Réalisé</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></section>"
    )


STYLE = """
@page {
  size: A4; margin: 18mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt }
}
body { font-family: "DejaVu Serif", serif; font-size: 9.5pt; line-height: 1.3; }
h2 { font: bold 11pt "DejaVu Sans", sans-serif; margin: 0 0 4pt; }
p { margin: 0 0 5pt; text-align: justify; hyphens: auto; }
table { border-collapse: collapse; width: 100%; font: 8.5pt "DejaVu Sans", sans-serif; }
td, th { border: 0.4pt solid #999; padding: 2pt 4pt; } td + td { text-align: right; }
section { break-after: page; }
"""


def realistic_pdf() -> Path:
    """The path of the 300-page real-text PDF, typeset on the first call."""
    path = Path(settings.BASE_DIR) / "var" / "bench" / f"real-text-{PAGES}-{SEED}.pdf"
    if path.exists():
        return path
    from weasyprint import HTML  # the benchmark's only use of it; slow to import

    rng = random.Random(SEED)
    body = "".join(_page(rng, number) for number in range(1, PAGES + 1))
    html = f'<html lang="fr"><head><style>{STYLE}</style></head><body>{body}</body></html>'
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    HTML(string=html).write_pdf(partial)
    partial.rename(path)
    return path
