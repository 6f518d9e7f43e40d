from django.core.management.base import BaseCommand, CommandError

from livret.dossier.evidence.tasks import extract
from livret.enums import ExtractionStatus
from livret.models import Evidence


class Command(BaseCommand):
    help = (
        "Extrait (de nouveau) le texte des pièces justificatives, ici même et sans passer "
        "par la file de tâches. Sans option : les pièces en attente ou restées « en cours » "
        "(tâche perdue, worker arrêté). Les pages déjà extraites sont remplacées."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="identifiants de pièces précises")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="toutes les pièces")
        which.add_argument("--failed", action="store_true", help="les pièces en échec")

    def handle(self, *args, ids, failed, **options):
        every = options["all"]
        evidence = Evidence.objects.order_by("pk")
        if ids:
            if every or failed:
                raise CommandError("Donnez des identifiants, ou bien --all ou --failed.")
            evidence = evidence.filter(pk__in=ids)
            missing = set(ids) - set(evidence.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    "Pièces introuvables : " + ", ".join(str(pk) for pk in sorted(missing))
                )
        elif failed:
            evidence = evidence.filter(extraction_status=ExtractionStatus.FAILED)
        elif not every:
            evidence = evidence.filter(
                extraction_status__in=[ExtractionStatus.PENDING, ExtractionStatus.RUNNING]
            )
        counts = {}
        for pk, title in evidence.values_list("pk", "title"):
            status = extract(pk)
            counts[status] = counts.get(status, 0) + 1
            line = f"{pk} « {title} » : {dict(ExtractionStatus.choices).get(status, status)}"
            if status == ExtractionStatus.FAILED:
                reason = Evidence.objects.filter(pk=pk).values_list("extraction_error", flat=True)
                self.stdout.write(self.style.WARNING(f"{line} — {reason.first()}"))
            else:
                self.stdout.write(line)
        total = sum(counts.values())
        ready = counts.get(ExtractionStatus.READY, 0)
        self.stdout.write(
            self.style.SUCCESS(f"{total} pièce(s) traitée(s), {ready} prête(s).")
            if total
            else "Aucune pièce à traiter."
        )
