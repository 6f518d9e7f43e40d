from django.db import migrations

# The registration file asks for the situation 6 months and 2 years after certification.
WAVES = [
    ("6-mois", "Enquête à 6 mois", 6),
    ("24-mois", "Enquête à 24 mois", 24),
]


def seed(apps, schema_editor):
    SurveyWave = apps.get_model("cohorts", "SurveyWave")
    for code, label, months in WAVES:
        SurveyWave.objects.get_or_create(
            code=code, defaults={"label": label, "months_after_decision": months}
        )


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0001_surveys")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
