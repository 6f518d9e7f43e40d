"""Rectifying a signed decision: a new version of the decision and of the PV, the earlier
ones readable, the acquired blocs and the documents following, the candidate told why."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from certificates.enums import CredentialKind, CredentialStatus
from certificates.models import Credential
from jury import rectification
from jury.enums import DecisionResult
from jury.models import DecidedBloc, DecisionRectification, Deliberation, SessionMinutes
from tests.accounts import log_in
from tests.certificates.support import register
from tests.documents import rendered_text
from tests.factories import CandidacyFactory, UserFactory
from tests.jury.deliberation_support import decide, heard, members
from vae import services as vae_services
from vae.enums import CandidacyState, Role
from vae.models import AcquiredBloc
from vae.workflow import TransitionForbidden, TransitionRefused

pytestmark = pytest.mark.django_db

# No « : » in it: French typography puts a no-break space before one in e-mails and pages.
REASON = "Erreur matérielle, le jury avait validé BC2 et la saisie l'a inversé."


@pytest.fixture
def partial(referentiel):
    """A signed partial validation (BC2 not validated), with its PV and attestations."""
    register(referentiel)
    slot = heard()
    decide(slot, against=("BC2",))
    mail.outbox.clear()
    return slot


def rectify(slot, by, **changes):
    deliberation = Deliberation.objects.get(slot=slot)
    outcomes = {row.bloc.code: row.validated for row in deliberation.decided_blocs.all()}
    arguments = {
        "outcomes": outcomes | changes.pop("outcomes", {}),
        "observations": deliberation.observations,
        "recommendations": deliberation.recommendations,
        "reason": REASON,
        **changes,
    }
    return rectification.rectify_decision(candidacy=slot.candidacy, by=by, **arguments)


def acquired(candidacy) -> list[str]:
    return sorted(
        AcquiredBloc.objects.filter(candidate=candidacy.candidate).values_list(
            "bloc_code", flat=True
        )
    )


def valid_credentials(candidacy) -> list[tuple[str, str]]:
    return sorted(
        Credential.objects.filter(candidacy=candidacy, status=CredentialStatus.VALID).values_list(
            "kind", "bloc_code"
        )
    )


def test_partial_to_total_rewrites_the_decision_and_keeps_the_first_version(partial, certifier):
    candidacy = partial.candidacy
    assert acquired(candidacy) == ["BC1", "BC3"]
    row = rectify(partial, certifier, outcomes={"BC2": True})

    assert (row.number, row.previous_result) == (2, DecisionResult.PARTIAL)
    assert row.previous_outcomes == {"BC1": True, "BC2": False, "BC3": True}
    deliberation = Deliberation.objects.get(slot=partial)
    assert deliberation.result == DecisionResult.TOTAL
    assert DecidedBloc.objects.get(deliberation=deliberation, bloc__code="BC2").validated
    assert acquired(candidacy) == ["BC1", "BC2", "BC3"]
    # The documents follow: the attestations stay true, the certificate is issued.
    assert valid_credentials(candidacy) == [
        (CredentialKind.BLOC_ATTESTATION, "BC1"),
        (CredentialKind.BLOC_ATTESTATION, "BC3"),
        (CredentialKind.CERTIFICATE, ""),
    ]
    # The votes and signatures stay as signed.
    assert deliberation.signatures.filter(voided_at__isnull=True).count() == 2
    assert not deliberation.votes.filter(bloc__code="BC2", validated=True).exists()


def test_total_to_partial_cancels_the_certificate_and_issues_attestations(referentiel, certifier):
    register(referentiel)
    slot = heard()
    decide(slot)
    (certificate,) = Credential.objects.filter(candidacy=slot.candidacy)
    rectify(slot, certifier, outcomes={"BC3": False})
    certificate.refresh_from_db()
    assert (certificate.status, certificate.status_reason) == (CredentialStatus.CANCELLED, REASON)
    assert valid_credentials(slot.candidacy) == [
        (CredentialKind.BLOC_ATTESTATION, "BC1"),
        (CredentialKind.BLOC_ATTESTATION, "BC2"),
    ]
    assert acquired(slot.candidacy) == ["BC1", "BC2"]
    assert Deliberation.objects.get(slot=slot).result == DecisionResult.PARTIAL


def test_each_rectification_is_a_new_version_and_the_history_reads_back(partial, certifier):
    rectify(partial, certifier, outcomes={"BC2": True})
    rectify(
        partial,
        certifier,
        outcomes={"BC2": False},
        reason="Le jury a confirmé sa première décision.",
    )
    decision = rectification.selectors.candidate_decision(partial.candidacy)
    assert decision.version == 3
    newest, oldest = decision.versions
    assert (newest.number, newest.changed, newest.previous_result_label) == (
        3,
        ["BC2"],
        "Validation totale",
    )
    assert (oldest.number, oldest.changed) == (2, ["BC2"])
    assert ("BC2", oldest.previous_outcomes[1][1], False) == oldest.previous_outcomes[1]
    assert [row.number for row in DecisionRectification.objects.order_by("number")] == [2, 3]


def test_the_pv_gets_a_new_version_with_the_reason(partial, certifier):
    rectify(partial, certifier, outcomes={"BC2": True})
    first, second = SessionMinutes.objects.filter(session=partial.session).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert REASON in second.reason
    text = rendered_text(second.document)
    for expected in (
        "Version 2 : elle remplace la version 1",
        REASON,
        "Décision rectifiée le",
        "résultat changé pour BC2",
        "validation totale",
    ):
        assert expected in text, expected
    # The first version stays as it was.
    assert "validation partielle" in rendered_text(first.document)


def test_the_candidate_is_told_the_reason_by_e_mail_and_on_their_page(
    partial, certifier, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rectify(partial, certifier, outcomes={"BC2": True})
    (message,) = [m for m in mail.outbox if m.to == [partial.candidacy.candidate.email]]
    assert "rectifiée" in message.subject
    for expected in (REASON, "Validation partielle", "Validation totale"):
        assert expected in message.body
    client.force_login(partial.candidacy.candidate)
    page = client.get(reverse("candidacy:detail", args=[partial.candidacy.pk])).content.decode()
    assert "Décision rectifiée le" in page
    assert "Versions précédentes de la décision" in page
    assert "validation partielle" in page  # the replaced version, readable


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"reason": "  "}, "motif est obligatoire"),
        ({"reason": "x" * 2001}, "ne doit pas dépasser"),
        ({}, "Rien n'est changé"),
        ({"outcomes": {"BC9": True}}, "chacun des blocs"),
        ({"observations": "", "reason": REASON + " Texte retiré."}, "rédigez les observations"),
    ],
    ids=["no-reason", "long-reason", "nothing-changed", "unknown-bloc", "texts-required"],
)
def test_refusals_write_nothing(partial, certifier, changes, message):
    with pytest.raises(TransitionRefused) as refused:
        rectify(partial, certifier, **changes)
    assert message in str(refused.value) + " ".join(refused.value.problems)
    assert not DecisionRectification.objects.exists()
    assert acquired(partial.candidacy) == ["BC1", "BC3"]


def test_only_a_certifier_and_never_on_their_own_candidacy(partial):
    president = members(partial)[0].user
    for user in (president, partial.candidacy.candidate, UserFactory(role=Role.EVALUATOR)):
        with pytest.raises(TransitionForbidden):
            rectify(partial, user, outcomes={"BC2": True})
    owner = partial.candidacy.candidate
    owner.groups.add(*UserFactory(role=Role.CERTIFIER).groups.all())
    owner = type(owner).objects.get(pk=owner.pk)
    with pytest.raises(TransitionForbidden):
        rectify(partial, owner, outcomes={"BC2": True})


def test_an_undecided_candidacy_has_nothing_to_rectify(referentiel, certifier):
    slot = heard()  # interviewed, not decided
    assert not rectification.can_rectify(certifier, slot.candidacy)
    with pytest.raises(TransitionForbidden):
        rectification.rectify_decision(
            candidacy=slot.candidacy,
            by=certifier,
            outcomes={},
            observations="",
            recommendations="",
            reason=REASON,
        )


def test_an_open_follow_up_candidacy_blocks_changing_an_outcome(partial, certifier):
    follow_up = vae_services.start_candidacy(candidate=partial.candidacy.candidate)
    assert [b.code for b in follow_up.targeted_blocs.all()] == ["BC2"]
    with pytest.raises(TransitionRefused) as refused:
        rectify(partial, certifier, outcomes={"BC2": True})
    assert follow_up.reference in str(refused.value)
    # The texts alone may still be corrected.
    rectify(partial, certifier, recommendations="Une formation aux déclarations sociales.")
    assert Deliberation.objects.get(slot=partial).recommendations.startswith("Une formation")


# -- the back office's page ------------------------------------------------------------


def test_the_rectify_page_is_for_certifiers_only(partial, client, certifier):
    url = reverse("jury_admin:rectify", args=[partial.candidacy.pk])
    # Anonymous, an evaluator, a member of the jury: to the back office's login.
    for user in (None, UserFactory(role=Role.EVALUATOR), members(partial)[0].user):
        if user is not None:
            log_in(client, user)
        response = client.get(url)
        assert response.status_code == 302 and "connexion" in response["Location"]
    log_in(client, certifier)
    undecided = CandidacyFactory(state=CandidacyState.INTERVIEWED)
    assert client.get(reverse("jury_admin:rectify", args=[undecided.pk])).status_code == 404
    page = client.get(url).content.decode()
    assert "Rectifier la décision" in page and 'value="oui"' in page


def test_the_page_keeps_what_was_typed_on_a_refusal_then_rectifies(partial, client, certifier):
    log_in(client, certifier)
    url = reverse("jury_admin:rectify", args=[partial.candidacy.pk])
    deliberation = Deliberation.objects.get(slot=partial)
    form = {
        "bloc_BC1": "oui",
        "bloc_BC2": "oui",
        "bloc_BC3": "oui",
        "observations": deliberation.observations,
        "recommendations": deliberation.recommendations,
        "reason": "",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Indiquez le motif de la rectification." in refused.content.decode()
    assert not DecisionRectification.objects.exists()
    done = client.post(url, form | {"reason": REASON})
    assert done.status_code == 302
    assert done["Location"] == reverse("candidacy_admin:detail", args=[partial.candidacy.pk])
    detail = unescape(client.get(done["Location"]).content.decode())
    assert "validation totale" in detail and REASON in detail
    session_page = client.get(reverse("jury_admin:session", args=[partial.session_id]))
    assert (
        reverse("jury_admin:rectify", args=[partial.candidacy.pk]) in session_page.content.decode()
    )


def test_the_decision_e_mail_gives_the_result_bloc_by_bloc(
    referentiel, django_capture_on_commit_callbacks
):
    slot = heard()
    with django_capture_on_commit_callbacks(execute=True):
        decide(slot, against=("BC2",))
    (message,) = [m for m in mail.outbox if m.to == [slot.candidacy.candidate.email]]
    body = message.body.replace("\xa0", " ")
    assert "Résultat : Validation partielle" in body
    assert "BC2" in body and "non validé" in body
    assert "Préconisations : Une formation courte aux déclarations sociales." in body
