from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from demo.candidacies import STORIES, create_demo_candidacies
from demo.cohorts import create_demo_cohorts
from demo.dossiers import create_demo_dossiers
from demo.jury import create_demo_jury
from demo.people import (
    DEMO_ACCOUNTS,
    DEMO_CANDIDATE_PASSWORD,
    DEMO_TOTP_KEY,
    demo_account,
    demo_second_factor,
)
from demo.registration import ensure_demo_registration
from demo.reviews import create_demo_reviews
from referentiel.site_setup import ensure_site_pages
from search.indexing import paused, reindex
from vae.enums import Role
from vae.models import Candidacy
from vae.roles import ensure_role_groups


class Command(BaseCommand):
    help = (
        "Crée (ou remet en état) les données de démonstration : pages du site, un compte "
        "par rôle et des candidatures dans plusieurs états."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="autoriser en production (déconseillé)"
        )

    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("Les données de démonstration ne se créent pas en production.")
        # The demo uploads and reads its pieces one after the other in this process, each
        # in a child forked by the evidence box: loading pypdf and PDFium here, once, spares
        # every child loading them again (about 0.6 s a piece). Web workers never do this.
        import pypdf  # noqa: F401
        import pypdfium2  # noqa: F401

        # The demo's story (submissions, decisions) would e-mail fictional people: those
        # messages, sent after commit, are dropped rather than printed by the console.
        # Its writes index nothing as they go, not even at the commit (inside ``paused``):
        # the index is rebuilt once, from the committed rows, right after.
        with (
            paused(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            self._create()
        # After the commit: a fresh rebuild (idempotent).
        progress = reindex()
        self.stdout.write(
            self.style.SUCCESS("Index de recherche : ")
            + f"{progress.entries} texte(s) de {progress.candidacies} candidature(s)"
        )

    def _create(self):
        # The page tree first: the certifier group's page permissions are granted on its root.
        ensure_site_pages()
        ensure_role_groups()
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration :"))
        accounts = {}
        for role, email, first_name, last_name, password in DEMO_ACCOUNTS:
            accounts[role] = demo_account(email, first_name, last_name, password, role)
            self.stdout.write(f"  {role.label:<16} {email:<32} mot de passe : {password}")
        demo_second_factor(accounts[Role.CERTIFIER])
        self.stdout.write(
            f"  Double authentification du certificateur : clé {DEMO_TOTP_KEY} dans une "
            "application TOTP, ou le code du moment avec « python manage.py demo_code »"
        )
        created = create_demo_candidacies(accounts[Role.CERTIFIER])
        self.stdout.write(self.style.SUCCESS("Candidats de démonstration (candidatures) :"))
        for person, _story in STORIES:
            candidacy = Candidacy.objects.filter(candidate__email=person.email).first()
            state = candidacy.get_state_display() if candidacy else "—"
            self.stdout.write(
                f"  {person.email:<32} mot de passe : {DEMO_CANDIDATE_PASSWORD:<16} {state}"
            )
        if created:
            self.stdout.write(f"  ({len(created)} candidature(s) créée(s))")
        self.stdout.write(self.style.SUCCESS("Livrets 2 de démonstration :"))
        for summary in create_demo_dossiers():
            if summary.submissions:
                status = f"déposé (dépôt n° {summary.submissions})"
            else:
                status = "en cours, " + ("signé" if summary.signed else "non signé")
            self.stdout.write(
                f"  {summary.email:<32} {summary.reference}  {summary.narratives} récit(s), "
                f"{summary.evidence} pièce(s), {summary.links} lien(s) — {status}"
            )
        self.stdout.write(self.style.SUCCESS("Évaluation des dossiers :"))
        for line in create_demo_reviews(accounts[Role.CERTIFIER]):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Enregistrement RNCP (certificats) :"))
        for line in ensure_demo_registration():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Jury :"))
        for line in create_demo_jury(accounts[Role.CERTIFIER]):
            self.stdout.write(line)
        # After the jury's: its members and evaluators exist; the history is in the past.
        self.stdout.write(self.style.SUCCESS("Promotions et enquêtes d'insertion :"))
        for line in create_demo_cohorts(accounts[Role.CERTIFIER]):
            self.stdout.write(line)
