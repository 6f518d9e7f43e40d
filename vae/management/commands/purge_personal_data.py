"""Apply the certifier's retention policy (RGPD): run it from cron, after a dry run."""

from django.core.management.base import BaseCommand

from vae.personal_data.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Supprime les pièces justificatives et anonymise les identités dont la durée de "
        "conservation (réglée par le certificateur) est écoulée, ainsi que les "
        "enregistrements de connexion anciens. Commencez par --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Liste ce qui serait supprimé ou anonymisé, sans rien modifier.",
        )

    def handle(self, *args, dry_run=False, **options):
        report = purge_personal_data(apply=not dry_run)
        if report.empty:
            self.stdout.write("Rien à supprimer ni à anonymiser.")
            return
        heading = "Serait fait (simulation) :" if dry_run else "Fait :"
        self.stdout.write(heading)
        for line in report.lines:
            self.stdout.write(f"- {line}")
        self.stdout.write(
            f"{len(report.files)} suppression(s) de fichiers, "
            f"{len(report.identities)} anonymisation(s), "
            f"{len(report.logins)} purge(s) d'enregistrements de connexion."
        )
