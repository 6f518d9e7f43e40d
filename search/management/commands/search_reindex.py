import time

from django.core.management.base import BaseCommand, CommandError

from referentiel import french as fr
from search import indexing
from vae.models import Candidacy

INDEXED = "candidatures indexées"


class Command(BaseCommand):
    help = (
        "Reconstruit l'index de recherche à partir des textes (pièces, récits, notes), "
        "candidature par candidature. Interrompu, il reprend avec --resume après la dernière "
        "candidature terminée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidacy", type=int, help="une seule candidature (son identifiant)")
        parser.add_argument(
            "--resume", action="store_true", help="reprendre après la dernière candidature faite"
        )

    def handle(self, *args, candidacy=None, resume=False, **options):
        if candidacy is not None and resume:
            raise CommandError("--candidacy et --resume ne vont pas ensemble.")
        if candidacy is not None and not Candidacy.objects.filter(pk=candidacy).exists():
            raise CommandError(f"Candidature introuvable : {candidacy}")
        total = indexing.candidacy_count(candidacy, resume=resume)
        # A progress bar on a terminal only: logs and cron mails get the summary alone.
        tty = self.stdout.isatty()
        started = time.perf_counter()

        def show(progress, _pk):
            if not tty:
                return
            width = 30
            done = int(width * progress.candidacies / max(total, 1))
            self.stdout.write(
                f"\r[{'#' * done}{'.' * (width - done)}] "
                f"{progress.candidacies}/{total} candidatures, "
                f"{fr.integer(progress.entries)} textes",
                ending="",
            )
            self.stdout.flush()

        try:
            progress = indexing.reindex(candidacy_id=candidacy, resume=resume, on_candidacy=show)
        except KeyboardInterrupt as interrupted:
            raise CommandError(
                "Interrompu : relancez avec --resume pour reprendre où il s'est arrêté."
            ) from interrupted
        if tty:
            self.stdout.write("")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{fr.plural(progress.candidacies, 'candidature indexée', INDEXED)}, "
                f"{fr.plural(progress.entries, 'texte')} en "
                f"{fr.number(seconds, 1)} s ({indexing.backend().name})."
            )
        )
