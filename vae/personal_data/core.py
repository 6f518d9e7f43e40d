"""The core's part of a person's data: their account, candidacies with their history,
acquired blocs and generated documents; and the anonymisation of the account."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from vae.documents.registry import document_type, retained_kinds
from vae.enums import CandidacyState, Role, Transition
from vae.models import (
    AcquiredBloc,
    Candidacy,
    CandidacyTransition,
    FileAccess,
    GeneratedDocument,
)
from vae.personal_data.records import plain, record
from vae.personal_data.registry import ArchiveFile

ANONYMOUS_NAME = "Anonyme"
ACCOUNT_PRIVATE_FIELDS = ("password", "is_superuser", "is_staff", "anonymised_at")


def candidacy_folder(candidacy) -> str:
    return f"fichiers/{candidacy.reference}"


def _own_candidacies(user):
    return (
        Candidacy.objects.filter(candidate=user)
        .select_related("certification")
        .with_targeted_blocs()
        .prefetch_related(
            Prefetch("transitions", queryset=CandidacyTransition.objects.order_by("created_at")),
            Prefetch("documents", queryset=GeneratedDocument.objects.order_by("kind", "key")),
        )
        .order_by("created_at")
    )


def _readable_documents(user, candidacy):
    return [
        document
        for document in candidacy.documents.all()
        if document.is_ready and document_type(document.kind).can_read(user, document)
    ]


def _transition(row) -> dict:
    # Staff are named by their role, as on the candidate's timeline: their names are
    # their own personal data.
    return {
        "le": plain(row.created_at),
        "action": Transition(row.transition).label,
        "de": CandidacyState(row.source_state).label,
        "vers": CandidacyState(row.target_state).label,
        "par": Role(row.actor_role).label,
        "commentaire": row.comment,
    }


def _document(document) -> dict:
    return {
        "type": document.get_kind_display(),
        "version": document.key,
        "état": document.get_status_display(),
        "nom du fichier": document.filename,
        "SHA-256": document.sha256,
        "créé le": plain(document.finished_at),
    }


def collect_account(user) -> dict:
    return {
        "compte": record(user, exclude=ACCOUNT_PRIVATE_FIELDS),
        "rôles": sorted(str(role.label) for role in user.roles),
        "candidatures": [
            {
                "référence": candidacy.reference,
                "certification": f"{candidacy.certification.title} "
                f"(version {candidacy.certification.version})",
                **record(candidacy, exclude=("certification_code", "awaiting_decision")),
                "blocs visés": [
                    f"{bloc.code} — {bloc.title}" for bloc in candidacy.targeted_blocs.all()
                ],
                "historique": [_transition(row) for row in candidacy.transitions.all()],
                "documents générés": [
                    _document(document) for document in _readable_documents(user, candidacy)
                ],
            }
            for candidacy in _own_candidacies(user)
        ],
        "blocs acquis": [
            record(bloc) for bloc in AcquiredBloc.objects.filter(candidate=user).order_by("pk")
        ],
        # Who received the data, by the right of access: when and which file, not the
        # reader's name (theirs is their own personal data).
        "consultations de mes fichiers": [
            {
                "le": plain(access.accessed_at),
                "candidature": access.candidacy.reference,
                "type": access.get_kind_display(),
                "fichier": access.label,
            }
            for access in FileAccess.objects.filter(candidacy__candidate=user)
            .select_related("candidacy")
            .order_by("accessed_at", "pk")
        ],
    }


def account_files(user):
    for candidacy in _own_candidacies(user):
        for document in _readable_documents(user, candidacy):
            yield ArchiveFile(
                f"{candidacy_folder(candidacy)}/documents/{document.filename}",
                document.file.open,
            )


def anonymise_accounts(users, *, apply: bool) -> list[str]:
    """Names, e-mail address and password of ``users`` erased; the row stays for the
    decisions, history and acquired blocs that point at it."""
    lines = []
    for user in users.order_by("pk"):
        lines.append(
            _("Compte n° %(pk)s : nom, prénom et adresse e-mail effacés") % {"pk": user.pk}
        )
        if apply:
            user.first_name = ANONYMOUS_NAME
            user.last_name = ""
            user.email = f"anonyme-{user.pk}@anonyme.invalid"
            user.set_unusable_password()
            user.is_active = False
            user.anonymised_at = timezone.now()
            user.save()
    return lines


def delete_generated_documents(users, *, apply: bool) -> list[str]:
    """The PDFs printed about ``users`` (their names are in them), except the kinds the
    owning app retains."""
    documents = (
        GeneratedDocument.objects.filter(candidacy__candidate__in=users)
        .exclude(kind__in=retained_kinds())
        .select_related("candidacy")
        .order_by("pk")
    )
    lines = []
    for document in documents:
        lines.append(
            _("%(reference)s : document « %(kind)s » (%(key)s) supprimé")
            % {
                "reference": document.candidacy.reference,
                "kind": document.get_kind_display(),
                "key": document.key,
            }
        )
        if apply:
            name, storage = document.file.name, document.file.storage
            document.delete()
            if name:
                storage.delete(name)
    return lines
