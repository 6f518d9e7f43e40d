"""Evidence files (pièces justificatives): what an upload must be to be accepted, and the
services that add, delete, withdraw and replace them.

Checks go by the bytes, never by the file's name or the type the browser declares
(ARCHITECTURE.md §7). Each refusal has its own French message and changes nothing: the
upload is streamed to a temporary file next to the evidence folder, checked there, and
either moved into place inside the transaction that creates its row or removed.

PDF reading is *lenient* (pypdf ``strict=False``): payroll software, scanners and
"print to PDF" drivers commonly write small defects (xref offsets off by a few bytes, a
missing line break before ``%%EOF``) that every viewer tolerates and that the candidate
cannot fix; strict mode would refuse those genuine documents. Leniency is bounded by our
own checks, which pypdf's recovery would otherwise paper over: the file must end with
``startxref``/``%%EOF`` (a truncated copy does not, and pypdf could silently read an
earlier revision of it), its page tree must be complete and every page's content must be
reachable.
"""

import contextlib
import hashlib
import os
import re
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from livret.dossier import editing, unsign
from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import CompetenceLink, Evidence, EvidencePage
from vae.workflow import WorkflowError

CHUNK_SIZE = 1024 * 1024
# The PDF specification puts %%EOF at the very end; readers (Acrobat included) accept it
# within the last 1024 bytes, to allow for trailing padding added by some transfers.
TAIL_SIZE = 1024

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# A JavaScript entry anywhere in the raw bytes (uncompressed objects). Object streams
# hide such entries from this scan: the structural walk of ``_pdf_has_javascript``
# covers them. Either finding flags the file.
JS_TOKEN = re.compile(rb"/(?:JavaScript|JS)(?![A-Za-z0-9_.#-])")
JS_CARRY = 16


class EvidenceRefused(WorkflowError):
    """An upload or a change refused, with the French reason shown to the candidate.

    ``code`` names the reason for tests and logs (``empty``, ``too_big``, ``not_accepted``,
    ``pdf_truncated``, ``pdf_damaged``, ``pdf_encrypted``, ``pdf_too_many_pages``,
    ``pdf_no_pages``, ``image_too_large``, ``image_damaged``, ``duplicate``, ``frozen``,
    ``not_frozen``, ``not_current``).
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# -- what a file is --------------------------------------------------------------------------

# Formats we refuse but can name, so the message says what the file really is.
_KNOWN_OTHERS = (
    (
        re.compile(rb"\s*(?:<!doctype html|<html|<head|<body|<meta|<!--)", re.I),
        gettext_lazy("une page web (HTML)"),
    ),
    (
        re.compile(rb"PK\x03\x04"),
        gettext_lazy("une archive ZIP ou un document Word, Excel ou OpenOffice"),
    ),
    (re.compile(rb"\xd0\xcf\x11\xe0"), gettext_lazy("un ancien document Word ou Excel")),
    (re.compile(rb"GIF8[79]a"), gettext_lazy("une image GIF")),
    (re.compile(rb"(?:II\*\x00|MM\x00\*)"), gettext_lazy("une image TIFF")),
    (re.compile(rb"RIFF....WEBP", re.S), gettext_lazy("une image WebP")),
    (
        re.compile(rb"....ftyp(?:heic|heix|mif1|hevc)", re.S),
        gettext_lazy("une photo HEIC (iPhone)"),
    ),
    (re.compile(rb"\s*<\?xml"), gettext_lazy("un fichier XML")),
)


def detect_type(head: bytes) -> str | None:
    """The accepted type of a file from its first bytes, or None."""
    if head.startswith(PDF_MAGIC):
        return FileType.PDF
    if head.startswith(JPEG_MAGIC):
        return FileType.JPEG
    if head.startswith(PNG_MAGIC):
        return FileType.PNG
    return None


def _not_accepted(head: bytes) -> EvidenceRefused:
    for pattern, label in _KNOWN_OTHERS:
        if pattern.match(head):
            what = _("d'après son contenu, c'est %(what)s, quel que soit son nom") % {"what": label}
            break
    else:
        what = _("son contenu ne correspond à aucun de ces formats, quel que soit son nom")
    return EvidenceRefused(
        _(
            "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG : %(what)s. Enregistrez-le "
            "ou exportez-le au format PDF depuis le logiciel qui l'a créé, puis déposez ce PDF."
        )
        % {"what": what},
        code="not_accepted",
    )


def refused_empty() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce fichier est vide (0 octet) : il n'y a rien à joindre. Vérifiez que vous avez "
            "choisi le bon fichier, ou enregistrez-le de nouveau depuis le logiciel qui l'a créé."
        ),
        code="empty",
    )


def refused_too_big(size: int) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce fichier pèse %(size)s, au-delà de la limite de %(limit)s par pièce. "
            "Réduisez-le (par exemple en numérisant à 200 ou 300 dpi) ou découpez-le en "
            "plusieurs pièces."
        )
        % {
            "size": size_text(size),
            "limit": size_text(settings.VAE_EVIDENCE_MAX_BYTES),
        },
        code="too_big",
    )


def _pdf_truncated() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce PDF est incomplet : sa fin manque, il a sans doute été tronqué lors d'un "
            "téléchargement ou d'une copie. Ouvrez-le pour vérifier, enregistrez-le de "
            "nouveau en entier, puis déposez-le."
        ),
        code="pdf_truncated",
    )


def _pdf_damaged(page: int | None = None) -> EvidenceRefused:
    where = (
        _("sa page %(page)s n'a pas pu être lue") % {"page": page}
        if page
        else _("sa structure n'a pas pu être lue")
    )
    return EvidenceRefused(
        _(
            "Ce PDF est endommagé : %(where)s. Ouvrez-le pour vérifier, puis enregistrez-le "
            "de nouveau au format PDF (par exemple avec « Imprimer » puis « Enregistrer au "
            "format PDF ») avant de le déposer."
        )
        % {"where": where},
        code="pdf_damaged",
    )


def _pdf_encrypted(*, opens_without_password: bool = False) -> EvidenceRefused:
    protection = (
        _("Ce PDF est chiffré, même s'il s'ouvre sans mot de passe")
        if opens_without_password
        else _("Ce PDF est protégé par un mot de passe")
    )
    return EvidenceRefused(
        _(
            "%(protection)s : nous ne pourrions pas garantir sa lecture par les évaluateurs "
            "et le jury. Enregistrez-en une copie sans protection (« Imprimer » puis "
            "« Enregistrer au format PDF »), puis déposez cette copie."
        )
        % {"protection": protection},
        code="pdf_encrypted",
    )


def _pdf_too_many_pages(pages: int) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce PDF compte %(pages)s pages, au-delà de la limite de %(limit)s pages par pièce. "
            "Découpez-le en plusieurs pièces, ou ne gardez que les pages utiles."
        )
        % {"pages": pages, "limit": settings.VAE_EVIDENCE_MAX_PAGES},
        code="pdf_too_many_pages",
    )


def size_text(size: int) -> str:
    """A file size as French users read it: « 850 octets », « 12 Ko », « 3,4 Mo »
    (Django's filesizeformat says « Kio », « Mio » in French)."""
    if size < 1024:
        return ngettext("%(n)s octet", "%(n)s octets", size) % {"n": size}
    if size < 1024 * 1024:
        return _("%(n)s Ko") % {"n": _decimal(size / 1024)}
    return _("%(n)s Mo") % {"n": _decimal(size / (1024 * 1024))}


def _decimal(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _number(value: int) -> str:
    # French digit grouping, with a narrow no-break space: « 50 000 ».
    return f"{value:,}".replace(",", "\u202f")


def _image_too_large(width=None, height=None) -> EvidenceRefused:
    limit = settings.VAE_EVIDENCE_MAX_PIXELS
    limit_text = (
        _("%(n)s millions de pixels") % {"n": f"{limit / 1_000_000:g}".replace(".", ",")}
        if limit >= 1_000_000
        else _("%(n)s pixels") % {"n": limit}
    )
    size = (
        _(" (%(width)s × %(height)s pixels)") % {"width": _number(width), "height": _number(height)}
        if width and height
        else ""
    )
    return EvidenceRefused(
        _(
            "Cette image est trop grande%(size)s : elle dépasse la limite de %(limit)s. "
            "Réduisez sa définition (300 dpi suffisent pour un document A4), puis déposez-la "
            "de nouveau."
        )
        % {"size": size, "limit": limit_text},
        code="image_too_large",
    )


def _image_damaged(fmt: str) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Cette image %(format)s est endommagée ou incomplète : elle n'a pas pu être lue "
            "en entier. Enregistrez-la de nouveau, ou numérisez le document une nouvelle fois."
        )
        % {"format": fmt},
        code="image_damaged",
    )


# -- the checks --------------------------------------------------------------------------------


@dataclass
class Inspection:
    """An upload that passed every check, waiting in its temporary file."""

    path: Path
    original_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int
    has_javascript: bool


def evidence_storage():
    return Evidence._meta.get_field("file").storage


def _incoming_dir() -> Path:
    # Next to the final files so that accepting an upload is a rename, not a copy.
    path = Path(evidence_storage().location) / ".incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_filename(name: str, content_type: str) -> str:
    """The candidate's file name, safe to show and to send back in Content-Disposition,
    with the extension of what the file really is."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if not ch.isprintable() else ch for ch in name if ch not in '"<>:|?*;')
    name = " ".join(name.split()).strip(" .")
    extensions = {
        FileType.PDF: (".pdf",),
        FileType.JPEG: (".jpg", ".jpeg"),
        FileType.PNG: (".png",),
    }[content_type]
    if not name.lower().endswith(extensions):
        name = f"{name or _('piece')}{extensions[0]}"
    stem, _dot, extension = name.rpartition(".")
    return f"{stem[: 254 - len(extension)]}.{extension}"


@contextlib.contextmanager
def received(uploaded):
    """Stream ``uploaded`` (a Django UploadedFile) to a temporary file while hashing it,
    check its content, and yield its ``Inspection``.

    Raises ``EvidenceRefused``. The temporary file is removed on exit, whatever happens,
    unless the caller moved it into place (``upload_evidence``).
    """
    limit = settings.VAE_EVIDENCE_MAX_BYTES
    if not uploaded.size:
        raise refused_empty()
    if uploaded.size > limit:
        # Refused before a single byte is copied.
        raise refused_too_big(uploaded.size)
    fd, name = tempfile.mkstemp(dir=_incoming_dir(), prefix="upload-")
    path = Path(name)
    try:
        digest = hashlib.sha256()
        size, head, tail, carry, javascript, content_type = 0, b"", b"", b"", False, None
        with os.fdopen(fd, "wb") as out:
            for chunk in uploaded.chunks(CHUNK_SIZE):
                size += len(chunk)
                if size > limit:
                    raise refused_too_big(size)
                if content_type is None:
                    head = (head + chunk)[:64]
                    # Refused on the first bytes: nothing more is copied.
                    if len(head) >= len(PNG_MAGIC):
                        content_type = detect_type(head)
                        if content_type is None:
                            raise _not_accepted(head)
                digest.update(chunk)
                out.write(chunk)
                window = carry + chunk
                if not javascript and JS_TOKEN.search(window):
                    javascript = True
                carry = window[-JS_CARRY:]
                tail = (tail + chunk[-TAIL_SIZE:])[-TAIL_SIZE:]
        if size == 0:
            raise refused_empty()
        if content_type is None:
            # A file shorter than a PNG signature.
            content_type = detect_type(head)
            if content_type is None:
                raise _not_accepted(head)
        if content_type == FileType.PDF:
            page_count, structural_js = _check_pdf(path, tail)
            javascript = javascript or structural_js
        else:
            page_count, javascript = _check_image(path, content_type, head, tail), False
        yield Inspection(
            path=path,
            original_name=clean_filename(uploaded.name, content_type),
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            page_count=page_count,
            has_javascript=javascript,
        )
    finally:
        path.unlink(missing_ok=True)


def _check_pdf(path: Path, tail: bytes) -> tuple[int, bool]:
    """The page count and whether JavaScript was found, or ``EvidenceRefused``."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError
    from pypdf.generic import StreamObject

    if b"%%EOF" not in tail:
        raise _pdf_truncated()
    if b"startxref" not in tail:
        raise _pdf_damaged()
    limit = settings.VAE_EVIDENCE_MAX_PAGES
    with path.open("rb") as stream:
        # A file object, not a path: pypdf then reads what it needs instead of loading
        # the whole file in memory.
        try:
            reader = PdfReader(stream, strict=False)
            encrypted = reader.is_encrypted
        except (DependencyError, FileNotDecryptedError, WrongPasswordError) as exc:
            raise _pdf_encrypted() from exc
        except Exception as exc:
            raise _pdf_damaged() from exc
        if encrypted:
            # Even with an empty user password: the encryption handler could stop
            # opening it after a library update, and the evaluators would lose it.
            try:
                opens = bool(reader.decrypt(""))
            except Exception:
                opens = False
            raise _pdf_encrypted(opens_without_password=opens)
        try:
            pages = reader.trailer["/Root"]["/Pages"]
            declared = pages.get("/Count", 0)
            # The declared count is checked before walking the tree, so that a file
            # claiming millions of pages is refused without building them.
            if isinstance(declared, int) and declared > limit:
                raise _pdf_too_many_pages(declared)
            count = len(reader.pages)
        except EvidenceRefused:
            raise
        except Exception as exc:
            raise _pdf_damaged() from exc
        if count > limit:
            raise _pdf_too_many_pages(count)
        if count == 0:
            raise EvidenceRefused(
                _("Ce PDF ne contient aucune page : il n'y a rien à lire."), code="pdf_no_pages"
            )
        for number, page in enumerate(reader.pages, start=1):
            try:
                # Resolves each content stream (its raw bytes, no decoding): a missing
                # or broken object in the middle of the file shows up here (lenient pypdf
                # resolves a missing object to None instead of raising).
                reference = page.get("/Contents")  # .get() leaves it unresolved
                readable = True
                if reference is not None:
                    contents = _resolve(reference)
                    parts = contents if isinstance(contents, list) else [contents]
                    readable = all(isinstance(_resolve(part), StreamObject) for part in parts)
            except Exception as exc:
                raise _pdf_damaged(number) from exc
            if not readable:
                raise _pdf_damaged(number)
        try:
            javascript = _pdf_has_javascript(reader)
        except Exception:
            # A structure too odd to walk: flag it rather than show it inline.
            javascript = True
    return count, javascript


def _resolve(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _is_javascript_action(action, depth=0) -> bool:
    """Whether an action dictionary (or its ``/Next`` chain) runs JavaScript."""
    action = _resolve(action)
    if depth > 32 or not hasattr(action, "get"):
        return False
    if action.get("/S") == "/JavaScript" or "/JS" in action:
        return True
    following = _resolve(action.get("/Next"))
    if following is None:
        return False
    if isinstance(following, list):
        return any(_is_javascript_action(item, depth + 1) for item in following)
    return _is_javascript_action(following, depth + 1)


def _actions_have_javascript(actions) -> bool:
    """``/AA`` additional actions: a dictionary of trigger → action."""
    actions = _resolve(actions)
    if not hasattr(actions, "values"):
        return False
    return any(_is_javascript_action(action) for action in actions.values())


def _pdf_has_javascript(reader) -> bool:
    root = _resolve(reader.trailer["/Root"])
    names = _resolve(root.get("/Names"))
    if names is not None and "/JavaScript" in names:
        return True
    if _is_javascript_action(root.get("/OpenAction")) or _actions_have_javascript(root.get("/AA")):
        return True
    for page in reader.pages:
        if _actions_have_javascript(page.get("/AA")):
            return True
        for annotation in _resolve(page.get("/Annots")) or []:
            annotation = _resolve(annotation)
            if hasattr(annotation, "get") and (
                _is_javascript_action(annotation.get("/A"))
                or _actions_have_javascript(annotation.get("/AA"))
            ):
                return True
    form = _resolve(root.get("/AcroForm"))
    fields = list(_resolve(form.get("/Fields")) or []) if hasattr(form, "get") else []
    seen = set()
    while fields:
        field = _resolve(fields.pop())
        if not hasattr(field, "get") or id(field) in seen or len(seen) > 10_000:
            continue
        seen.add(id(field))
        if _is_javascript_action(field.get("/A")) or _actions_have_javascript(field.get("/AA")):
            return True
        fields.extend(_resolve(field.get("/Kids")) or [])
    return False


def _png_dimensions(head: bytes) -> tuple[int, int] | None:
    # IHDR is always the first chunk, right after the 8-byte signature.
    if len(head) >= 24 and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    return None


def _check_image(path: Path, content_type: str, head: bytes, tail: bytes) -> int:
    """1 (an image is one page), or ``EvidenceRefused``.

    Only the header is read (``Image.open`` is lazy) and ``verify()`` walks the chunks
    without decoding the pixels, so a huge or hostile image costs neither time nor memory.
    """
    from PIL import Image

    limit = settings.VAE_EVIDENCE_MAX_PIXELS
    declared = _png_dimensions(head) if content_type == FileType.PNG else None
    if declared and declared[0] * declared[1] > limit:
        raise _image_too_large(*declared)
    fmt = "PNG" if content_type == FileType.PNG else "JPEG"
    try:
        with Image.open(path, formats=[fmt]) as image:
            width, height = image.size
            if width * height > limit:
                raise _image_too_large(width, height)
            image.verify()
    except EvidenceRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (a warning, an error under -W error) may fire before ours
        # when our limit is set above Pillow's MAX_IMAGE_PIXELS.
        raise _image_too_large() from exc
    except Exception as exc:  # UnidentifiedImageError, OSError, SyntaxError…
        raise _image_damaged(fmt) from exc
    # Pillow's JPEG verify() checks nothing: a JPEG cut short lacks its end marker (FF D9
    # cannot appear inside compressed data, where FF is always followed by 00 or a
    # restart marker).
    if content_type == FileType.JPEG and b"\xff\xd9" not in tail:
        raise _image_damaged(fmt)
    return 1


# -- reading ------------------------------------------------------------------------------------


def can_show_inline(evidence) -> bool:
    """A PDF with JavaScript is only ever downloaded, never displayed by the browser."""
    return evidence.content_type in (FileType.JPEG, FileType.PNG) or (
        evidence.content_type == FileType.PDF and not evidence.has_javascript
    )


FINAL_STATUSES = (ExtractionStatus.READY, ExtractionStatus.FAILED)


def status_text(evidence, text_pages: int | None = None) -> str:
    """The extraction status as the candidate reads it: « Prête (12 pages) »…"""
    status = evidence.extraction_status
    if status == ExtractionStatus.FAILED:
        return _("Échec : %(reason)s") % {"reason": evidence.extraction_error or _("motif inconnu")}
    if status != ExtractionStatus.READY:
        return ExtractionStatus(status).label
    if evidence.content_type != FileType.PDF:
        # No OCR: the text of a scan is not read (out of scope, said on the upload page).
        return _("Prête (image : texte non lu)")
    pages = ngettext("%(n)s page", "%(n)s pages", evidence.page_count) % {"n": evidence.page_count}
    if text_pages == 0:
        return _("Prête (%(pages)s, sans texte lisible : document numérisé ?)") % {"pages": pages}
    return _("Prête (%(pages)s)") % {"pages": pages}


def dossier_evidence(dossier) -> list:
    """Every piece of the dossier in upload order, described (``describe``) in a fixed
    number of queries."""
    items = list(
        Evidence.objects.filter(dossier=dossier)
        .select_related("replaces", "replaced_by", "first_submission")
        .order_by("uploaded_at", "pk")
    )
    # Pages with text, per piece; None when no page was stored (nothing known yet).
    text_pages = {
        row["evidence"]: row["with_text"]
        for row in EvidencePage.objects.filter(evidence__dossier=dossier)
        .values("evidence")
        .annotate(with_text=Count("pk", filter=~Q(text="")))
    }
    link_counts = dict(
        CompetenceLink.objects.filter(dossier=dossier, evidence__isnull=False)
        .values_list("evidence")
        .annotate(n=Count("pk"))
    )
    for evidence in items:
        describe(
            evidence,
            text_pages=text_pages.get(evidence.pk),
            link_count=link_counts.get(evidence.pk, 0),
        )
    return items


_UNKNOWN = object()


def describe(evidence, *, text_pages=_UNKNOWN, link_count=None):
    """Set what the evidence templates show on one piece (``dossier_evidence`` does it for
    a whole dossier in fixed queries)."""
    if text_pages is _UNKNOWN:
        pages = evidence.pages.aggregate(
            total=Count("pk"), with_text=Count("pk", filter=~Q(text=""))
        )
        text_pages = pages["with_text"] if pages["total"] else None
    if link_count is None:
        link_count = evidence.links.count()
    evidence.text_pages = text_pages
    evidence.link_count = link_count
    evidence.status_text = status_text(evidence, text_pages)
    evidence.is_final = evidence.extraction_status in FINAL_STATUSES
    evidence.inline = can_show_inline(evidence)
    evidence.size_text = size_text(evidence.size)
    # The reverse one-to-one raises an AttributeError subclass when there is none.
    evidence.replacement = getattr(evidence, "replaced_by", None)
    evidence.is_current = evidence.withdrawn_at is None and evidence.replacement is None
    return evidence


def extraction_statuses(dossier) -> dict:
    """What the status endpoint returns: per evidence id, its status and label."""
    items = dossier_evidence(dossier)
    return {
        "done": all(evidence.is_final for evidence in items),
        "evidence": {
            str(evidence.pk): {
                "status": evidence.extraction_status,
                "label": evidence.status_text,
                "final": evidence.is_final,
            }
            for evidence in items
        },
    }


# -- services -----------------------------------------------------------------------------------


@dataclass
class EvidenceChange:
    evidence: Evidence | None
    # The sworn statement was signed and no longer covers the dossier.
    unsigned: bool
    links_deleted: int = 0


def _refuse_duplicate(dossier, sha256: str) -> None:
    existing = Evidence.objects.filter(dossier=dossier, sha256=sha256).first()
    if existing is None:
        return
    message = _("Ce fichier est déjà joint à votre dossier : « %(title)s »") % {
        "title": existing.title
    }
    if existing.withdrawn_at is not None:
        message += _(" (pièce retirée du dossier, gardée dans l'historique des dépôts).")
    elif not Evidence.objects.filter(pk=existing.pk).current().exists():
        message += _(" (pièce remplacée, gardée dans l'historique des dépôts).")
    else:
        message += "."
    raise EvidenceRefused(message, code="duplicate")


def _locked(evidence) -> Evidence:
    """The evidence row again, locked, after ``editing`` locked the candidacy."""
    return Evidence.objects.select_for_update().get(pk=evidence.pk)


def _refuse_not_current(evidence) -> None:
    if evidence.withdrawn_at is not None:
        raise EvidenceRefused(_("Cette pièce a déjà été retirée du dossier."), code="not_current")
    if Evidence.objects.filter(replaces=evidence).exists():
        raise EvidenceRefused(_("Cette pièce a déjà été remplacée."), code="not_current")


def check_deletable(evidence) -> None:
    """Only a piece never submitted is deleted; a submitted one is withdrawn or replaced."""
    if evidence.is_frozen:
        raise EvidenceRefused(
            _(
                "Cette pièce fait partie d'un dossier déjà déposé : elle ne peut plus être "
                "supprimée, seulement retirée du dossier ou remplacée."
            ),
            code="frozen",
        )


def check_withdrawable(evidence) -> None:
    if not evidence.is_frozen:
        raise EvidenceRefused(
            _("Cette pièce n'a pas encore été déposée : vous pouvez simplement la supprimer."),
            code="not_frozen",
        )
    _refuse_not_current(evidence)


def check_replaceable(evidence) -> None:
    if not evidence.is_frozen:
        raise EvidenceRefused(
            _(
                "Cette pièce n'a pas encore été déposée : supprimez-la, puis ajoutez la "
                "nouvelle version."
            ),
            code="not_frozen",
        )
    _refuse_not_current(evidence)


def _enqueue_extraction(evidence_id: int) -> None:
    from livret.tasks import extract_evidence_text

    extract_evidence_text.enqueue(evidence_id)


def upload_evidence(*, dossier, by, uploaded, title, kind, replaces=None) -> EvidenceChange:
    """Add a file to the dossier (or a new version of a submitted piece: ``replaces``).

    The content checks run before the transaction (they read the whole file and need no
    lock); the permission, the duplicate check and the insert run inside it. Text
    extraction is queued once the row is committed, so the request does not wait for it.
    """
    title = (title or "").strip()
    if not title:
        raise EvidenceRefused(_("Donnez un titre à cette pièce."), code="title")
    if kind not in EvidenceKind.values:
        raise EvidenceRefused(_("Choisissez la nature de la pièce."), code="kind")
    storage = evidence_storage()
    with received(uploaded) as inspection:
        final_path = None
        try:
            with transaction.atomic():
                editing(dossier, by)
                if replaces is not None:
                    replaces = _locked(replaces)
                    if replaces.dossier_id != dossier.pk:
                        raise EvidenceRefused(
                            _("Cette pièce n'appartient pas à ce dossier."), code="not_current"
                        )
                    check_replaceable(replaces)
                _refuse_duplicate(dossier, inspection.sha256)
                evidence = Evidence(
                    dossier=dossier,
                    title=title,
                    kind=kind,
                    original_name=inspection.original_name,
                    content_type=inspection.content_type,
                    size=inspection.size,
                    sha256=inspection.sha256,
                    page_count=inspection.page_count,
                    has_javascript=inspection.has_javascript,
                    extraction_status=ExtractionStatus.PENDING,
                    uploaded_by=by,
                    replaces=replaces,
                )
                evidence.file.name = evidence.file.field.generate_filename(
                    evidence, inspection.original_name
                )
                try:
                    with transaction.atomic():
                        evidence.save()
                except IntegrityError:
                    # Another request inserted the same file (or replaced the same piece)
                    # between our check and our insert: explain it like the check does.
                    _refuse_duplicate(dossier, inspection.sha256)
                    if replaces is not None:
                        _refuse_not_current(replaces)
                    raise
                final_path = Path(storage.path(evidence.file.name))
                final_path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(inspection.path, final_path)
                if storage.file_permissions_mode is not None:
                    os.chmod(final_path, storage.file_permissions_mode)
                unsigned = unsign(dossier)
                transaction.on_commit(partial(_enqueue_extraction, evidence.pk), robust=True)
        except BaseException:
            if final_path is not None:
                final_path.unlink(missing_ok=True)
            raise
    return EvidenceChange(evidence=evidence, unsigned=unsigned)


def replace_evidence(*, evidence, by, uploaded, title, kind) -> EvidenceChange:
    """A new version of a submitted piece: a new row that ``replaces`` it.

    The candidate's links stay on the old piece (they were written for its content): the
    new one is linked anew, on the links page.
    """
    return upload_evidence(
        dossier=evidence.dossier,
        by=by,
        uploaded=uploaded,
        title=title,
        kind=kind,
        replaces=evidence,
    )


def delete_evidence(*, evidence, by) -> EvidenceChange:
    """Delete a piece never submitted: its row, its pages, its links and its file."""
    dossier = evidence.dossier
    with transaction.atomic():
        editing(dossier, by)
        evidence = _locked(evidence)
        check_deletable(evidence)
        # CompetenceLink protects its evidence: the links go first, in this transaction.
        links_deleted, _detail = CompetenceLink.objects.filter(evidence=evidence).delete()
        name = evidence.file.name
        evidence.delete()
        unsigned = unsign(dossier)
        # The file goes only once the rows are gone for good: a rollback keeps both.
        transaction.on_commit(partial(evidence_storage().delete, name), robust=True)
    return EvidenceChange(evidence=None, unsigned=unsigned, links_deleted=links_deleted)


def withdraw_evidence(*, evidence, by) -> EvidenceChange:
    """Take a submitted piece out of the dossier: kept (with its links) for the record,
    it no longer counts for the compétences it was linked to."""
    dossier = evidence.dossier
    with transaction.atomic():
        editing(dossier, by)
        evidence = _locked(evidence)
        if not evidence.is_frozen:
            raise EvidenceRefused(
                _("Cette pièce n'a pas encore été déposée : vous pouvez la supprimer simplement."),
                code="not_frozen",
            )
        _refuse_not_current(evidence)
        evidence.withdrawn_at = timezone.now()
        evidence.save(update_fields=["withdrawn_at"])
        unsigned = unsign(dossier)
    return EvidenceChange(evidence=evidence, unsigned=unsigned)
