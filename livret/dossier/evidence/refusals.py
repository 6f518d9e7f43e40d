"""Why an evidence file or change is refused, in the French the candidate reads: every
refusal message of the evidence pages is here, and the file sizes they quote.

Each refusal is an ``EvidenceRefused`` with a ``code`` naming the reason, for tests and
logs. Nothing here reads the database or the settings: the limits a message quotes are
given by the caller.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referentiel.french import plural
from vae.workflow import WorkflowError


class EvidenceRefused(WorkflowError):
    """An upload or a change refused, with the French reason shown to the candidate.

    ``code`` names the reason for tests and logs (``empty``, ``too_big``, ``not_accepted``,
    ``pdf_truncated``, ``pdf_damaged``, ``pdf_encrypted``, ``pdf_too_many_pages``,
    ``pdf_no_pages``, ``image_too_large``, ``image_damaged``, ``duplicate``, ``frozen``,
    ``not_frozen``, ``not_current``, ``title``, ``kind``, ``pdf_too_complex``,
    ``slowed_down``).
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code

    def __reduce__(self):
        # The checks run in a child process (``box``) and send their refusal back pickled;
        # the default pickling would call ``EvidenceRefused(message)`` without its code.
        return (_refused, (self.message, self.code))


def _refused(message: str, code: str) -> EvidenceRefused:
    return EvidenceRefused(message, code=code)


# -- sizes ---------------------------------------------------------------------------------


def size_text(size: int) -> str:
    """A file size as French users read it: « 850 octets », « 12 Ko », « 3,4 Mo »
    (Django's filesizeformat says « Kio », « Mio » in French)."""
    if size < 1024:
        return plural(size, "octet")
    if size < 1024 * 1024:
        return _("%(n)s Ko") % {"n": _decimal(size / 1024)}
    return _("%(n)s Mo") % {"n": _decimal(size / (1024 * 1024))}


def _decimal(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _number(value: int) -> str:
    # French digit grouping, with a narrow no-break space: « 50 000 ».
    return f"{value:,}".replace(",", "\u202f")


# -- what the file is ----------------------------------------------------------------------

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


def not_accepted(head: bytes) -> EvidenceRefused:
    """Neither a PDF nor a JPEG or PNG image, saying what it is when we recognise it."""
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


def empty() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce fichier est vide (0 octet) : il n'y a rien à joindre. Vérifiez que vous avez "
            "choisi le bon fichier, ou enregistrez-le de nouveau depuis le logiciel qui l'a créé."
        ),
        code="empty",
    )


def too_big(size: int, limit: int) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce fichier pèse %(size)s, au-delà de la limite de %(limit)s par pièce. "
            "Réduisez-le (par exemple en numérisant à 200 ou 300 dpi) ou découpez-le en "
            "plusieurs pièces."
        )
        % {"size": size_text(size), "limit": size_text(limit)},
        code="too_big",
    )


# -- PDF -----------------------------------------------------------------------------------


def pdf_truncated() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce PDF est incomplet : sa fin manque, il a sans doute été tronqué lors d'un "
            "téléchargement ou d'une copie. Ouvrez-le pour vérifier, enregistrez-le de "
            "nouveau en entier, puis déposez-le."
        ),
        code="pdf_truncated",
    )


def pdf_damaged(page: int | None = None) -> EvidenceRefused:
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


def pdf_encrypted(*, opens_without_password: bool = False) -> EvidenceRefused:
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


def pdf_too_many_pages(pages: int, limit: int) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Ce PDF compte %(pages)s pages, au-delà de la limite de %(limit)s pages par pièce. "
            "Découpez-le en plusieurs pièces, ou ne gardez que les pages utiles."
        )
        % {"pages": pages, "limit": limit},
        code="pdf_too_many_pages",
    )


def pdf_no_pages() -> EvidenceRefused:
    return EvidenceRefused(
        _("Ce PDF ne contient aucune page : il n'y a rien à lire."), code="pdf_no_pages"
    )


# What the candidate can do with a file too heavy to read in the time and memory allowed:
# the same three ways out wherever the box stopped it (upload or text extraction).
_WAYS_OUT = gettext_lazy(
    "Enregistrez-le de nouveau au format PDF (« Imprimer » puis « Enregistrer au format "
    "PDF »), ou numérisez le document papier, ou découpez-le en plusieurs pièces plus "
    "courtes, puis déposez la nouvelle version."
)


def too_complex_text(kind: str, seconds: float) -> str:
    """Why a PDF could not be read within the box's limits (``box.TIMEOUT``, ``MEMORY``,
    ``CRASH`` or ``ERROR``), and what to do, without the library's (English) detail."""
    if kind == "timeout":
        what = _(
            "sa lecture a dépassé la durée permise (%(seconds)s secondes) : il est sans "
            "doute construit de façon inhabituelle (dessins très détaillés, contenu répété "
            "un très grand nombre de fois)"
        ) % {"seconds": f"{seconds:g}"}
    elif kind == "memory":
        what = _(
            "sa lecture demandait plus de mémoire que permis : il est sans doute construit "
            "de façon inhabituelle (contenu compressé très volumineux une fois décompressé)"
        )
    else:
        what = _("sa structure est trop complexe ou endommagée pour être lue")
    return _("Ce PDF n'a pas pu être traité : %(what)s. %(ways_out)s") % {
        "what": what,
        "ways_out": _WAYS_OUT,
    }


def pdf_too_complex(kind: str, seconds: float) -> EvidenceRefused:
    return EvidenceRefused(too_complex_text(kind, seconds), code="pdf_too_complex")


def slowed_down(count: int, minutes: int) -> EvidenceRefused:
    """Several files of this candidate overran the box lately: the next uploads wait."""
    return EvidenceRefused(
        _(
            "Récemment, %(files)s (lecture trop lourde). Pour préserver le service de "
            "tous les candidats, attendez %(wait)s avant de déposer un nouveau fichier. "
            "Entre-temps, préparez vos pièces : enregistrez-les de nouveau au format PDF, "
            "numérisez-les ou découpez-les."
        )
        % {
            "files": plural(
                count,
                "de vos fichiers n'a pas pu être traité",
                "de vos fichiers n'ont pas pu être traités",
            ),
            "wait": plural(minutes, "minute"),
        },
        code="slowed_down",
    )


# -- images --------------------------------------------------------------------------------


def image_too_large(limit: int, width=None, height=None) -> EvidenceRefused:
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


def image_damaged(fmt: str) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Cette image %(format)s est endommagée ou incomplète : elle n'a pas pu être lue "
            "en entier. Enregistrez-la de nouveau, ou numérisez le document une nouvelle fois."
        )
        % {"format": fmt},
        code="image_damaged",
    )


# -- the dossier's rules -------------------------------------------------------------------


def no_title() -> EvidenceRefused:
    return EvidenceRefused(_("Donnez un titre à cette pièce."), code="title")


def no_kind() -> EvidenceRefused:
    return EvidenceRefused(_("Choisissez la nature de la pièce."), code="kind")


def duplicate(title: str, *, withdrawn: bool, replaced: bool) -> EvidenceRefused:
    """The same file is already in the dossier, as ``title`` (maybe withdrawn or replaced)."""
    message = _("Ce fichier est déjà joint à votre dossier : « %(title)s »") % {"title": title}
    if withdrawn:
        message += _(" (pièce retirée du dossier, gardée dans l'historique des dépôts).")
    elif replaced:
        message += _(" (pièce remplacée, gardée dans l'historique des dépôts).")
    else:
        message += "."
    return EvidenceRefused(message, code="duplicate")


def not_in_dossier() -> EvidenceRefused:
    return EvidenceRefused(_("Cette pièce n'appartient pas à ce dossier."), code="not_current")


def already_withdrawn() -> EvidenceRefused:
    return EvidenceRefused(_("Cette pièce a déjà été retirée du dossier."), code="not_current")


def already_replaced() -> EvidenceRefused:
    return EvidenceRefused(_("Cette pièce a déjà été remplacée."), code="not_current")


def frozen() -> EvidenceRefused:
    """Only a piece never submitted is deleted; a submitted one is withdrawn or replaced."""
    return EvidenceRefused(
        _(
            "Cette pièce fait partie d'un dossier déjà déposé : elle ne peut plus être "
            "supprimée, seulement retirée du dossier ou remplacée."
        ),
        code="frozen",
    )


def withdraw_not_frozen() -> EvidenceRefused:
    return EvidenceRefused(
        _("Cette pièce n'a pas encore été déposée : vous pouvez simplement la supprimer."),
        code="not_frozen",
    )


def replace_not_frozen() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Cette pièce n'a pas encore été déposée : supprimez-la, puis ajoutez la "
            "nouvelle version."
        ),
        code="not_frozen",
    )
