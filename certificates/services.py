"""Issuing the certificate or the bloc attestations of a jury decision, and correcting or
cancelling one later (certifiers only: ``permissions``).

Issuing refuses, with every missing fact named, while the version's registration with
France compétences or the holder's identity in livret 1 is incomplete: a certificate is
never printed with a blank where its RNCP number or its holder's birth date should be.
Each credential's PDF is a generated document (``vae.documents``), rendered in a task.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import numbers, permissions
from certificates.enums import CredentialKind, CredentialStatus
from certificates.models import Credential
from jury import selectors as jury_selectors
from jury.enums import DecisionResult
from referentiel import french as fr
from referentiel.models import Bloc, CertificationRegistration
from vae.documents.services import request_document
from vae.enums import DocumentKind
from vae.workflow import TransitionForbidden, TransitionRefused, required_reason

logger = logging.getLogger(__name__)

# Two numbers drawn alike among 2^80: a retry is there for correctness, not expected.
NUMBER_ATTEMPTS = 3
REASON_MAX_CHARS = 2000
IDENTITY_FIELDS = ("first_names", "birth_name", "birth_date", "birth_place")


def document_kind(credential) -> DocumentKind:
    return DocumentKind.CERTIFICATE if credential.is_certificate else DocumentKind.BLOC_ATTESTATION


def _registration(candidacy):
    """The registration of ``candidacy``'s référentiel version, or None."""
    return (
        CertificationRegistration.objects.select_related("certification")
        .filter(certification_id=candidacy.certification_id)
        .first()
    )


_UNREAD = object()


def issuing_problems(candidacy, registration=_UNREAD) -> list[str]:
    """What stops issuing documents for ``candidacy``, in French (empty: nothing);
    ``registration`` (or None: there is none) when the caller has read it already."""
    problems = []
    if registration is _UNREAD:
        registration = _registration(candidacy)
    if registration is None:
        problems.append(
            _(
                "L'enregistrement RNCP de cette version du référentiel n'est pas saisi "
                "(Référentiel › Enregistrement RNCP)."
            )
        )
    else:
        problems += [
            _("Enregistrement RNCP : « %(field)s » est à saisir.") % {"field": field}
            for field in registration.missing_fields()
        ]
    identity = getattr(candidacy, "eligibility_request", None)
    for name in IDENTITY_FIELDS:
        if identity is None or not getattr(identity, name):
            label = identity._meta.get_field(name).verbose_name if identity else name
            problems.append(_("Livret 1 du candidat : « %(field)s » manque.") % {"field": label})
    return problems


def issuing_problems_of(candidacies) -> list[tuple[object, list[str]]]:
    """``issuing_problems`` of each candidacy, the registrations read in one query (the
    back office lists the decisions waiting for their documents)."""
    candidacies = list(candidacies)
    registrations = {
        row.certification_id: row
        for row in CertificationRegistration.objects.filter(
            certification_id__in={candidacy.certification_id for candidacy in candidacies}
        )
    }
    return [
        (candidacy, issuing_problems(candidacy, registrations.get(candidacy.certification_id)))
        for candidacy in candidacies
    ]


def _snapshot(candidacy, registration) -> dict:
    identity = candidacy.eligibility_request
    birth_place = identity.birth_place
    if identity.birth_country and identity.birth_country.casefold() != "france":
        birth_place = f"{birth_place} ({identity.birth_country})"
    certification = registration.certification
    return {
        "holder_first_names": identity.first_names,
        "holder_birth_name": identity.birth_name,
        "holder_usage_name": identity.usage_name,
        "holder_birth_date": identity.birth_date,
        "holder_birth_place": birth_place,
        "certification_title": certification.title,
        "level": certification.level,
        "certifier_legal_name": registration.certifier_legal_name,
        "rncp_number": registration.rncp_number,
        "registration_date": registration.decision_date,
        "nsf_codes": registration.nsf_codes,
        "signatory_name": registration.signatory_name,
        "signatory_title": registration.signatory_title,
        "issue_place": registration.issue_place,
    }


def _create(**fields) -> Credential:
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return Credential.objects.create(number=numbers.new_number(), **fields)
        except IntegrityError:
            if (
                attempt == NUMBER_ATTEMPTS - 1
                or Credential.objects.filter(
                    candidacy=fields["candidacy"],
                    kind=fields["kind"],
                    bloc_code=fields.get("bloc_code", ""),
                    status=CredentialStatus.VALID,
                ).exists()
            ):
                raise
    raise AssertionError("unreachable")


def _request_pdf(credential) -> None:
    request_document(
        candidacy=credential.candidacy,
        kind=document_kind(credential),
        filename=f"{credential.get_kind_display().split()[0].lower()}-{credential.number}.pdf",
        key=credential.document_key,
    )


@transaction.atomic
def issue_credentials(*, candidacy, validated_bloc_codes, total: bool, decided_on, by=None):
    """The documents of a jury decision: the certificate when the certification is
    obtained (``total``), else one attestation per bloc of ``validated_bloc_codes``.
    Issuing again returns what stands (one valid document per bloc or certificate)."""
    registration = _registration(candidacy)
    problems = issuing_problems(candidacy, registration)
    if problems:
        raise TransitionRefused(
            _("Les documents ne peuvent pas encore être délivrés."), problems=problems
        )
    snapshot = _snapshot(candidacy, registration)
    common = {
        "candidacy": candidacy,
        "certification": registration.certification,
        "decided_on": decided_on,
        "issued_on": timezone.localdate(),
        "issued_by": by,
        **snapshot,
    }
    if total:
        wanted = [{"kind": CredentialKind.CERTIFICATE}]
    else:
        titles = dict(
            Bloc.objects.filter(
                certification_id=candidacy.certification_id, code__in=validated_bloc_codes
            ).values_list("code", "title")
        )
        unknown = sorted(set(validated_bloc_codes) - set(titles))
        if unknown:
            raise TransitionRefused(
                _("Bloc inconnu de cette version du référentiel : %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        wanted = [
            {"kind": CredentialKind.BLOC_ATTESTATION, "bloc_code": code, "bloc_title": titles[code]}
            for code in sorted(titles)
        ]
    issued = []
    for fields in wanted:
        standing = Credential.objects.filter(
            candidacy=candidacy,
            kind=fields["kind"],
            bloc_code=fields.get("bloc_code", ""),
            status=CredentialStatus.VALID,
        ).first()
        if standing is None:
            standing = _create(**common, **fields)
            _request_pdf(standing)
        issued.append(standing)
    return issued


def _reason(reason: str) -> str:
    return required_reason(reason, max_chars=REASON_MAX_CHARS, told_to=_("au titulaire"))


def _standing(credential, by) -> Credential:
    if not permissions.can_manage(by):
        raise TransitionForbidden(_("Seul un certificateur peut modifier un document délivré."))
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.status != CredentialStatus.VALID:
        raise TransitionRefused(
            _("Ce document est déjà %(status)s depuis le %(date)s.")
            % {
                "status": credential.get_status_display().lower(),
                "date": fr.date(credential.status_changed_at),
            }
        )
    return credential


def _set_status(credential, status, reason) -> None:
    credential.status = status
    credential.status_reason = reason
    credential.status_changed_at = timezone.now()
    credential.save(update_fields=["status", "status_reason", "status_changed_at"])


@transaction.atomic
def rectify(credential, *, by, reason: str) -> Credential:
    """A corrected document replacing ``credential``: a new number, the identity and the
    registration as they are now (corrected in livret 1 or the back office first); the
    old one stays verifiable as « rectifié »."""
    reason = _reason(reason)
    credential = _standing(credential, by)
    candidacy = credential.candidacy
    registration = _registration(candidacy)
    problems = issuing_problems(candidacy, registration)
    if problems:
        raise TransitionRefused(_("Le document ne peut pas être rectifié."), problems=problems)
    _set_status(credential, CredentialStatus.RECTIFIED, reason)
    replacement = _create(
        candidacy=candidacy,
        certification=registration.certification,
        kind=credential.kind,
        bloc_code=credential.bloc_code,
        bloc_title=credential.bloc_title,
        decided_on=credential.decided_on,
        issued_on=timezone.localdate(),
        issued_by=by,
        replaces=credential,
        **_snapshot(candidacy, registration),
    )
    _request_pdf(replacement)
    return replacement


@transaction.atomic
def cancel(credential, *, by, reason: str) -> Credential:
    """Withdraw ``credential`` (a decision annulled): verification says « annulé »."""
    reason = _reason(reason)
    credential = _standing(credential, by)
    _set_status(credential, CredentialStatus.CANCELLED, reason)
    return credential


def issue_for_decision(candidacy, *, by=None, decision=None) -> list[Credential]:
    """The documents of ``candidacy``'s signed jury decision (``decision`` when the caller
    has read it): the certificate for a validation totale, one attestation per bloc
    validated for a partial one, none for a refusal. Refused (``TransitionRefused``) while
    a fact the documents print is missing, or when there is no signed decision."""
    if decision is None:
        decision = jury_selectors.candidate_decision(candidacy)
    if decision is None:
        raise TransitionRefused(_("Le jury n'a pas encore rendu de décision signée."))
    if decision.result == DecisionResult.REFUSAL:
        return []
    return issue_credentials(
        candidacy=candidacy,
        validated_bloc_codes=[item.bloc.code for item in decision.blocs if item.validated],
        total=decision.result == DecisionResult.TOTAL,
        decided_on=timezone.localdate(decision.decided_at),
        by=by,
    )


def issue_on_decide(*, candidacy, entry) -> None:
    """``decide``'s effect (after the jury's own, which stores the decision): the documents
    are issued at once when every fact they print is known. When one is missing, the
    decision stands all the same — it is the jury's, not the paperwork's — and the
    certifier issues them from the back office once the facts are entered
    (« Décisions sans document »)."""
    issue_when_possible(candidacy)


def issue_when_possible(candidacy, decision=None) -> None:
    """Issue ``candidacy``'s documents now if every printed fact is known; else log why."""
    try:
        with transaction.atomic():
            issue_for_decision(candidacy, decision=decision)
    except TransitionRefused as refused:
        logger.info("Candidacy %s decided; documents not issued yet: %s", candidacy.pk, refused)


def follow_rectification(*, candidacy, rectification) -> None:
    """A rectified decision's effect on its documents (registered with ``jury``): the
    certificate is cancelled unless the result is still a validation totale, each bloc
    attestation unless its bloc is still validated (what stays true stays valid), with
    the rectification's reason; then what the new decision calls for is issued, when
    every printed fact is known (else it waits in « Décisions sans document »)."""
    decision = jury_selectors.candidate_decision(candidacy)
    validated = {item.bloc.code for item in decision.blocs if item.validated}
    total = decision.result == DecisionResult.TOTAL
    for credential in Credential.objects.select_for_update().filter(
        candidacy=candidacy, status=CredentialStatus.VALID
    ):
        holds = total if credential.is_certificate else credential.bloc_code in validated
        if not holds:
            _set_status(credential, CredentialStatus.CANCELLED, rectification.reason)
    issue_when_possible(candidacy, decision)
