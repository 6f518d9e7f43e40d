"""Send the reminders that are due, each once: run it every hour from cron."""

from django.core.management.base import BaseCommand

from vae.reminders import kinds, send_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels arrivés à échéance (recevabilité bientôt échue, grille en "
        "retard, convocations et sessions du jury…), chacun une seule fois, même si la "
        "commande tourne deux fois en même temps. À lancer toutes les heures par cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            choices=[kind.code for kind in kinds()],
            help="N'envoie que les rappels de ce type (option répétable).",
        )

    def handle(self, *args, kind=(), **options):
        report = send_reminders(only=kind)
        for code, key, address in report.sent:
            self.stdout.write(f"Envoyé : {code} {key} → {address}")
        for code, key, address in report.failed:
            what = f"{code} {key} → {address}" if key else f"{code} (voir le journal)"
            self.stderr.write(f"Échec (réessayé au prochain passage) : {what}")
        self.stdout.write(
            f"{len(report.sent)} rappel(s) envoyé(s), {report.already_sent} déjà envoyé(s), "
            f"{len(report.failed)} échec(s)."
        )
        if report.failed:
            # A non-zero status: cron mails the failure to whoever watches it.
            raise SystemExit(1)
