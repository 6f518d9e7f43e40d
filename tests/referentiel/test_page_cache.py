"""Public pages from the cache for logged-out visitors (``referentiel.caching``): the same
HTML until something they show is published again, never someone else's page."""

import gzip
from html import unescape

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from referentiel.caching import VISITOR_HEADER, bloc_tree
from referentiel.models import Bloc, CertificationPage, Competence, ContentPage
from referentiel.services import create_draft_from, publish_version
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db


def tree_reads(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "referentiel_criterion" in q["sql"]]


def test_a_visitor_gets_the_certification_page_from_the_cache(client, site_pages):
    first = client.get("/certification/")
    assert first[VISITOR_HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/certification/")
    assert second.status_code == 200
    assert second[VISITOR_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"
    # Neither Wagtail's routing, nor the tree, nor the template: the three small queries of
    # the key.
    assert tree_reads(queries) == []
    assert len(queries) == 3, [q["sql"] for q in queries.captured_queries]


def test_other_views_spend_nothing_on_the_cache(client, site_pages):
    client.get("/compte/connexion/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/compte/connexion/")
    assert response.status_code == 200
    assert VISITOR_HEADER not in response
    # The site token is read once, for the menu of the page (kept in the cache under it):
    # the visitor cache never computes its key for a view Wagtail does not serve.
    assert len([q for q in queries.captured_queries if '"content_hash"' in q["sql"]]) == 1


def test_every_public_page_is_cached_for_visitors(client, site_pages):
    for url in ("/", "/certification/", "/reglement/", "/faq/"):
        assert client.get(url)[VISITOR_HEADER] == "miss", url
        assert client.get(url)[VISITOR_HEADER] == "hit", url


def test_a_new_version_of_the_referentiel_shows_at_once(client, site_pages, referentiel):
    assert client.get("/certification/")[VISITOR_HEADER] == "miss"
    draft = create_draft_from(referentiel)
    competence = Competence.objects.get(activity__bloc__certification=draft, code="C3.6")
    competence.statement = "Énoncé révisé dans la version 2."
    competence.save()
    # A draft changes nothing that is shown: still the cached page.
    assert client.get("/certification/")[VISITOR_HEADER] == "hit"
    publish_version(draft)
    response = client.get("/certification/")
    assert response[VISITOR_HEADER] == "miss"
    html = unescape(response.content.decode())
    assert "Énoncé révisé dans la version 2." in html
    assert "Version du référentiel</dt><dd>2" in html


def test_publishing_a_page_refreshes_it_and_the_menus_of_the_others(client, site_pages):
    client.get("/")
    client.get("/reglement/")
    reglement = ContentPage.objects.get(slug="reglement")
    reglement.title = "Règlement 2027"
    reglement.save_revision().publish()
    home = client.get("/")
    assert home[VISITOR_HEADER] == "miss"
    assert "Règlement 2027" in home.content.decode()
    assert "Règlement 2027" in client.get("/reglement/").content.decode()


def test_a_logged_in_user_gets_their_own_page(client, site_pages):
    client.get("/certification/")
    log_in(client, UserFactory(role=Role.CANDIDATE, first_name="Zoé"))
    response = client.get("/certification/")
    assert VISITOR_HEADER not in response
    html = response.content.decode()
    assert "Se déconnecter" in html
    assert html.count('class="competence"') == 26
    # The logged-in page is never stored for visitors.
    client.logout()
    assert "Se déconnecter" not in client.get("/certification/").content.decode()


def test_a_page_with_a_message_or_a_query_is_rendered_for_the_request(client, site_pages):
    client.get("/")
    assert VISITOR_HEADER not in client.get("/?page=2")
    # A message left for this visitor (a logout, a confirmation…) shows on their page only.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, "Vous êtes déconnecté.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies.update(carrier.cookies)
    response = client.get("/")
    assert VISITOR_HEADER not in response
    assert "Vous êtes déconnecté." in unescape(response.content.decode())
    assert client.get("/")[VISITOR_HEADER] == "hit"


def test_a_restricted_page_is_never_cached(client, site_pages):
    client.get("/certification/")
    page = CertificationPage.objects.get()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    # The visitor is asked for the password: not the page stored before the restriction.
    response = client.get("/certification/")
    assert VISITOR_HEADER not in response
    assert response.status_code == 200
    assert 'class="competence"' not in response.content.decode()
    response = client.post(
        response.content.decode().split('action="', 1)[1].split('"', 1)[0],
        {"password": "secret", "return_url": "/certification/"},
    )
    assert client.get("/certification/").content.decode().count('class="competence"') == 26
    # Opened for this session only: nothing stored for the next visitor.
    other = Client()
    assert 'class="competence"' not in other.get("/certification/").content.decode()


@override_settings(DEBUG=True)
def test_nothing_is_cached_in_development(client, site_pages):
    client.get("/certification/")
    assert VISITOR_HEADER not in client.get("/certification/")


def test_a_hit_carries_the_headers_of_the_rendered_page(client, site_pages):
    first = client.get("/certification/")
    second = client.get("/certification/")
    assert second[VISITOR_HEADER] == "hit"
    for header in ("X-Frame-Options", "Content-Type", "Content-Language"):
        assert second[header] == first[header], header
    # Answers differ by encoding: caches between us and the browser must know it.
    assert "Accept-Encoding" in second["Vary"]
    assert int(second["Content-Length"]) == len(second.content) == len(first.content)


def test_browsers_that_accept_gzip_get_the_page_compressed_once(client, site_pages):
    plain = client.get("/certification/")
    compressed = client.get("/certification/", headers={"accept-encoding": "gzip, deflate, br"})
    assert compressed[VISITOR_HEADER] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) == len(compressed.content)
    assert gzip.decompress(compressed.content) == plain.content
    # A référentiel page is mostly repeated markup: it travels at a fraction of its size.
    assert len(compressed.content) * 4 < len(plain.content)
    assert "Content-Encoding" not in client.get("/certification/")


def test_a_visitor_with_a_session_gets_the_page_rendered(client, site_pages):
    client.get("/")
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert VISITOR_HEADER not in client.get("/")


def test_the_menu_of_logged_in_pages_follows_publications(client, site_pages):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    assert "Règlement 2027" not in client.get("/candidature/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/candidature/")
    # The menu comes from the cache: no query of Wagtail's pages tree beyond the token.
    assert not [q for q in queries.captured_queries if "wagtailcore_site" in q["sql"]]
    reglement = ContentPage.objects.get(slug="reglement")
    reglement.title = "Règlement 2027"
    reglement.save_revision().publish()
    html = client.get("/candidature/").content.decode()
    assert '<a href="/reglement/">Règlement 2027</a>' in html
    reglement.unpublish()
    assert "/reglement/" not in client.get("/candidature/").content.decode()


def test_the_tree_of_a_published_version_is_read_once(referentiel):
    from_db = Bloc.objects.filter(certification=referentiel).order_by("sort_order", "code")
    rows = list(
        from_db.values_list(
            "pk", "certification_id", "certification__content_hash", "certification__status"
        )
    )
    with CaptureQueriesContext(connection) as first:
        tree = bloc_tree(rows)
    with CaptureQueriesContext(connection) as second:
        again = bloc_tree(rows)
    # Blocs, activités, compétences, critères once; then nothing.
    assert len(first) == 4 and len(second) == 0
    assert [b.code for b in again] == [b.code for b in tree] == ["BC1", "BC2", "BC3"]
    criteria = [
        cr.text
        for b in again
        for a in b.activities.all()
        for c in a.competences.all()
        for cr in c.criteria.all()
    ]
    assert criteria == [
        cr.text
        for b in tree
        for a in b.activities.all()
        for c in a.competences.all()
        for cr in c.criteria.all()
    ]


def test_the_tree_of_a_draft_is_always_read(referentiel):
    draft = create_draft_from(referentiel)
    rows = Bloc.objects.filter(certification=draft).values_list(
        "pk", "certification_id", "certification__content_hash", "certification__status"
    )
    bloc_tree(rows)
    competence = Competence.objects.get(activity__bloc__certification=draft, code="C3.6")
    competence.statement = "Énoncé en cours de rédaction."
    competence.save()
    statements = [
        c.statement
        for b in bloc_tree(rows)
        for a in b.activities.all()
        for c in a.competences.all()
    ]
    assert "Énoncé en cours de rédaction." in statements
