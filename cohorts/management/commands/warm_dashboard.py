"""``manage.py warm_dashboard``: the certifier's dashboard as it opens (the default period,
every bloc) computed into the shared cache, off any request.

Why: its figures are keyed by the version of what they read, and a quarter's version
holds the day (the legal delays run until today), so the first view of each day computes
the period again: up to a second on 10,000 candidacies. Run hourly by cron beside
``send_reminders``, it leaves the certifier only what changed since the last run.
"""

import time

from django.core.management.base import BaseCommand

from cohorts.charts import dashboard_with_charts
from cohorts.dashboard import default_filters
from referentiel import french as fr


class Command(BaseCommand):
    help = (
        "Calcule d'avance le tableau de bord des cohortes (période par défaut, tous les "
        "blocs) et ses graphiques dans le cache partagé."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        filters = default_filters()
        board, charts = dashboard_with_charts(filters)
        milliseconds = (time.perf_counter() - start) * 1000
        self.stdout.write(
            self.style.SUCCESS(
                f"Tableau de bord prêt ({filters.label}) : "
                f"{fr.plural(board.overall.total, 'candidature')}, "
                f"{fr.plural(len(charts), 'graphique')}, en {fr.integer(milliseconds)} ms."
            )
        )
