"""The public site renders the référentiel from its data."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referentiel.models import CertificationPage, Competence, Criterion, FaqPage, HomePage
from referentiel.services import create_draft_from, publish_version
from referentiel.site_setup import HOME_BODY, PREVIOUS_HOME_BODIES, ensure_site_pages
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role

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
    assert [p.slug for p in site_pages.get_children()] == [
        "certification",
        "reglement",
        "faq",
        "donnees-personnelles",
    ]


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
    assert "1\u00a0h\u00a030" in html and "10\u00a0minutes" in html and "15\u00a0minutes" in html
    assert "(1\u00a0h, " in html  # an hour on the dot: no « 00 »
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


# -- the référentiel's summary -------------------------------------------------------------


def test_certification_page_opens_with_a_summary_of_the_three_blocs(
    client, site_pages, referentiel
):
    html = page_text(client, "/certification/")
    start = html.index('<nav class="toc referentiel-summary" id="sommaire"')
    summary = html[start : html.index("</nav>", start)]
    # Before the first bloc, after the certification's card.
    assert html.index('id="certification"') < start < html.index('<section class="bloc"')
    assert 'aria-labelledby="sommaire-titre"' in summary
    assert '<h2 id="sommaire-titre">Sommaire</h2>' in summary
    for code, count, activities in (("BC1", 10, 5), ("BC2", 10, 5), ("BC3", 6, 2)):
        bloc = referentiel.blocs.get(code=code)
        anchor = code.lower()
        assert (
            f'<a class="referentiel-summary__title" href="#{anchor}">{code} – {bloc.title}</a>'
            in summary
        )
        assert f"<p>{count} compétences en {activities} activités.</p>" in summary
        assert f'<a href="#{anchor}-epreuves">Épreuves</a> : ' in summary
        assert (
            f'<a href="#{anchor}-regle">Validation</a> : au moins {bloc.min_acquired} ' in summary
        )
        # Every anchor of the summary exists on the page.
        for target in (anchor, f"{anchor}-epreuves", f"{anchor}-regle"):
            assert f'id="{target}"' in html
    assert "Soutenance orale (15\u00a0minutes, oral, VAE et formation)" in summary
    assert "Etude de cas (1\u00a0h\u00a030, écrit, formation)" in summary
    assert (
        "au moins 8 compétences « acquises » sur 10, au plus 2 « partiellement acquises », "
        "aucune « non acquise » ; questionnaire : au moins 14/20 (parcours formation)."
    ) in summary
    assert (
        "au moins 5 compétences « acquises » sur 6, au plus 1 « partiellement acquise », "
        "aucune « non acquise »."
    ) in summary
    assert '<a href="#prerequis">Prérequis</a>' in summary
    assert '<a href="#evaluation">Évaluateurs, jury et échelle d' in summary


def test_each_part_of_the_certification_page_leads_back_to_the_summary(
    client, site_pages, referentiel
):
    html = page_text(client, "/certification/")
    back = '<a href="#sommaire"><span aria-hidden="true">↑ </span>Retour au sommaire</a>'
    # One at the end of each bloc, one after the last part of the page.
    assert html.count(back) == 4
    parts = html.split('<section class="bloc" id="')[1:]
    parts[-1] = parts[-1][: parts[-1].index('<section id="prerequis"')]
    assert [part[:3] for part in parts] == ["bc1", "bc2", "bc3"]
    assert all(part.count(back) == 1 for part in parts)
    assert html.rindex(back) > html.index('<section id="evaluation"')
    # The summary is the target: it can take the focus when the link is followed.
    assert '<nav class="toc referentiel-summary" id="sommaire"' in html
    assert 'id="sommaire" aria-labelledby="sommaire-titre" tabindex="-1">' in html


def test_certification_summary_reads_the_tree_already_loaded(client, site_pages, referentiel):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/certification/").status_code == 200
    # The compétence counts come from the prefetched tree: one query per table, not per bloc.
    for table in ("referentiel_activity", "referentiel_competence", "referentiel_assessment"):
        reads = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
        assert len(reads) == 1, reads
    # Then the référentiel comes from the cache: the tree is not read again.
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/certification/").content.decode()
    assert html.count('class="competence"') == 26
    assert not [q for q in queries.captured_queries if "referentiel_competence" in q["sql"]]


# -- the home page -------------------------------------------------------------------------


def test_home_page_invites_a_visitor_to_start_with_a_sign_up(client, site_pages):
    html = page_text(client, "/")
    signup = reverse("accounts:signup")
    assert f'<a class="button button--large" href="{signup}">Commencer ma VAE</a>' in html
    assert f'<a href="{reverse("accounts:login")}">Se connecter</a>' in html
    # The call to action comes before the journey and the rest of the page.
    assert html.index("Commencer ma VAE") < html.index("Les étapes de votre VAE")


def test_home_page_sends_a_logged_in_candidate_to_their_space(client, site_pages):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    html = page_text(client, "/")
    dashboard = reverse("candidacy:dashboard")
    assert f'<a class="button button--large" href="{dashboard}">Commencer ma VAE</a>' in html
    assert reverse("accounts:signup") not in html


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.CERTIFIER, Role.JURY_MEMBER])
def test_home_page_sends_other_roles_to_their_own_space(client, site_pages, role):
    log_in(client, UserFactory(role=role))
    html = page_text(client, "/")
    assert "Commencer ma VAE" not in html
    assert f'<a class="button button--large" href="{reverse("accounts:home")}">' in html


def test_home_page_lists_the_journey_in_order_with_the_legal_delays(client, site_pages):
    html = page_text(client, "/")
    start = html.index('<ol class="journey-steps" role="list">')
    steps = html[start : html.index("</ol>", start)]
    assert 'aria-labelledby="parcours-titre"' in html
    titles = re.findall(r'<h3 class="journey-step__title">(.*?)</h3>', steps)
    assert [re.sub(r"<[^>]+>", "", title) for title in titles] == [
        "Recevabilité (livret 1)",
        "Dossier de validation (livret 2)",
        "Évaluation par 4 évaluateurs",
        "Entretien avec le jury",
        "Décision",
    ]
    assert steps.count('<li class="journey-step">') == 5
    assert "le jury se réunit dans les 3 mois qui suivent le dépôt de votre dossier." in steps
    assert "la décision vous est notifiée dans les 15 jours qui suivent le jury." in steps
    # The steps are said once: the page body no longer repeats them.
    assert "Comment se déroule la VAE ?" not in html


def test_an_untouched_home_body_is_updated_an_edited_one_is_kept(site_pages):
    home = HomePage.objects.get()
    home.body = PREVIOUS_HOME_BODIES[0]
    home.save_revision().publish()
    ensure_site_pages()
    home.refresh_from_db()
    assert home.body == HOME_BODY
    home.body = "<p>Texte de l'éditeur.</p>"
    home.save_revision().publish()
    ensure_site_pages()
    home.refresh_from_db()
    assert home.body == "<p>Texte de l'éditeur.</p>"
