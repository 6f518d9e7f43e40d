"""The certifier's retention policy, applied: files of candidacies over for N years
deleted, identities of people whose last candidacy is over for M years anonymised.

What is kept: candidacies, their history, decisions, acquired blocs, certificates and
their verification (the jury app registers no purge of them). The same function lists
(``apply=False``) and acts, so what a dry run shows is what the real run does.

The records of logins (django-axes: who tried which address from which IP, and when) are
kept ``VAE_LOGIN_RECORDS_DAYS`` days, for everyone: they serve to spot and stop attacks,
not to follow people.
"""

import datetime
import logging
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vae.enums import FINAL_STATES, Role
from vae.models import Candidacy, RetentionPolicy, User
from vae.personal_data.core import anonymise_accounts
from vae.personal_data.registry import purgers

logger = logging.getLogger("vae.personal_data")


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February, to a year that has none
        return moment.replace(year=moment.year - years, day=28)


def ended_before(cutoff):
    """Candidacies in a final state since before ``cutoff``."""
    return Candidacy.objects.filter(state__in=FINAL_STATES, state_changed_at__lt=cutoff)


def files_due(policy, now):
    return ended_before(years_before(now, policy.evidence_years))


def identities_due(policy, now):
    """Candidates, and nothing else (no staff, evaluator or jury member: their accounts
    are the platform's, not a candidate's data), whose every candidacy ended before the
    cutoff, not anonymised yet."""
    ended = ended_before(years_before(now, policy.identity_years))
    other_roles = [role.value for role in Role if role != Role.CANDIDATE]
    return (
        User.objects.filter(anonymised_at__isnull=True, candidacies__isnull=False)
        .exclude(candidacies__in=Candidacy.objects.exclude(pk__in=ended.values("pk")))
        .exclude(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=other_roles))
        .distinct()
    )


@dataclass
class PurgeReport:
    applied: bool
    files: list[str] = field(default_factory=list)
    identities: list[str] = field(default_factory=list)

    logins: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.files and not self.identities and not self.logins

    @property
    def lines(self) -> list[str]:
        return self.files + self.identities + self.logins


# What django-axes keeps of each login: the failures counted for a lock, the log of
# failures and the log of logins.
LOGIN_RECORDS = (
    (AccessAttempt, "tentatives comptées pour un blocage"),
    (AccessFailureLog, "échecs de connexion"),
    (AccessLog, "connexions"),
)


def purge_login_records(*, apply: bool, now) -> list[str]:
    cutoff = now - datetime.timedelta(days=settings.VAE_LOGIN_RECORDS_DAYS)
    lines = []
    for model, label in LOGIN_RECORDS:
        old = model.objects.filter(attempt_time__lt=cutoff)
        count = old.count()
        if count:
            lines.append(
                f"{count} enregistrement(s) de {label} antérieurs au {cutoff:%d/%m/%Y} supprimé(s)"
            )
            if apply:
                old.delete()
    return lines


def purge_personal_data(*, apply: bool, now=None) -> PurgeReport:
    now = now or timezone.now()
    policy = RetentionPolicy.load()
    report = PurgeReport(applied=apply)
    # Files first: storage deletions cannot be rolled back, so each app's purge commits
    # what it did before the next one starts; a failure leaves the rest for the next run.
    for purger in purgers():
        with transaction.atomic():
            report.files += purger.purge_files(files_due(policy, now), apply=apply)
    with transaction.atomic():
        users = User.objects.filter(
            pk__in=list(identities_due(policy, now).values_list("pk", flat=True))
        )
        for purger in purgers():
            report.identities += purger.anonymise(users, apply=apply)
        report.identities += anonymise_accounts(users, apply=apply)
    with transaction.atomic():
        report.logins = purge_login_records(apply=apply, now=now)
    verb = "applied" if apply else "dry run"
    logger.info(
        "Retention policy (%s; files after %s years, identities after %s years): %s file "
        "actions, %s identity actions",
        verb,
        policy.evidence_years,
        policy.identity_years,
        len(report.files),
        len(report.identities),
    )
    for line in report.lines:
        logger.info("Retention policy (%s): %s", verb, line)
    return report
