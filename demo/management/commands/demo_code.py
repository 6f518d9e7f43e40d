"""Print the code the demo accounts' authenticator application would show now, so that
the demo certifier logs in without a phone. Demo accounts only, never in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.people import DEMO_DOMAIN, DEMO_TOTP_NAME
from vae.accounts.two_factor import current_code


class Command(BaseCommand):
    help = "Affiche le code de double authentification actuel des comptes de démonstration."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Les comptes de démonstration n'existent pas en production.")
        devices = TOTPDevice.objects.filter(
            name=DEMO_TOTP_NAME, confirmed=True, user__email__endswith=DEMO_DOMAIN
        ).select_related("user")
        if not devices:
            raise CommandError("Aucun compte de démonstration : lancez d'abord « manage.py demo ».")
        for device in devices:
            self.stdout.write(f"{device.user.email} : {current_code(device)} (valable 30 secondes)")
