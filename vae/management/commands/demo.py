from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiel.site_setup import ensure_site_pages
from vae.enums import Role
from vae.models import User
from vae.roles import assign_role, ensure_role_groups

# Demo passwords are public on purpose: they are printed and documented in the README.
DEMO_ACCOUNTS = [
    (Role.CANDIDATE, "candidat@demo.vae.local", "Camille", "Martin", "candidat-demo"),
    (Role.EVALUATOR, "evaluateur@demo.vae.local", "Hélène", "Dubois", "evaluateur-demo"),
    (Role.JURY_MEMBER, "jury@demo.vae.local", "Karim", "Benali", "jury-demo"),
    (Role.CERTIFIER, "certificateur@demo.vae.local", "Sophie", "Lefèvre", "certificateur-demo"),
]


class Command(BaseCommand):
    help = (
        "Crée (ou remet en état) les données de démonstration : pages du site et un compte "
        "par rôle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="autoriser en production (déconseillé)"
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("Les données de démonstration ne se créent pas en production.")
        ensure_role_groups()
        ensure_site_pages()
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration :"))
        for role, email, first_name, last_name, password in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=password, first_name=first_name, last_name=last_name
                )
            elif not user.check_password(password):
                # Keep the printed password true even if someone changed it.
                user.set_password(password)
                user.save(update_fields=["password"])
            assign_role(user, role)
            self.stdout.write(f"  {role.label:<16} {email:<32} mot de passe : {password}")
