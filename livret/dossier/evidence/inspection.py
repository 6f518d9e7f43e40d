"""What an uploaded file is, read from its bytes: accepted only as a PDF, a JPEG or a PNG
that can be read in full (the text of its pages is ``text``'s). No database here: these
functions take a file (or a stream) and limits, and answer or raise ``EvidenceRefused``.

Checks go by the bytes, never by the file's name or the type the browser declares
(ARCHITECTURE.md §7). The upload is streamed to a temporary file while it is hashed and
checked; the caller (``services.upload_evidence``) moves it into place or lets it go.

PDF reading is *lenient* (pypdf ``strict=False``): payroll software, scanners and
"print to PDF" drivers commonly write small defects (xref offsets off by a few bytes, a
missing line break before ``%%EOF``) that every viewer tolerates and that the candidate
cannot fix; strict mode would refuse those genuine documents. Leniency is bounded by our
own checks, which pypdf's recovery would otherwise paper over: the file must end with
``startxref``/``%%EOF`` (a truncated copy does not, and pypdf could silently read an
earlier revision of it), its page tree must be complete and every page's content must be
reachable.

Every content check runs in the ``box`` (a child process with a time and a memory limit):
a small hostile file can hold pypdf for hours. pypdf is imported there, in the child,
never with this module: a web worker does not carry it (14 MB of resident memory
measured), the child pays for importing it (about half a second) and gives it all back.
"""

import contextlib
import hashlib
import os
import re
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from livret.dossier.evidence import box, refusals
from livret.dossier.evidence.refusals import EvidenceRefused
from livret.enums import FileType

CHUNK_SIZE = 1024 * 1024
# The PDF specification puts %%EOF at the very end; readers (Acrobat included) accept it
# within the last 1024 bytes, to allow for trailing padding added by some transfers.
TAIL_SIZE = 1024

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# A JavaScript entry, or an action that launches a program, anywhere in the raw bytes
# (uncompressed objects). Object streams hide such entries from this scan: the structural
# walk of ``_pdf_has_javascript`` covers them. Either finding flags the file.
JS_TOKEN = re.compile(rb"/(?:JavaScript|JS|Launch)(?![A-Za-z0-9_.#-])")
JS_CARRY = 16

# A link whose address runs script when followed (``javascript:``, ``vbscript:``),
# leading blanks and control characters ignored as browsers ignore them.
SCRIPT_URI = re.compile(r"^[\x00-\x20]*(?:java|vb)script:", re.IGNORECASE)

# pypdf's own limits while checking a piece (``pypdf.Configuration``), below its defaults:
# the checks decode no page content and no image, only object streams and cross-reference
# streams, which are small in any genuine file, and walk the page tree and the form fields
# (a few hundred entries at most for 300 pages); the box bounds the rest. A limit reached
# raises ``LimitReachedError``, refused as a damaged PDF.
PYPDF_LIMITS = {
    "maximum_declared_stream_length": 32_000_000,
    "zlib_maximum_output_length": 32_000_000,
    "lzw_maximum_output_length": 32_000_000,
    "run_length_maximum_output_length": 32_000_000,
    "array_based_stream_maximum_output_length": 32_000_000,
    "stream_decoding_work_maximum_length": 100_000_000,
    "page_tree_maximum_entries": 10_000,
    "page_tree_maximum_depth": 32,
    "form_fields_maximum_entries": 10_000,
    "form_fields_maximum_depth": 32,
}


@dataclass(frozen=True)
class Limits:
    """What one piece may weigh, count and measure (settings ``VAE_EVIDENCE_MAX_*``)."""

    max_bytes: int
    max_pages: int
    max_pixels: int

    @classmethod
    def from_settings(cls) -> "Limits":
        # Read at call time: tests and deployments change the settings.
        return cls(
            max_bytes=settings.VAE_EVIDENCE_MAX_BYTES,
            max_pages=settings.VAE_EVIDENCE_MAX_PAGES,
            max_pixels=settings.VAE_EVIDENCE_MAX_PIXELS,
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


@dataclass(frozen=True)
class Inspection:
    """An upload that passed every check, waiting in its temporary file."""

    path: Path
    original_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int
    has_javascript: bool


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
def received(uploaded, *, directory: Path, limits: Limits):
    """Stream ``uploaded`` (a Django UploadedFile) to a temporary file of ``directory``
    while hashing it, check its content, and yield its ``Inspection``.

    Raises ``EvidenceRefused``. The temporary file is removed on exit, whatever happens,
    unless the caller moved it into place (``services.upload_evidence``).
    """
    limit = limits.max_bytes
    if not uploaded.size:
        raise refusals.empty()
    if uploaded.size > limit:
        # Refused before a single byte is copied.
        raise refusals.too_big(uploaded.size, limit)
    fd, name = tempfile.mkstemp(dir=directory, prefix="upload-")
    path = Path(name)
    try:
        digest = hashlib.sha256()
        size, head, tail, carry, javascript, content_type = 0, b"", b"", b"", False, None
        with os.fdopen(fd, "wb") as out:
            for chunk in uploaded.chunks(CHUNK_SIZE):
                size += len(chunk)
                if size > limit:
                    raise refusals.too_big(size, limit)
                if content_type is None:
                    head = (head + chunk)[:64]
                    # Refused on the first bytes: nothing more is copied.
                    if len(head) >= len(PNG_MAGIC):
                        content_type = detect_type(head)
                        if content_type is None:
                            raise refusals.not_accepted(head)
                digest.update(chunk)
                out.write(chunk)
                window = carry + chunk
                if not javascript and JS_TOKEN.search(window):
                    javascript = True
                carry = window[-JS_CARRY:]
                tail = (tail + chunk[-TAIL_SIZE:])[-TAIL_SIZE:]
        if size == 0:
            raise refusals.empty()
        if content_type is None:
            # A file shorter than a PNG signature.
            content_type = detect_type(head)
            if content_type is None:
                raise refusals.not_accepted(head)
        page_count, structural_js = _check_in_box(path, content_type, head, tail, limits)
        javascript = content_type == FileType.PDF and (javascript or structural_js)
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


def _check_in_box(path: Path, content_type: str, head: bytes, tail: bytes, limits: Limits):
    """The page count and whether the file runs scripts, checked in a child process, or
    ``EvidenceRefused`` (``pdf_too_complex`` when the box stopped the check: the box's
    failure is its ``__cause__``, for the caller to log once)."""
    budget = box.BoxLimits.for_checks()
    try:
        return box.run(
            _check_content,
            path,
            content_type,
            head,
            tail,
            limits,
            limits=budget,
            answers=(EvidenceRefused,),
        )
    except box.BoxFailure as failure:
        raise refusals.pdf_too_complex(failure.kind, budget.seconds) from failure


def _check_content(path: Path, content_type: str, head: bytes, tail: bytes, limits: Limits):
    """In the box: ``(page count, runs scripts)``, or ``EvidenceRefused``."""
    if content_type == FileType.PDF:
        return _check_pdf(path, tail, limits.max_pages)
    return _check_image(path, content_type, head, tail, limits.max_pixels), False


def _check_pdf(path: Path, tail: bytes, limit: int) -> tuple[int, bool]:
    """The page count and whether scripts were found, or ``EvidenceRefused``."""
    # Only in the box's child (see the module's docstring).
    import pypdf

    if b"%%EOF" not in tail:
        raise refusals.pdf_truncated()
    if b"startxref" not in tail:
        raise refusals.pdf_damaged()
    with pypdf.apply_configuration(**PYPDF_LIMITS):
        return _read_pdf_structure(path, limit)


def _read_pdf_structure(path: Path, limit: int) -> tuple[int, bool]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError
    from pypdf.generic import StreamObject

    with path.open("rb") as stream:
        # A file object, not a path: pypdf then reads what it needs instead of loading
        # the whole file in memory.
        try:
            reader = PdfReader(stream, strict=False)
            encrypted = reader.is_encrypted
        except (DependencyError, FileNotDecryptedError, WrongPasswordError) as exc:
            raise refusals.pdf_encrypted() from exc
        except Exception as exc:
            raise refusals.pdf_damaged() from exc
        if encrypted:
            # Even with an empty user password: the encryption handler could stop
            # opening it after a library update, and the evaluators would lose it.
            try:
                opens = bool(reader.decrypt(""))
            except Exception:
                opens = False
            raise refusals.pdf_encrypted(opens_without_password=opens)
        try:
            pages = reader.trailer["/Root"]["/Pages"]
            declared = pages.get("/Count", 0)
            # The declared count is checked before walking the tree, so that a file
            # claiming millions of pages is refused without building them.
            if isinstance(declared, int) and declared > limit:
                raise refusals.pdf_too_many_pages(declared, limit)
            count = len(reader.pages)
        except EvidenceRefused:
            raise
        except Exception as exc:
            raise refusals.pdf_damaged() from exc
        if count > limit:
            raise refusals.pdf_too_many_pages(count, limit)
        if count == 0:
            raise refusals.pdf_no_pages()
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
                raise refusals.pdf_damaged(number) from exc
            if not readable:
                raise refusals.pdf_damaged(number)
        try:
            javascript = _pdf_has_javascript(reader)
        except Exception:
            # A structure too odd to walk: flag it rather than show it inline.
            javascript = True
    return count, javascript


def _resolve(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _is_javascript_action(action, depth=0) -> bool:
    """Whether an action dictionary (or its ``/Next`` chain) runs JavaScript, launches a
    program, or follows a ``javascript:`` link: a viewer shown inline must not do any."""
    action = _resolve(action)
    if depth > 32 or not hasattr(action, "get"):
        return False
    kind = action.get("/S")
    if kind in ("/JavaScript", "/Launch") or "/JS" in action:
        return True
    if kind == "/URI" and SCRIPT_URI.match(_text(_resolve(action.get("/URI")))):
        return True
    following = _resolve(action.get("/Next"))
    if following is None:
        return False
    if isinstance(following, list):
        return any(_is_javascript_action(item, depth + 1) for item in following)
    return _is_javascript_action(following, depth + 1)


def _text(value) -> str:
    """A PDF string as text, whether pypdf decoded it (text) or not (bytes)."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value) if value is not None else ""


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


def _check_image(path: Path, content_type: str, head: bytes, tail: bytes, limit: int) -> int:
    """1 (an image is one page), or ``EvidenceRefused``.

    Only the header is read (``Image.open`` is lazy) and ``verify()`` walks the chunks
    without decoding the pixels, so a huge or hostile image costs neither time nor memory.
    """
    declared = _png_dimensions(head) if content_type == FileType.PNG else None
    if declared and declared[0] * declared[1] > limit:
        raise refusals.image_too_large(limit, *declared)
    fmt = "PNG" if content_type == FileType.PNG else "JPEG"
    try:
        with Image.open(path, formats=[fmt]) as image:
            width, height = image.size
            if width * height > limit:
                raise refusals.image_too_large(limit, width, height)
            image.verify()
    except EvidenceRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (a warning, an error under -W error) may fire before ours
        # when our limit is set above Pillow's MAX_IMAGE_PIXELS.
        raise refusals.image_too_large(limit) from exc
    except Exception as exc:  # UnidentifiedImageError, OSError, SyntaxError…
        raise refusals.image_damaged(fmt) from exc
    # Pillow's JPEG verify() checks nothing: a JPEG cut short lacks its end marker (FF D9
    # cannot appear inside compressed data, where FF is always followed by 00 or a
    # restart marker).
    if content_type == FileType.JPEG and b"\xff\xd9" not in tail:
        raise refusals.image_damaged(fmt)
    return 1
