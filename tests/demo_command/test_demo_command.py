"""``manage.py demo`` on a database that holds the référentiel alone: run twice, once for
the module (``runs``), then what it printed, what it wrote and that the second run changed
nothing. Each of these tests used to run the command once or twice in its body: eleven
runs of 20 to 80 s each per database, now two (three with the password's test).

Apart from tests/demo, whose tests read the demo as one build for the package, and from
tests/demo_command's other modules, which need a database without the demo."""

import io
import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.management import call_command

from demo.candidacies import STORIES
from demo.cohorts import EARLIER, GAVE_UP, LATER
from demo.content.jury import AMINA, ELISE, HUGO, JURY_MEMBERS, LEILA, ROMAIN, THOMAS
from demo.dossiers import IN_PROGRESS_EMAIL, SUBMITTED_EMAIL
from demo.management.commands.demo import DEMO_ACCOUNTS
from demo.people import DEMO_TOTP_KEY
from demo.reviews import EVALUATORS as REVIEW_EVALUATORS
from demo.reviews import MATHIEU, SARAH
from livret.eligibility.completeness import section_statuses
from livret.eligibility.precheck import precheck
from tests.database import load_referentiel, shared_rows
from tests.demo_command.support import counts
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.models import Candidacy, CandidacyTransition, User


@dataclass(frozen=True)
class Runs:
    first: str  # what the first run printed
    second: str  # what the run again printed
    after_first: dict  # ``counts()`` after each
    after_second: dict
    mails: int  # messages sent by both runs


def run_twice() -> Runs:
    load_referentiel()
    first, second = io.StringIO(), io.StringIO()
    call_command("demo", stdout=first)
    after_first = counts()
    call_command("demo", stdout=second)
    return Runs(
        first.getvalue(),
        second.getvalue(),
        after_first,
        counts(),
        len(getattr(mail, "outbox", [])),
    )


@pytest.fixture(scope="module")
def runs_rows(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, run_twice) as runs:
        yield runs


@pytest.fixture
def runs(runs_rows, db) -> Runs:
    """The two runs: each test's changes are rolled back, the next sees the demo as the
    second run left it."""
    return runs_rows


def test_the_second_run_changes_nothing_and_nothing_is_sent(runs):
    assert runs.after_second == runs.after_first == counts()
    assert runs.mails == 0  # no e-mail to fictional people


def test_demo_command_reports_the_dossiers(runs):
    report = runs.first
    assert re.search(rf"{SUBMITTED_EMAIL}\s+VAE-\d{{4}}-\d{{5}}\s+12 récit\(s\), 6 pièce", report)
    assert "déposé (dépôt n° 1)" in report
    assert re.search(rf"{IN_PROGRESS_EMAIL}.*3 récit\(s\), 3 pièce.*en cours, non signé", report)


def test_the_demo_prints_the_key(runs):
    assert DEMO_TOTP_KEY in runs.first
    assert "manage.py demo_code" in runs.first


def test_demo_creates_one_account_per_role(runs):
    assert len(DEMO_ACCOUNTS) == len(Role)
    emails = (
        {email for _role, email, *_ in DEMO_ACCOUNTS}
        | {person.email for person, _story in STORIES}
        | {email for email, *_ in REVIEW_EVALUATORS}
        | {MATHIEU.email, SARAH.email}
        | {THOMAS.email, AMINA.email, ELISE.email, HUGO.email, LEILA.email, ROMAIN.email}
        | {email for email, *_ in JURY_MEMBERS}
        # The promotions' history (demo.cohorts).
        | {story.email for story in (*EARLIER, *LATER, *GAVE_UP)}
    )
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(emails)
    for role, email, _first, _last, password in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.has_role(role)
        assert user.check_password(password)
        assert password in runs.first and password in runs.second
    certifier = User.objects.get(email="certificateur@demo.vae.local")
    assert certifier.is_staff
    assert certifier.has_perm("wagtailadmin.access_admin")
    assert certifier.has_perm("referentiel.publish_certification")
    candidate = User.objects.get(email="candidat@demo.vae.local")
    assert not candidate.is_staff
    assert not candidate.has_perm("wagtailadmin.access_admin")


def test_demo_restores_a_changed_demo_password(runs):
    user = User.objects.get(email="jury@demo.vae.local")
    user.set_password("autre-chose")
    user.save()
    call_command("demo", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password("jury-demo")


def test_demo_candidacies_in_several_states(runs):
    states = sorted(Candidacy.objects.values_list("candidate__email", "state"))
    assert states == sorted(
        [
            ("candidat@demo.vae.local", S.DRAFT),
            ("nadia.haddad@demo.vae.local", S.ELIGIBILITY_SUBMITTED),
            ("julien.moreau@demo.vae.local", S.ELIGIBLE),
            ("lucie.perrin@demo.vae.local", S.INELIGIBLE),
            ("ines.lambert@demo.vae.local", S.DOSSIER_SUBMITTED),
            ("mathieu.roche@demo.vae.local", S.UNDER_REVIEW),
            ("sarah.benoit@demo.vae.local", S.REVIEWED),
            ("thomas.garnier@demo.vae.local", S.JURY_SCHEDULED),
            ("amina.diallo@demo.vae.local", S.JURY_SCHEDULED),
            ("elise.marchand@demo.vae.local", S.INTERVIEWED),
            ("hugo.lefevre@demo.vae.local", S.DECIDED),
            ("romain.petit@demo.vae.local", S.DECIDED),
            # A validation partielle, then the candidacy for the bloc still missing.
            ("leila.mercier@demo.vae.local", S.DECIDED),
            ("leila.mercier@demo.vae.local", S.DRAFT),
            # The promotions' history (demo.cohorts): all decided, in the past.
            *((story.email, S.DECIDED) for story in (*EARLIER, *LATER)),
            # and those who gave up.
            *((story.email, S.WITHDRAWN) for story in GAVE_UP),
        ]
    )
    for printed in (runs.first, runs.second):
        assert "nadia.haddad@demo.vae.local" in printed
        assert "Recevable" in printed
    # The history is that of real transitions, each with its actor.
    julien = Candidacy.objects.get(candidate__email="julien.moreau@demo.vae.local")
    assert list(julien.transitions.values_list("transition", flat=True)) == [
        "submit_eligibility",
        "return_eligibility",
        "submit_eligibility",
        "accept_eligibility",
    ]
    assert julien.transitions.get(transition="return_eligibility").comment
    assert [b.code for b in julien.targeted_blocs.all()] == ["BC1", "BC2"]  # BC3 acquired
    ines = Candidacy.objects.get(candidate__email="ines.lambert@demo.vae.local")
    assert list(ines.transitions.values_list("transition", flat=True)) == [
        "submit_eligibility",
        "accept_eligibility",
        "submit_dossier",
    ]
    review_rows = CandidacyTransition.objects.filter(
        candidacy__candidate__email__in=[
            "mathieu.roche@demo.vae.local",
            "sarah.benoit@demo.vae.local",
            "thomas.garnier@demo.vae.local",
            "amina.diallo@demo.vae.local",
            "elise.marchand@demo.vae.local",
            "hugo.lefevre@demo.vae.local",
            "leila.mercier@demo.vae.local",
            "romain.petit@demo.vae.local",
            # The promotions' history (demo.cohorts).
            *(story.email for story in (*EARLIER, *LATER, *GAVE_UP)),
        ]
    ).count()
    assert CandidacyTransition.objects.count() - review_rows == 1 + 4 + 2 + 3
    sarah = Candidacy.objects.get(candidate__email="sarah.benoit@demo.vae.local")
    assert list(sarah.transitions.values_list("transition", flat=True))[-2:] == [
        "start_review",
        "complete_review",
    ]


def test_demo_livrets_are_consistent_with_their_state(runs):
    for candidacy in Candidacy.objects.exclude(state=S.DRAFT):
        assert all(s.complete for s in section_statuses(candidacy.eligibility_request))
    for draft in Candidacy.objects.filter(state=S.DRAFT):  # the demo candidate's, Leïla's next
        assert not all(s.complete for s in section_statuses(draft.eligibility_request))
    rejected = Candidacy.objects.get(state=S.INELIGIBLE)
    assert not precheck(rejected.eligibility_request).met
    accepted = Candidacy.objects.get(state=S.ELIGIBLE)
    assert precheck(accepted.eligibility_request).met


def test_the_demo_command_prints_the_reviews(runs):
    for printed in (runs.first, runs.second):
        assert "eval.certif@demo.vae.local" in printed
        assert MATHIEU.email in printed and SARAH.email in printed
        assert "Dossier en cours d'évaluation" in printed
        assert "Évaluation terminée" in printed
