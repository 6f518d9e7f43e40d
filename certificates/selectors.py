from certificates import numbers
from certificates.enums import CredentialKind
from certificates.models import Credential

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
    credentials = list(
        Credential.objects.filter(candidacy=candidacy).order_by("kind", "bloc_code", "created_at")
    )
    documents = {
        document.key: document
        for document in candidacy.documents.filter(key__startswith=DOCUMENT_KEY_PREFIX)
    }
    for credential in credentials:
        credential.document = documents.get(credential.document_key)
    credentials.sort(key=lambda c: c.kind != CredentialKind.CERTIFICATE)
    return credentials
