"""Evidence upload: every check by content, its own French message, and nothing changed.

The bad files are the committed corpus of ``tests/livret/bad_files`` (see its
``make_corpus.py``); the over-the-limit cases are made here with small limits.
Helpers shared by the ``test_evidence_*`` modules are in ``support``.
"""

import hashlib
import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from livret.dossier.evidence import inspection, services
from livret.dossier.evidence.refusals import EvidenceRefused, size_text
from livret.dossier.evidence.tasks import extract_evidence_text
from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import Evidence
from livret.signals import evidence_text_extracted
from tests.livret.dossier.evidence.support import (
    bad_file,
    declared_png,
    evidence_root,
    files_on_disk,
    flat,
    jpeg_bytes,
    png_bytes,
    snapshot,
    upload,
    upload_service,
)
from tests.livret.helpers import page, url
from tests.pdf_samples import text_pdf

# -- refusals -------------------------------------------------------------------------------

CORPUS = [
    ("empty.pdf", "Ce fichier est vide (0 octet) : il n'y a rien à joindre."),
    (
        "html-renamed.pdf",
        "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG : d'après son contenu, c'est une "
        "page web (HTML), quel que soit son nom.",
    ),
    ("truncated.pdf", "Ce PDF est incomplet : sa fin manque"),
    ("damaged.pdf", "Ce PDF est endommagé : sa structure n'a pas pu être lue."),
    ("encrypted-aes.pdf", "Ce PDF est chiffré, même s'il s'ouvre sans mot de passe"),
    ("encrypted-rc4.pdf", "Ce PDF est protégé par un mot de passe"),
    (
        "huge-dimensions.png",
        "Cette image est trop grande (50 000 × 50 000 pixels) : elle dépasse la limite de "
        "60 millions de pixels.",
    ),
    ("truncated.png", "Cette image PNG est endommagée ou incomplète"),
    ("truncated.jpg", "Cette image JPEG est endommagée ou incomplète"),
]


@pytest.mark.parametrize(("name", "message"), CORPUS)
def test_each_bad_file_is_refused_with_its_message_and_nothing_changes(
    eligible, owner, name, message
):
    before = snapshot(eligible)
    assert before["dossier"][2] is not None  # signed: a refusal must not unsign it
    response = upload(
        owner, eligible, bad_file(name), name=name, title="Mon titre à garder", kind="dsn"
    )
    assert response.status_code == 200
    text = flat(page(response))
    assert message in text
    assert "La pièce n'a pas été jointe" in text
    # What the candidate typed is kept.
    assert 'value="Mon titre à garder"' in text
    assert '<option value="dsn" selected>' in text
    assert snapshot(eligible) == before


def test_every_bad_file_has_a_message_of_its_own(eligible):
    messages = set()
    for name, _message in CORPUS:
        with pytest.raises(EvidenceRefused) as refused:
            upload_service(eligible, bad_file(name), name=name)
        messages.add(refused.value.message)
    assert len(messages) == len(CORPUS)


def test_over_the_size_limit_is_refused(eligible, owner, settings):
    settings.VAE_EVIDENCE_MAX_BYTES = 1024
    data = text_pdf(["x" * 600, "y" * 600])
    assert len(data) > 1024
    before = snapshot(eligible)
    response = upload(owner, eligible, data)
    text = flat(page(response))
    assert f"Ce fichier pèse {flat(size_text(len(data)))}" in text
    assert "au-delà de la limite de 1 Ko par pièce" in text
    assert snapshot(eligible) == before


def test_size_limit_also_holds_while_streaming(eligible, settings):
    """A declared size that lies (or grows) is caught on the bytes actually read."""
    settings.VAE_EVIDENCE_MAX_BYTES = 1024
    uploaded = SimpleUploadedFile("a.pdf", text_pdf(["x" * 2000]))
    uploaded.size = 10
    with pytest.raises(EvidenceRefused) as refused:
        services.upload_evidence(
            dossier=eligible.dossier,
            by=eligible.candidate,
            uploaded=uploaded,
            title="t",
            kind=EvidenceKind.OTHER,
        )
    assert refused.value.code == "too_big"
    assert not any(name.startswith(".incoming/") for name in files_on_disk())


def test_over_the_page_limit_is_refused(eligible, owner):
    data = text_pdf([f"page {n}" for n in range(301)])
    before = snapshot(eligible)
    response = upload(owner, eligible, data)
    assert "Ce PDF compte 301 pages, au-delà de la limite de 300 pages par pièce." in flat(
        page(response)
    )
    assert snapshot(eligible) == before


def test_a_declared_page_count_over_the_limit_is_refused_before_walking_the_tree(eligible):
    data = text_pdf(["une seule page"]).replace(b"/Count 1", b"/Count 9999999")
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, data)
    assert refused.value.code == "pdf_too_many_pages"
    assert "Ce PDF compte 9999999 pages" in refused.value.message


def test_a_pdf_without_pages_is_refused(eligible):
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, text_pdf([]))
    assert refused.value.message == "Ce PDF ne contient aucune page : il n'y a rien à lire."


def test_a_pdf_whose_page_content_is_missing_is_refused_with_the_page(eligible):
    data = text_pdf(["page un", "page deux"])
    # Point page 2 at a content object that does not exist.
    data = data.replace(b"/Contents 6 0 R", b"/Contents 60 0 R")
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, data)
    assert refused.value.code == "pdf_damaged"
    assert "Ce PDF est endommagé : sa page 2 n'a pas pu être lue." in refused.value.message


def test_a_pdf_with_its_end_but_no_startxref_is_refused(eligible):
    data = text_pdf(["page"]).replace(b"startxref", b"nothing!!")
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, data)
    assert refused.value.code == "pdf_damaged"


def test_an_image_over_the_pixel_limit_is_refused_from_its_header(eligible, owner, settings):
    settings.VAE_EVIDENCE_MAX_PIXELS = 1000
    before = snapshot(eligible)
    response = upload(
        owner, eligible, jpeg_bytes((40, 30)), name="scan.jpg", content_type="image/jpeg"
    )
    assert "Cette image est trop grande (40 × 30 pixels)" in flat(page(response))
    assert "limite de 1000 pixels" in flat(page(response))
    assert snapshot(eligible) == before


def test_pillow_decompression_bomb_guard_becomes_our_message(eligible, settings):
    """Above Pillow's own limit (89 M pixels: a warning, an error under -W error) the
    refusal is still ours, not a crash."""
    settings.VAE_EVIDENCE_MAX_PIXELS = 500_000_000
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, declared_png(10_000, 10_000), name="grand.png")
    assert refused.value.code == "image_too_large"


def test_huge_png_is_refused_without_decoding_it(eligible):
    data = bad_file("huge-dimensions.png")
    assert len(data) < 500
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, data, name="huge.png")
    assert refused.value.code == "image_too_large"
    # The upload checks run in the box's child: measured here in this process instead.
    path = evidence_root() / "huge-test.png"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceRefused) as direct:
            inspection._check_content(
                path, FileType.PNG, data[:64], data[-1024:], inspection.Limits.from_settings()
            )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        path.unlink()
    assert direct.value.code == "image_too_large"
    # Decoding would take 7.5 GB; the check allocates next to nothing.
    assert peak < 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, "une archive ZIP ou un document Word, Excel ou OpenOffice"),
        (b"GIF89a" + b"\x00" * 40, "une image GIF"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "une photo HEIC (iPhone)"),
        (b"Bonjour, ceci est du texte", "son contenu ne correspond à aucun de ces formats"),
        (b"%PD", "son contenu ne correspond à aucun de ces formats"),
    ],
)
def test_other_formats_are_named_in_the_refusal(eligible, data, label):
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, data, name="document.pdf")
    assert refused.value.code == "not_accepted"
    assert label in refused.value.message


def test_form_errors_keep_the_file_field_required(eligible, owner):
    before = snapshot(eligible)
    response = owner.post(url("livret:evidence_upload", eligible), {"title": "", "kind": ""})
    text = flat(page(response))
    assert "Donnez un titre à cette pièce." in text
    assert "Choisissez la nature de la pièce." in text
    assert "Choisissez le fichier à joindre." in text
    assert snapshot(eligible) == before


# -- accepted files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "name", "declared", "content_type", "pages", "stored_name"),
    [
        (
            lambda: text_pdf(["Bulletin", "Contrat", "Attestation"]),
            "pièces.pdf",
            "application/pdf",
            FileType.PDF,
            3,
            "pièces.pdf",
        ),
        (jpeg_bytes, "scan.jpeg", "image/jpeg", FileType.JPEG, 1, "scan.jpeg"),
        (png_bytes, "capture.png", "image/png", FileType.PNG, 1, "capture.png"),
        # By content, never by name nor declared type.
        (png_bytes, "photo.pdf", "application/pdf", FileType.PNG, 1, "photo.pdf.png"),
        (lambda: text_pdf(["x"]), "lettre.png", "image/png", FileType.PDF, 1, "lettre.png.pdf"),
    ],
)
def test_accepted_files(eligible, owner, maker, name, declared, content_type, pages, stored_name):
    data = maker()
    response = upload(
        owner,
        eligible,
        data,
        name=name,
        title="Ma pièce",
        kind="contrat_travail",
        content_type=declared,
    )
    assert response.status_code == 302
    assert response["Location"] == url("livret:evidence_list", eligible)
    evidence = Evidence.objects.get(dossier__candidacy=eligible, title="Ma pièce")
    assert evidence.content_type == content_type
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data)
    assert evidence.page_count == pages
    assert evidence.kind == "contrat_travail"
    assert evidence.original_name == stored_name
    assert evidence.uploaded_by == eligible.candidate
    assert evidence.has_javascript is False
    assert evidence.first_submission is None
    # Text extraction is queued after the commit, not run in the request.
    assert evidence.extraction_status == ExtractionStatus.PENDING
    assert not evidence.pages.exists()
    # Stored privately under a random name, byte for byte.
    assert name not in evidence.file.name
    path = Path(evidence.file.path)
    assert path.is_relative_to(evidence_root())
    assert path.read_bytes() == data
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018


def test_upload_unsigns_the_dossier_and_says_so(eligible, owner):
    response = upload(owner, eligible, text_pdf(["nouvelle pièce"]))
    eligible.dossier.refresh_from_db()
    assert eligible.dossier.sworn_at is None
    listing = flat(page(owner.get(response["Location"])))
    assert "La pièce « Contrats 2024 » est jointe à votre dossier." in listing
    assert (
        "votre déclaration sur l'honneur a été annulée. Vous devrez la signer de nouveau "
        "avant de déposer votre dossier." in listing
    )


def test_the_upload_page_warns_a_signed_dossier(eligible, owner):
    text = flat(page(owner.get(url("livret:evidence_upload", eligible))))
    assert "Vous avez signé la déclaration sur l'honneur de votre livret 2." in text
    assert 'enctype="multipart/form-data"' in text
    assert "20 Mo et 300 pages au plus par pièce" in text


def test_extraction_runs_after_the_commit(eligible, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(owner, eligible, text_pdf(["Bulletin de janvier", "Bulletin de février"]))
    # The upload's one callback queues the extraction, whose storing of the pages (run at
    # once by the immediate backend) announces them after its own commit.
    assert [callback.func for callback in callbacks] == [
        extract_evidence_text.enqueue,
        evidence_text_extracted.send,
    ]
    evidence = Evidence.objects.get(dossier__candidacy=eligible, title="Contrats 2024")
    assert evidence.extraction_status == ExtractionStatus.READY
    assert [p.text.strip() for p in evidence.pages.order_by("number")] == [
        "Bulletin de janvier",
        "Bulletin de février",
    ]


def test_no_temporary_file_is_left_after_an_accepted_upload(eligible, owner):
    before = set(files_on_disk())
    upload(owner, eligible, text_pdf(["une page"]))
    added = set(files_on_disk()) - before
    evidence = Evidence.objects.get(dossier__candidacy=eligible, title="Contrats 2024")
    assert added == {evidence.file.name}


# -- duplicates -----------------------------------------------------------------------------


def test_the_same_file_twice_is_refused_with_the_title_of_the_first(eligible, owner):
    data = text_pdf(["Contrat de travail"])
    upload(owner, eligible, data, title="Contrat CDDU 2023")
    before = snapshot(eligible)
    response = upload(owner, eligible, data, name="copie.pdf", title="Autre titre")
    text = flat(page(response))
    assert "Ce fichier est déjà joint à votre dossier : « Contrat CDDU 2023 »." in text
    assert snapshot(eligible) == before


def test_a_concurrent_duplicate_hits_the_constraint_and_gets_the_same_message(
    eligible, monkeypatch
):
    """The check runs before the insert; if another request slipped in between, the
    database constraint refuses the row and the same message is given."""
    data = text_pdf(["Contrat de travail"])
    upload_service(eligible, data, title="Premier envoi")
    real = services._refuse_duplicate
    calls = []

    def late_check(dossier, sha256):
        calls.append(sha256)
        if len(calls) > 1:
            real(dossier, sha256)

    monkeypatch.setattr(services, "_refuse_duplicate", late_check)
    before = snapshot(eligible)
    with pytest.raises(EvidenceRefused) as refused:
        upload_service(eligible, data, title="Second envoi")
    assert len(calls) == 2
    assert refused.value.message == (
        "Ce fichier est déjà joint à votre dossier : « Premier envoi »."
    )
    assert snapshot(eligible) == before


def test_an_integrity_error_of_another_kind_is_not_hidden(eligible, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(Evidence, "save", broken_save)
    before = snapshot(eligible)
    with pytest.raises(IntegrityError):
        upload_service(eligible, text_pdf(["x"]))
    assert snapshot(eligible) == before


# -- JavaScript ------------------------------------------------------------------------------


def _pypdf_variant(action):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["page"]))))
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1);"),
        }
    )
    if action == "names":
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("ouverture"), js])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    elif action == "page-aa":
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): js})
    elif action == "catalog-aa":
        writer._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): js})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("action", ["names", "page-aa", "catalog-aa"])
def test_javascript_is_found_in_the_structure(eligible, action):
    from pypdf import PdfReader

    data = _pypdf_variant(action)
    assert inspection._pdf_has_javascript(PdfReader(io.BytesIO(data)))
    change = upload_service(eligible, data)
    assert change.evidence.has_javascript is True


def test_javascript_in_compressed_object_streams_is_found_by_the_structure(eligible):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pypdf_variant("page-aa"))))
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    assert inspection._pdf_has_javascript(PdfReader(out))


def test_a_plain_pdf_has_no_javascript():
    from pypdf import PdfReader

    assert not inspection._pdf_has_javascript(PdfReader(io.BytesIO(text_pdf(["page"]))))
    assert not inspection.JS_TOKEN.search(text_pdf(["Le script /JSON et /JSX ne comptent pas"]))


def test_a_pdf_with_javascript_is_accepted_flagged_and_never_inline(eligible, owner):
    response = upload(owner, eligible, bad_file("javascript.pdf"), title="Devis animé")
    assert response.status_code == 302
    evidence = Evidence.objects.get(dossier__candidacy=eligible, title="Devis animé")
    assert evidence.has_javascript is True
    assert evidence.page_count == 2
    listing = flat(page(owner.get(url("livret:evidence_list", eligible))))
    assert "Contient du JavaScript : téléchargement seulement" in listing
    file_url = url("livret:evidence_file", eligible, pk=evidence.pk)
    assert f'href="{file_url}?inline=1"' not in listing
    # The factory's plain PDF, on the same page, may be shown inline.
    plain = eligible.dossier.evidence.exclude(pk=evidence.pk).get()
    assert f'href="{url("livret:evidence_file", eligible, pk=plain.pk)}?inline=1"' in listing
    served = owner.get(file_url + "?inline=1")
    assert served["Content-Disposition"].startswith("attachment;")
    served.close()


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 octet"), (1, "1 octet"), (850, "850 octets"), (12 * 1024, "12 Ko")],
)
def test_sizes_agree_in_french(size, text):
    # French puts the singular below 2 (« 0 octet »), where gettext's fallback says « 0 octets ».
    assert flat(size_text(size)).startswith(text)


# -- actions that launch a program or follow a javascript: link ----------------------------


def _with_link(uri: str, *, compressed: bool) -> bytes:
    """A page with a link annotation whose action goes to ``uri``; in an object stream
    when ``compressed`` (hidden from the raw-bytes scan)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["page"]))))
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(uri)}
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    if compressed:
        writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize(
    ("uri", "flagged"),
    [
        ("javascript:app.alert(1)", True),
        ("  JavaScript:void(0)", True),
        ("\x01vbscript:msgbox(1)", True),
        ("https://www.cpnef-av.fr/", False),
        ("mailto:paie@example.org", False),
    ],
)
def test_a_script_link_is_flagged_like_javascript(eligible, uri, flagged, compressed):
    change = upload_service(eligible, _with_link(uri, compressed=compressed))
    assert change.evidence.has_javascript is flagged


@pytest.mark.parametrize(
    "action",
    [
        b"/OpenAction << /S /Launch /F (calc.exe) >>",
        b"/OpenAction << /S /URI /URI (javascript:app.alert\\(1\\)) >>",
        b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /Launch /F (x.exe) >> >>",
    ],
    ids=["launch", "uri", "launch-next"],
)
def test_an_open_action_that_launches_or_runs_script_is_flagged(eligible, owner, action):
    data = text_pdf(["Devis"], extra_catalog=action)
    from pypdf import PdfReader

    assert inspection._pdf_has_javascript(PdfReader(io.BytesIO(data)))
    response = upload(owner, eligible, data, title="Devis piégé")
    assert response.status_code == 302
    evidence = Evidence.objects.get(dossier__candidacy=eligible, title="Devis piégé")
    assert evidence.has_javascript is True
    served = owner.get(url("livret:evidence_file", eligible, pk=evidence.pk) + "?inline=1")
    assert served["Content-Disposition"].startswith("attachment;")
    served.close()


def test_the_raw_scan_sees_launch_but_not_words_that_start_like_it():
    assert inspection.JS_TOKEN.search(b"<< /S /Launch /F (x) >>")
    assert not inspection.JS_TOKEN.search(text_pdf(["/Launcher et /LaunchPad ne comptent pas"]))
