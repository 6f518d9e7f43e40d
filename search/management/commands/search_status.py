from django.core.management.base import BaseCommand

from referentiel import french as fr
from search.base import Kind
from search.status import status


class Command(BaseCommand):
    help = (
        "État de l'index de recherche : textes indexés par nature, dernière indexation et "
        "retard (textes modifiés depuis)."
    )

    def handle(self, *args, **options):
        found = status()
        self.stdout.write(self.style.SUCCESS(f"Moteur : {found.backend}"))
        for kind in Kind:
            self.stdout.write(f"  {kind.label:<48} {fr.integer(found.counts.get(kind, 0)):>10}")
        self.stdout.write(f"  {'Total':<48} {fr.integer(found.total):>10}")
        last = found.last_indexed_at
        self.stdout.write("Dernière indexation : " + (fr.datetime(last) if last else "jamais"))
        finished = found.reindex_finished_at
        self.stdout.write(
            "Dernière réindexation complète : " + (fr.datetime(finished) if finished else "jamais")
        )
        if found.lagging:
            details = ", ".join(
                f"{Kind(kind).label} : {fr.integer(count)}"
                for kind, count in found.lag.items()
                if count
            )
            self.stdout.write(
                self.style.WARNING(
                    f"Retard : {fr.plural(found.lagging, 'texte modifié', 'textes modifiés')} "
                    f"depuis la dernière indexation ({details})."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Retard : aucun texte modifié depuis."))
