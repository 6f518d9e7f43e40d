"""Small, valid PDF files written byte by byte, for tests that need real documents.

Fast (no rendering engine) and dependency-free: one Helvetica page per string.
"""


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _assemble(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object *i+1* is ``objects[i]``; 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_pdf(pages: list[str], *, extra_catalog: bytes = b"") -> bytes:
    """A PDF whose page *i* shows ``pages[i]`` (lines split on newlines)."""
    objects = []  # object number i+1 -> body bytes
    page_ids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>")
    objects.append(b"")  # pages tree, filled in below
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for text in pages:
        lines = text.split("\n")
        content = b"BT /F1 12 Tf 72 770 Td 14 TL "
        content += b" ".join(b"(" + _escape(line) + b") Tj T*" for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)
    return _assemble(objects)


def heavy_pdf(pages: int, image_bytes: int, *, seed: int = 0) -> bytes:
    """A PDF of ``pages`` pages, each with a line of text and its own uncompressed image of
    random pixels (about ``image_bytes`` bytes, incompressible): size grows with the page
    count, as in a scanned document, for benchmarks of upload and extraction."""
    import random

    rng = random.Random(seed)
    width = 200
    height = max(1, image_bytes // (3 * width))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    page_ids = []
    for number in range(1, pages + 1):
        pixels = rng.randbytes(3 * width * height)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n"
            % (width, height, len(pixels))
            + pixels
            + b"\nendstream"
        )
        image_id = len(objects)
        content = (
            b"BT /F1 12 Tf 72 770 Td (" + _escape(f"Page {number} : bulletin de paie") + b") Tj ET "
            b"q %d 0 0 %d 72 400 cm /Im1 Do Q" % (width, height)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (image_id, content_id)
        )
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)
    return _assemble(objects)


# -- hostile files (issue 12): small on disk, huge to read ---------------------------------


def _flate(content: bytes, extra: bytes = b"") -> bytes:
    import zlib

    packed = zlib.compress(content, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra)
        + packed
        + b"\nendstream"
    )


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def form_bomb_pdf(tokens: int, draws: int) -> bytes:
    """One page drawing ``draws`` times a form XObject of about ``tokens`` operands and
    operators (text shown, one character a time): a few kilobytes compressed, while a
    reader interprets ``tokens × draws`` operations for that single page. The issue's
    file: 1.5 million tokens drawn 5,000 times, 20 KB."""
    show = b"(a) Tj "  # 2 tokens
    form = b"BT /F1 1 Tf " + show * (tokens // 2) + b"ET"
    page = b"q /Fm1 Do Q\n" * draws
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _FONT,
        _flate(
            form,
            b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> ",
        ),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> /XObject << /Fm1 4 0 R >> >> /Contents 6 0 R >>",
        _flate(page),
    ]
    return _assemble(objects)


def shared_stream_pdf(pages: int, inflated_bytes: int) -> bytes:
    """``pages`` pages sharing one content stream that inflates to about
    ``inflated_bytes`` of text operators: a few hundred kilobytes on disk, read once per
    page. The issue's file: 60 pages, 70 MB inflated, 185 KB."""
    line = b"BT /F1 9 Tf 40 700 Td (Bulletin de paie janvier 2024 brut net) Tj ET\n"
    content = line * max(1, inflated_bytes // len(line))
    page_ids = [5 + number for number in range(pages)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % i for i in page_ids), pages),
        _FONT,
        _flate(content),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    return _assemble(objects)
