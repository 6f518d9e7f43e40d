"""``manage.py purge_personal_data``: the certifier's retention policy, listed by a dry
run, then applied; what must be kept stays."""

import dataclasses
import datetime
import io
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone

from livret.models import Dossier, EligibilityRequest, Evidence, EvidencePage
from tests.accounts import log_in
from tests.factories import UserFactory
from tests.factories.candidacies import CandidacyFactory
from tests.vae.personal_data_support import evidence_of, evidence_url
from vae import services
from vae.documents import registry
from vae.enums import CandidacyState, DocumentKind, Role, Transition
from vae.models import (
    AcquiredBloc,
    Candidacy,
    CandidacyTransition,
    GeneratedDocument,
    RetentionPolicy,
)
from vae.personal_data.retention import years_before
from vae.roles import assign_role

pytestmark = pytest.mark.django_db


def _purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def _ended(years_ago, **traits):
    """A candidacy withdrawn ``years_ago`` years (and a day) ago, with a submitted dossier
    and its piece's extracted pages."""
    candidacy = CandidacyFactory(dossier_submitted=True, **traits)
    services.run_transition(
        candidacy=candidacy, name=Transition.WITHDRAW, by=candidacy.candidate, comment=""
    )
    then = years_before(timezone.now(), years_ago) - datetime.timedelta(days=1)
    Candidacy.objects.filter(pk=candidacy.pk).update(state_changed_at=then)
    piece = evidence_of(candidacy)
    EvidencePage.objects.create(evidence=piece, number=1, text="Bulletin de paie")
    return candidacy


def _file_exists(piece) -> bool:
    return piece.file.storage.exists(piece.file.name)


@pytest.fixture
def old_and_recent(referentiel):
    return _ended(3), _ended(1)


def test_nothing_due_says_so(referentiel):
    CandidacyFactory(dossier_submitted=True)
    assert "Rien à supprimer ni à anonymiser." in _purge("--dry-run")


def test_dry_run_lists_the_files_due_and_changes_nothing(old_and_recent):
    old, recent = old_and_recent
    piece = evidence_of(old)

    output = _purge("--dry-run")

    assert "Serait fait (simulation)" in output
    assert f"{old.reference} : fichier et texte de la pièce n° {piece.pk} supprimés" in output
    assert recent.reference not in output
    piece.refresh_from_db()
    assert piece.file and _file_exists(piece)
    assert EvidencePage.objects.filter(evidence=piece).exists()


def test_apply_deletes_the_files_due_and_keeps_the_rest(old_and_recent, client):
    old, recent = old_and_recent
    piece, kept = evidence_of(old), evidence_of(recent)
    name = piece.file.name
    transitions = CandidacyTransition.objects.filter(candidacy=old).count()

    output = _purge()

    assert output.startswith("Fait :")
    piece.refresh_from_db()
    assert not piece.file and not piece.file.storage.exists(name)
    assert not EvidencePage.objects.filter(evidence=piece).exists()
    # The piece's description stays: the record of what was submitted.
    assert piece.title == "Bulletins de paie 2024" and piece.sha256
    assert _file_exists(kept) and EvidencePage.objects.filter(evidence=kept).exists()
    assert CandidacyTransition.objects.filter(candidacy=old).count() == transitions
    # The piece's address answers 404 to the certifier, not a server error.
    log_in(client, UserFactory(role=Role.CERTIFIER))
    assert client.get(evidence_url(piece)).status_code == 404
    # A second run has nothing left to do.
    assert "Rien à supprimer ni à anonymiser." in _purge("--dry-run")


def test_the_certifiers_policy_decides(old_and_recent):
    old, recent = old_and_recent
    policy = RetentionPolicy.load()
    policy.evidence_years = 5
    policy.save()
    assert "Rien à supprimer" in _purge("--dry-run")
    policy.evidence_years = 1
    policy.save()
    output = _purge("--dry-run")
    assert old.reference in output and recent.reference in output


@pytest.fixture
def long_ago(referentiel):
    """A candidacy over for eleven years, with a bloc its candidate acquired and the PDF
    of their livret 2."""
    candidacy = _ended(11)
    AcquiredBloc.objects.create(
        candidate=candidacy.candidate,
        certification_code=candidacy.certification_code,
        bloc_code="BC3",
        bloc_title="Clôture",
        acquired_on=datetime.date(2015, 6, 1),
        candidacy=candidacy,
    )
    GeneratedDocument.objects.filter(candidacy=candidacy).delete()
    GeneratedDocument.objects.create(
        candidacy=candidacy,
        kind=DocumentKind.LIVRET2,
        filename="livret2.pdf",
        requested_at=timezone.now(),
    )
    return candidacy


def test_dry_run_lists_the_identities_due_and_changes_nothing(long_ago):
    person = long_ago.candidate
    output = _purge("--dry-run")
    assert f"Compte n° {person.pk} : nom, prénom et adresse e-mail effacés" in output
    assert f"{long_ago.reference} : identité du livret 1 et signatures effacées" in output
    assert f"{long_ago.reference} : document « Livret 2 (export PDF) » (current) supprimé" in output
    person.refresh_from_db()
    assert person.anonymised_at is None and person.email.endswith("@exemple.fr")
    assert EligibilityRequest.objects.get(candidacy=long_ago).birth_name


def test_apply_anonymises_and_keeps_decisions_and_history(long_ago, caplog):
    person = long_ago.candidate
    transitions = CandidacyTransition.objects.filter(candidacy=long_ago).count()

    with caplog.at_level(logging.INFO, logger="vae.personal_data"):
        _purge()

    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.first_name, person.last_name) == ("Anonyme", "")
    assert person.email == f"anonyme-{person.pk}@anonyme.invalid"
    assert not person.is_active and not person.has_usable_password()
    livret1 = EligibilityRequest.objects.get(candidacy=long_ago)
    assert (livret1.birth_name, livret1.first_names, livret1.address, livret1.phone) == (
        "",
        "",
        "",
        "",
    )
    assert livret1.birth_date is None and livret1.sworn_name == ""
    assert livret1.experiences.exists()  # the experiences explain the decision
    dossier = Dossier.objects.get(candidacy=long_ago)
    assert dossier.sworn_name == "" and set(
        dossier.submissions.values_list("sworn_name", flat=True)
    ) == {""}
    assert not GeneratedDocument.objects.filter(candidacy=long_ago).exists()
    # Kept: the candidacy, its history, the acquired bloc.
    assert Candidacy.objects.get(pk=long_ago.pk).state == CandidacyState.WITHDRAWN
    assert CandidacyTransition.objects.filter(candidacy=long_ago).count() == transitions
    assert AcquiredBloc.objects.get(candidate=person).bloc_code == "BC3"
    # The files went too (eleven years is past both periods), and it is all in the log.
    assert not Evidence.objects.get(pk=evidence_of(long_ago).pk).file
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Retention policy (applied" in logged
    assert f"Compte n° {person.pk}" in logged
    assert "Rien à supprimer ni à anonymiser." in _purge("--dry-run")


def test_someone_with_a_recent_or_open_candidacy_keeps_their_identity(long_ago):
    person = long_ago.candidate
    CandidacyFactory(candidate=person)  # back for the missing blocs
    assert f"Compte n° {person.pk}" not in _purge()
    person.refresh_from_db()
    assert person.anonymised_at is None


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER, Role.CERTIFIER])
def test_staff_who_once_were_candidates_keep_their_account(long_ago, role):
    person = long_ago.candidate
    assign_role(person, role)
    assert f"Compte n° {person.pk}" not in _purge()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.is_active


def test_years_before_a_29_february():
    moment = datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)
    assert years_before(moment, 1) == datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)


def test_documents_of_a_retained_kind_survive_the_anonymisation(long_ago, monkeypatch):
    # What the jury app will do for certificates and PVs: register their kind retained.
    handling = registry.document_type(DocumentKind.LIVRET2)
    monkeypatch.setitem(
        registry._types, DocumentKind.LIVRET2, dataclasses.replace(handling, retained=True)
    )
    _purge()
    assert GeneratedDocument.objects.filter(candidacy=long_ago).exists()
    long_ago.candidate.refresh_from_db()
    assert long_ago.candidate.anonymised_at is not None


@pytest.mark.parametrize("model", [AccessAttempt, AccessFailureLog, AccessLog])
def test_old_login_records_go_recent_ones_stay(model, settings):
    settings.VAE_LOGIN_RECORDS_DAYS = 365
    fields = {"username": "ines@exemple.fr", "ip_address": "192.0.2.7", "user_agent": "x"}
    if model is AccessAttempt:
        fields["failures_since_start"] = 1
    # Two browsers of the same person (a lock counter is unique per address, IP, browser).
    old = model.objects.create(**fields)
    recent = model.objects.create(**{**fields, "user_agent": "y"})
    model.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=366)
    )
    model.objects.filter(pk=recent.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=364)
    )
    listed = _purge("--dry-run")
    assert "1 enregistrement(s) de" in listed
    assert model.objects.count() == 2
    _purge()
    assert list(model.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "Rien à supprimer ni à anonymiser." in _purge("--dry-run")
