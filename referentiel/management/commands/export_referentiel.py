import json

from django.core.management.base import BaseCommand, CommandError

from referentiel.models import Certification
from referentiel.selectors import export_certification


class Command(BaseCommand):
    help = "Affiche en JSON la version publiée du référentiel (ou celle demandée)."

    def add_arguments(self, parser):
        parser.add_argument("--code", help="code de la certification (si plusieurs)")
        parser.add_argument(
            "--version-number", dest="version_number", type=int, help="numéro de version"
        )

    def handle(self, *args, code=None, version_number=None, **options):
        if version_number is not None:
            qs = Certification.objects.filter(version=version_number)
            if code:
                qs = qs.filter(code=code)
            certification = qs.first()
            if certification is None:
                raise CommandError(f"Version {version_number} introuvable.")
        elif code:
            certification = Certification.objects.current(code)
        else:
            try:
                certification = Certification.objects.sole_published()
            except Certification.MultipleObjectsReturned:
                codes = Certification.objects.published().values_list("code", flat=True)
                listed = ", ".join(sorted(codes))
                raise CommandError(
                    f"Plusieurs certifications publiées ; précisez --code ({listed})."
                ) from None
        if certification is None:
            raise CommandError("Aucune version publiée du référentiel : lancez load_referentiel.")
        self.stdout.write(
            json.dumps(export_certification(certification), ensure_ascii=False, indent=2)
        )
