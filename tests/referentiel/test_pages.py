"""The public site renders the référentiel from its data."""

from html import unescape

import pytest

from referentiel.models import CertificationPage, Competence, Criterion, FaqPage
from referentiel.services import create_draft_from, publish_version
from referentiel.site_setup import ensure_site_pages

pytestmark = pytest.mark.django_db


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_site_pages_are_created_once(site_pages):
    ensure_site_pages()
    ensure_site_pages()
    assert CertificationPage.objects.count() == 1
    assert FaqPage.objects.count() == 1
    assert [p.slug for p in site_pages.get_children()] == ["certification", "reglement", "faq"]


def test_home_page_links_to_every_section(client, site_pages):
    html = page_text(client, "/")
    assert 'lang="fr"' in html
    assert "Aller au contenu" in html
    for url in ("/certification/", "/reglement/", "/faq/"):
        assert f'href="{url}"' in html


def test_certification_page_lists_every_bloc_competence_and_criterion(
    client, site_pages, referentiel
):
    html = page_text(client, "/certification/")
    assert html.count('class="competence"') == 26
    for bloc in referentiel.blocs.all():
        assert bloc.title in html
    for competence in Competence.objects.filter(activity__bloc__certification=referentiel):
        assert competence.statement in html
        if competence.preamble:
            assert competence.preamble in html
    criteria = Criterion.objects.filter(competence__activity__bloc__certification=referentiel)
    assert criteria.count() > 100
    for criterion in criteria:
        assert f"<li>{criterion.text}</li>" in html


def test_certification_page_shows_assessments_rules_prerequisites_and_panels(
    client, site_pages, referentiel
):
    html = page_text(client, "/certification/")
    assert "1 h 30" in html and "10 min" in html and "15 min" in html and "1 h" in html
    assert "20 questions, note sur 20" in html
    assert "15 questions, note sur 20" in html
    assert "Au moins 8 compétences « acquises »" in html
    assert "Au moins 5 compétences « acquises »" in html
    assert (
        "Questionnaire : au moins 14/20 (parcours formation ; pas de questionnaire en VAE)" in html
    )
    assert referentiel.prerequisites_text in html
    assert "Évaluateurs (4)" in html
    assert "2 × Professionnel du métier externe" in html
    assert "Jury de délibération (2)" in html
    assert "Niveau</dt><dd>6 (RNCP)" in html


def test_certification_page_follows_the_published_version(client, site_pages, referentiel):
    draft = create_draft_from(referentiel)
    competence = Competence.objects.get(activity__bloc__certification=draft, code="C3.6")
    competence.statement = "Énoncé révisé dans la version 2."
    competence.save()
    assert "Énoncé révisé" not in page_text(client, "/certification/")
    publish_version(draft)
    html = page_text(client, "/certification/")
    assert "Énoncé révisé dans la version 2." in html
    assert "Version du référentiel</dt><dd>2" in html


def test_certification_page_without_published_version_says_so(client, db):
    ensure_site_pages()
    html = page_text(client, "/certification/")
    assert "Le référentiel n'est pas encore publié." in html


def test_reglement_and_faq_render_their_editable_content(client, site_pages):
    html = page_text(client, "/reglement/")
    assert "Article 1 — Objet" in html
    faq = page_text(client, "/faq/")
    assert faq.count("<details>") == FaqPage.objects.get().questions.count() >= 5
    assert "Qui peut demander la VAE de ce CQP ?" in faq


def test_unknown_page_is_404(client, site_pages):
    assert client.get("/nexiste-pas/").status_code == 404
