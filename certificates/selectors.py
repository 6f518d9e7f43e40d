from django.db.models import Exists, OuterRef, Q

from certificates import numbers
from certificates.enums import CredentialStatus
from certificates.models import Credential
from jury.enums import DecisionResult
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
    """Decided candidacies whose decision validated something and for which no document
    stands: issuing waited for a fact (registration, identity), or a document was
    cancelled. Oldest decision first."""
    standing = Credential.objects.filter(candidacy=OuterRef("pk"), status=CredentialStatus.VALID)
    return (
        Candidacy.objects.filter(
            state=CandidacyState.DECIDED,
            jury_slots__deliberation__result__in=[DecisionResult.TOTAL, DecisionResult.PARTIAL],
        )
        .exclude(Exists(standing))
        .select_related("candidate", "certification")
        .order_by("state_changed_at", "pk")
        .distinct()
    )
