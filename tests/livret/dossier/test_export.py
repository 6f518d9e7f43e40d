"""The PDF of livret 2: its content, the escaping of what the candidate typed, the
submitted versions, and the rendering that may read nothing but our style sheets."""

import hashlib
import io
import logging
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import URLFetcher

from livret.dossier.export import PDF_TEMPLATE, build_export, render_export
from livret.dossier.services import dossier_for, sign
from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import CompetenceLink, Evidence, Narrative, NoEvidenceReason
from tests.accounts import log_in
from tests.documents import get_pdf, pdf_bytes
from tests.factories import NARRATIVE_TEXT, CandidacyFactory
from tests.pdf_samples import text_pdf
from vae import services
from vae.documents.pdf import html_to_pdf, template_dir
from vae.documents.weasy import LocalOnlyFetcher
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db

STORY = (
    "Sur la série « Les Vigies » (8 épisodes de 52 minutes), j'ai monté le plan de trésorerie "
    "hebdomadaire avec la banque et le diffuseur, en classant les paiements par priorité.\n\n"
    "En fin de tournage, le découvert n'a jamais dépassé 40 000 euros."
)


def pdf_text(data: bytes) -> tuple[int, str]:
    """Page count and the text of every page, whitespace collapsed (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def add_evidence(candidacy, title, pages, **fields):
    """A piece stored as an upload would store it (real PDF bytes, hash, size)."""
    data = text_pdf(pages)
    evidence = Evidence(
        dossier=dossier_for(candidacy),
        title=title,
        kind=EvidenceKind.CASH_PLAN,
        original_name="plan.pdf",
        content_type=FileType.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=len(pages),
        extraction_status=ExtractionStatus.READY,
        uploaded_by=candidacy.candidate,
        **fields,
    )
    evidence.file.save("plan.pdf", ContentFile(data), save=False)
    evidence.save()
    return evidence


def first_narrative(candidacy):
    return Narrative.objects.filter(dossier__candidacy=candidacy).order_by("pk").first()


def download(client, candidacy, depot=None):
    url = reverse("livret:dossier_pdf_download", kwargs={"candidacy_pk": candidacy.pk})
    return get_pdf(client, url, {"depot": depot} if depot is not None else {})


@pytest.fixture
def eligible(referentiel):
    """A candidacy whose livret 2 is complete and signed, not submitted yet."""
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    Narrative.objects.filter(pk=first_narrative(candidacy).pk).update(text=STORY)
    return candidacy


def test_the_pdf_holds_the_whole_dossier(client, eligible):
    evidence = Evidence.objects.get(dossier__candidacy=eligible)
    competence = CompetenceLink.objects.filter(dossier__candidacy=eligible).first().competence
    NoEvidenceReason.objects.create(
        dossier=evidence.dossier, competence=competence, reason="Contrats confidentiels."
    )
    log_in(client, eligible.candidate)

    response = download(client, eligible)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="livret2-{eligible.reference}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    pages, text = pdf_text(pdf_bytes(response))
    assert pages > 1
    name = eligible.candidate.get_full_name()
    # The cover.
    assert eligible.reference in text
    assert name in text
    assert eligible.certification.title in text
    assert f"référentiel version {eligible.certification.version}" in text
    assert "BC1" in text and "BC3" in text
    assert "Version de travail" in text
    assert f"Export du {timezone.localdate().day}" in text
    # Narratives by bloc and activité, with the activité's compétences.
    assert "j'ai monté le plan de trésorerie hebdomadaire" in text
    assert "le découvert n'a jamais dépassé 40 000 euros" in text
    assert "Activité 1.1" in text and "C1.1" in text
    # The evidence, its full SHA-256 and the candidate's links.
    assert "Bulletins de paie 2024" in text
    assert "Bulletin de paie" in text  # the kind's label
    assert evidence.sha256 in compact(text)
    assert "Le bulletin montre la paie que j'ai établie." in text
    assert "Contrats confidentiels." in text
    # The sworn statement, and the page numbers and running header on every page.
    assert f"{name} Fait à Paris" in text
    assert "page 1 / " in text
    assert f"page {pages} / {pages}" in text
    assert text.count(eligible.reference) >= pages  # cover + header of the other pages


def test_narrative_text_is_escaped_and_keeps_its_paragraphs(eligible):
    Narrative.objects.filter(pk=first_narrative(eligible).pk).update(
        text="<script>alert('piège')</script> Début\n\nSuite <b>en gras</b> & fin"
    )
    export = build_export(eligible, dossier_for(eligible))

    html = render_to_string(PDF_TEMPLATE, {"export": export})

    assert "<script>" not in html and "<b>" not in html
    assert "<p>&lt;script&gt;alert(&#x27;piège&#x27;)&lt;/script&gt; Début</p>" in html
    assert "<p>Suite &lt;b&gt;en gras&lt;/b&gt; &amp; fin</p>" in html
    _pages, text = pdf_text(render_export(export))
    assert "<script>alert('piège')</script> Début" in text  # shown as text, never run


def test_an_unsigned_dossier_says_so(eligible):
    dossier = dossier_for(eligible)
    dossier.sworn_at = None
    dossier.save()

    _pages, text = pdf_text(render_export(build_export(eligible, dossier)))

    assert "Déclaration non signée." in text
    assert "Fait à" not in text


def test_evidence_flags_and_page_ranges(eligible):
    dossier = dossier_for(eligible)
    old = Evidence.objects.get(dossier=dossier)
    withdrawn = add_evidence(eligible, "Ancien échéancier", ["a"], withdrawn_at=timezone.now())
    scripted = add_evidence(eligible, "Devis avec script", ["b", "c", "d"], has_javascript=True)
    newer = add_evidence(eligible, "Bulletins de paie 2024 (lisibles)", ["e"], replaces=old)
    competence = CompetenceLink.objects.filter(dossier=dossier).first().competence
    CompetenceLink.objects.create(
        dossier=dossier,
        competence=competence,
        evidence=scripted,
        page_from=2,
        page_to=3,
        justification="Le devis détaillé, pages du chapitre personnel.",
    )
    CompetenceLink.objects.create(
        dossier=dossier,
        competence=competence,
        evidence=withdrawn,
        justification="Une pièce retirée depuis.",
    )

    _pages, text = pdf_text(render_export(build_export(eligible, dossier)))

    assert "Pièce 1 — Bulletins de paie 2024" in text
    assert "remplacée par « Bulletins de paie 2024 (lisibles) »" in text
    assert "remplace « Bulletins de paie 2024 »" in text
    # The factory's links all point to the replaced piece: they no longer count.
    assert "Pièce 1 — Bulletins de paie 2024, document entier — pièce retirée ou remplacée" in text
    assert f"retirée le {timezone.localdate():%d/%m/%Y}" in text
    assert "contient du JavaScript" in text
    assert "Pièce 3 — Devis avec script, p. 2 à 3" in text
    assert "Pièce 2 — Ancien échéancier, document entier — pièce retirée ou remplacée" in text
    assert old.sha256 in compact(text) and scripted.sha256 in compact(text)
    assert newer.sha256 in compact(text)


def test_export_reads_in_a_fixed_number_of_queries(eligible):
    dossier = dossier_for(eligible)

    def count():
        with CaptureQueriesContext(connection) as queries:
            build_export(eligible, dossier)
        return len(queries)

    before = count()
    for number in range(4):
        evidence = add_evidence(eligible, f"Pièce {number}", [f"page {number}"])
        CompetenceLink.objects.create(
            dossier=dossier,
            competence=CompetenceLink.objects.first().competence,
            evidence=evidence,
            justification="Encore une preuve.",
        )
    assert count() == before


# -- submitted versions --------------------------------------------------------------------


def test_a_submitted_dossier_is_exported_as_submitted(client, eligible):
    services.submit_dossier(candidacy=eligible, by=eligible.candidate)
    log_in(client, eligible.candidate)

    _pages, current = pdf_text(pdf_bytes(download(client, eligible)))
    response = download(client, eligible, depot=1)

    assert "Dossier déposé le" in current and "dépôt n° 1" in current
    assert "Version de travail" not in current
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="livret2-{eligible.reference}-depot-1.pdf"'
    )
    _pages, submitted = pdf_text(pdf_bytes(response))
    assert "dépôt n° 1" in submitted
    assert "j'ai monté le plan de trésorerie hebdomadaire" in submitted
    assert "Le bulletin montre la paie que j'ai établie." in submitted  # links still known


def test_each_submission_keeps_what_was_sent(client, eligible, certifier):
    candidate = eligible.candidate
    dossier = dossier_for(eligible)
    first_piece = Evidence.objects.get(dossier=dossier)
    services.submit_dossier(candidacy=eligible, by=candidate)
    services.return_dossier(
        candidacy=eligible, by=certifier, comment="Précisez le récit de l'activité 1.1."
    )
    # Corrections after the return: a new narrative text, a new piece, one piece withdrawn.
    rewritten = NARRATIVE_TEXT + " Version corrigée après le renvoi du dossier."
    Narrative.objects.filter(pk=first_narrative(eligible).pk).update(text=rewritten, version=2)
    new_piece = add_evidence(eligible, "Plan de trésorerie corrigé", ["Trésorerie 2025"])
    Evidence.objects.filter(pk=first_piece.pk).update(withdrawn_at=timezone.now())
    log_in(client, candidate)

    _pages, current = pdf_text(pdf_bytes(download(client, eligible)))
    _pages, first = pdf_text(pdf_bytes(download(client, eligible, depot=1)))

    assert "Version de travail" in current and "renvoyé pour correction" in current
    assert "Version corrigée après le renvoi" in current
    assert new_piece.sha256 in compact(current)
    assert "retirée le" in current
    # Submission 1 as it was sent: the old text, the old piece (not withdrawn then).
    assert "Dossier déposé le" in first and "dépôt n° 1" in first
    assert "j'ai monté le plan de trésorerie hebdomadaire" in first
    assert "Version corrigée après le renvoi" not in first
    assert first_piece.sha256 in compact(first)
    assert new_piece.sha256 not in compact(first)
    assert "retirée le" not in first
    # The links of a reopened dossier are not those submitted: said, not shown.
    assert "ne sont conservés que pour le dernier dépôt" in first
    assert "Le bulletin montre la paie que j'ai établie." not in first

    # Corrected again, signed and resubmitted: a second version, the first unchanged.
    Evidence.objects.filter(pk=first_piece.pk).update(withdrawn_at=None)
    sign(dossier=dossier, by=candidate, name="Alex Durand", place="Lyon")
    services.submit_dossier(candidacy=eligible, by=candidate)
    _pages, second = pdf_text(pdf_bytes(download(client, eligible, depot=2)))
    _pages, first_again = pdf_text(pdf_bytes(download(client, eligible, depot=1)))

    assert "dépôt n° 2" in second and "Version corrigée après le renvoi" in second
    assert new_piece.sha256 in compact(second)
    assert "Alex Durand Fait à Lyon" in second
    assert "Le bulletin montre la paie que j'ai établie." in second
    assert "Version corrigée après le renvoi" not in first_again
    assert new_piece.sha256 not in compact(first_again)
    assert "Fait à Paris" in first_again  # the statement signed for submission 1


@pytest.mark.parametrize("depot", ["2", "abc", "-1", "1.0", ""])
def test_an_unknown_submission_is_404(client, eligible, depot):
    services.submit_dossier(candidacy=eligible, by=eligible.candidate)
    log_in(client, eligible.candidate)

    assert download(client, eligible, depot=depot).status_code == 404


# -- rendering: local files only -----------------------------------------------------------


def test_the_fetcher_refuses_anything_but_the_template_folder():
    root = template_dir(PDF_TEMPLATE)
    fetcher = LocalOnlyFetcher(root)

    response = fetcher.fetch((root / "livret2.css").as_uri())
    assert b"@page" in response.read()
    response.close()
    for url in [
        "https://example.org/style.css",
        "http://127.0.0.1:8000/admin/",
        "ftp://example.org/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://serveur/partage/livret2.css",
        (root / ".." / ".." / "base.html").as_uri(),
        (root / "absent.css").as_uri(),
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_rendering_reads_only_our_style_sheet(monkeypatch, caplog, eligible):
    fetched = []
    real_fetch = URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    caplog.set_level(logging.WARNING, logger="weasyprint")

    render_export(build_export(eligible, dossier_for(eligible)))
    assert fetched == [(template_dir(PDF_TEMPLATE) / "livret2.css").as_uri()]
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []

    fetched.clear()
    html_to_pdf(
        base_dir=template_dir(PDF_TEMPLATE),
        html='<link rel="stylesheet" href="file:///etc/passwd">'
        '<img src="https://example.org/pixel.png" alt=""><img src="http://169.254.169.254/">'
        "<p>Texte</p>",
    )
    assert fetched == []  # refused before any request
