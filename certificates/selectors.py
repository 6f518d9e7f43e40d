from django.db.models import Exists, OuterRef, Q

from certificates import numbers
from certificates.enums import CredentialKind, CredentialStatus
from certificates.models import Credential
from jury.enums import DecisionResult
from jury.models import DecidedBloc
from vae.enums import CandidacyState
from vae.models import Candidacy

DOCUMENT_KEY_PREFIX = "credential-"


def credential_for_document(document):
    """The credential a generated document prints (its key names the number)."""
    if not document.key.startswith(DOCUMENT_KEY_PREFIX):
        return None
    number = numbers.normalize(document.key.removeprefix(DOCUMENT_KEY_PREFIX))
    if number is None:
        return None
    return Credential.objects.filter(number=number, candidacy_id=document.candidacy_id).first()


def verification(number: str):
    """The credential at ``number`` as typed (normalised), or None."""
    number = numbers.normalize(number)
    if number is None:
        return None
    return (
        Credential.objects.select_related("replaced_by")
        .only(
            "number",
            "kind",
            "status",
            "status_changed_at",
            "bloc_code",
            "bloc_title",
            "certification_title",
            "holder_first_names",
            "holder_birth_name",
            "holder_usage_name",
            "decided_on",
            "issued_on",
            "replaced_by__number",
        )
        .filter(number=number)
        .first()
    )


def credentials_of(candidacy) -> list:
    """The documents issued for ``candidacy``, the certificate first, with their PDF."""
    # « certificate » sorts after « bloc_attestation »: descending puts it first.
    credentials = list(
        Credential.objects.filter(candidacy=candidacy).order_by("-kind", "bloc_code", "created_at")
    )
    documents = {
        document.key: document
        for document in candidacy.documents.filter(key__startswith=DOCUMENT_KEY_PREFIX)
    }
    for credential in credentials:
        credential.document = documents.get(credential.document_key)
    return credentials


def staff_credentials(*, status: str = "", query: str = ""):
    """Every issued document, newest first, for the certifier's list: of one ``status``
    when it is one, matching ``query`` (a number as typed, or part of a holder's name)."""
    rows = Credential.objects.select_related("candidacy").order_by("-created_at", "-pk")
    if status in CredentialStatus.values:
        rows = rows.filter(status=status)
    query = " ".join(query.split())[:60]
    if query:
        number = numbers.normalize(query)
        condition = Q(holder_birth_name__icontains=query) | Q(holder_usage_name__icontains=query)
        condition |= Q(holder_first_names__icontains=query)
        if number:
            condition |= Q(number=number)
        rows = rows.filter(condition)
    return rows


def awaiting_issue():
    """Decided candidacies missing a document their decision calls for: the certificate
    of a validation totale, or the attestation of a bloc a partial validation validated.
    Issuing waited for a fact (registration, identity), or a rectification changed the
    result. Oldest decision first."""
    valid = Credential.objects.filter(status=CredentialStatus.VALID)
    certificate = valid.filter(candidacy=OuterRef("pk"), kind=CredentialKind.CERTIFICATE)
    attestation = valid.filter(
        candidacy=OuterRef("deliberation__slot__candidacy"),
        kind=CredentialKind.BLOC_ATTESTATION,
        bloc_code=OuterRef("bloc__code"),
    )
    unattested = DecidedBloc.objects.filter(
        deliberation__slot__candidacy=OuterRef("pk"),
        deliberation__result=DecisionResult.PARTIAL,
        validated=True,
    ).exclude(Exists(attestation))
    total = Q(jury_slots__deliberation__result=DecisionResult.TOTAL) & ~Exists(certificate)
    return (
        Candidacy.objects.filter(state=CandidacyState.DECIDED)
        .filter(total | Exists(unattested))
        .select_related("candidate", "certification", "eligibility_request")
        .order_by("state_changed_at", "pk")
        .distinct()
    )
