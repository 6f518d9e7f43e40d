from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from referentiel.schema import ReferentielFormatError
from referentiel.services import load_referentiel_text

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "cqp_administrateur_production.yaml"


class Command(BaseCommand):
    help = (
        "Charge un référentiel (YAML, ou le JSON d'export_referentiel) de façon atomique et "
        "idempotente. Un fichier modifié crée une nouvelle version en brouillon."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="fichier à charger")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--publish",
            action="store_true",
            default=None,
            help="publier la nouvelle version (retire la version en vigueur)",
        )
        group.add_argument(
            "--draft",
            dest="publish",
            action="store_false",
            help="garder la nouvelle version en brouillon, même si c'est la première",
        )

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {path}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} : le fichier n'est pas encodé en UTF-8 ({exc}).") from None
        try:
            result = load_referentiel_text(text, publish=publish)
        except ReferentielFormatError as exc:
            raise CommandError(f"{path} : {exc}") from None
        except ValidationError as exc:
            raise CommandError(f"{path} : " + " ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(result.message))
