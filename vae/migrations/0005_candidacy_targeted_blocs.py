"""The targeted blocs move from livret 1 to the candidacy: one owner for what a candidacy
aims at, read by every later step (livret 2, review, jury) without going through livret 1."""

from django.db import migrations, models


def copy_from_livret1(apps, schema_editor):
    EligibilityRequest = apps.get_model("livret", "EligibilityRequest")
    Candidacy = apps.get_model("vae", "Candidacy")
    Through = Candidacy.targeted_blocs.through
    rows = [
        Through(candidacy_id=candidacy_id, bloc_id=bloc_id)
        for candidacy_id, bloc_id in EligibilityRequest.targeted_blocs.through.objects.values_list(
            "eligibilityrequest__candidacy_id", "bloc_id"
        )
    ]
    Through.objects.bulk_create(rows, ignore_conflicts=True)


def copy_back_to_livret1(apps, schema_editor):
    EligibilityRequest = apps.get_model("livret", "EligibilityRequest")
    Candidacy = apps.get_model("vae", "Candidacy")
    requests = dict(EligibilityRequest.objects.values_list("candidacy_id", "pk"))
    Through = EligibilityRequest.targeted_blocs.through
    Through.objects.bulk_create(
        [
            Through(eligibilityrequest_id=requests[candidacy_id], bloc_id=bloc_id)
            for candidacy_id, bloc_id in Candidacy.targeted_blocs.through.objects.values_list(
                "candidacy_id", "bloc_id"
            )
            if candidacy_id in requests
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referentiel", "0002_french_verbose_names"),
        ("vae", "0004_review_transitions"),
        ("livret", "0002_dossier"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidacy",
            name="targeted_blocs",
            field=models.ManyToManyField(
                blank=True,
                related_name="candidacies",
                to="referentiel.bloc",
                verbose_name="blocs visés",
            ),
        ),
        migrations.RunPython(copy_from_livret1, copy_back_to_livret1),
    ]
