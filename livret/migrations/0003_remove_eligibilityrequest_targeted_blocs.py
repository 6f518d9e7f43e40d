"""Livret 1 no longer holds the targeted blocs: the candidacy does (vae 0005 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("livret", "0002_dossier"),
        ("vae", "0005_candidacy_targeted_blocs"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="eligibilityrequest",
            name="targeted_blocs",
        ),
    ]
