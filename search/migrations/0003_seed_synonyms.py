"""The first synonym list: the acronyms of production administration and what they
stand for. Staff edit it afterwards in the back office."""

from django.db import migrations

SYNONYMS = {
    "DPAE": ["déclaration préalable à l'embauche"],
    "AEM": ["attestation employeur mensuelle"],
    "CNC": ["Centre national du cinéma et de l'image animée", "Centre national du cinéma"],
    "TVA": ["taxe sur la valeur ajoutée"],
    "URSSAF": [
        "Union de recouvrement des cotisations de sécurité sociale et d'allocations familiales"
    ],
    "CDDU": ["contrat à durée déterminée d'usage", "CDD d'usage"],
    "DSN": ["déclaration sociale nominative"],
    "CPNEF": ["commission paritaire nationale emploi formation"],
    "GUSO": ["guichet unique du spectacle occasionnel"],
    "intermittent": ["annexe 8", "annexe 10"],
    "crédit d'impôt": ["crédit d'impôt cinéma", "crédit d'impôt audiovisuel", "C2I"],
    "plan de trésorerie": ["prévisionnel de trésorerie", "trésorerie prévisionnelle"],
    "devis": ["budget prévisionnel"],
    "bulletin de paie": ["fiche de paie", "bulletin de salaire"],
}


def seed(apps, schema_editor):
    Synonym = apps.get_model("vae_search", "Synonym")
    for term, equivalents in SYNONYMS.items():
        Synonym.objects.get_or_create(term=term, defaults={"equivalents": "\n".join(equivalents)})


def unseed(apps, schema_editor):
    apps.get_model("vae_search", "Synonym").objects.filter(term__in=SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vae_search", "0002_fulltext_tables"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
