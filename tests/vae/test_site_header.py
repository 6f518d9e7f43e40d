"""The header of every page served from the cache (``vae/templatetags/site_header.py``):
the same HTML while what it shows is unchanged, the next request after any change shows
the change, and the logout form always carries the browser's own CSRF token."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from referentiel.models import ContentPage
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role
from vae.fragments import CSRF_PLACEHOLDER
from vae.roles import assign_role

pytestmark = pytest.mark.django_db

DASHBOARD = "/candidature/"


def header(response) -> str:
    page = unescape(response.content.decode())
    found = re.search(r'<header class="site-header".*?</header>', page, re.S)
    assert found, "no site header in the page"
    return found.group(0)


def menu(response) -> list[str]:
    nav = re.search(r'aria-label="Navigation principale">(.*?)</nav>', header(response), re.S)
    return re.findall(r"<a [^>]*>([^<]*)</a>", nav.group(1))


@pytest.fixture
def candidate(db, site_pages):
    return UserFactory(role=Role.CANDIDATE)


def test_the_logout_form_carries_each_browser_s_own_token(candidate):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    log_in(first, candidate)
    log_in(second, candidate)
    tokens = []
    for client in (first, second, first):
        response = client.get(DASHBOARD)
        assert response.status_code == 200
        assert CSRF_PLACEHOLDER not in response.content.decode()
        tokens.append(
            re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(response)).group(1)
        )
    # Served from the cache from the second time on, with each browser's token: the
    # logout posts with CSRF checks on.
    assert len(set(tokens)) == 3  # masked differently each time
    response = second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert (
        settings.SESSION_COOKIE_NAME not in second.cookies
        or not second.cookies[settings.SESSION_COOKIE_NAME].value
    )


def test_a_role_given_shows_in_the_header_of_the_next_page(client, candidate):
    log_in(client, candidate)
    before = header(client.get(DASHBOARD))
    assert "Mes dossiers à évaluer" not in before
    assign_role(candidate, Role.EVALUATOR)
    log_in(client, candidate)  # the evaluator's second factor
    assert "Mes dossiers à évaluer" in header(client.get(DASHBOARD))


def test_a_menu_page_renamed_or_hidden_shows_at_once(client, candidate):
    log_in(client, candidate)
    titles = menu(client.get(DASHBOARD))
    page = ContentPage.objects.live().in_menu().first()
    assert page.title in titles
    page.title = "Foire aux questions du CQP"
    page.save_revision().publish()
    assert "Foire aux questions du CQP" in menu(client.get(DASHBOARD))
    page.show_in_menus = False
    page.save_revision().publish()
    assert "Foire aux questions du CQP" not in menu(client.get(DASHBOARD))


def test_the_current_page_is_marked_in_its_own_menu_entry_only(client, candidate):
    log_in(client, candidate)
    on_rules = header(client.get("/reglement/"))
    on_dashboard = header(client.get(DASHBOARD))
    assert on_rules.count('aria-current="page"') == 1
    assert re.search(r'aria-current="page">Règlement', on_rules)
    assert "Règlement" in on_dashboard and 'aria-current="page">Règlement' not in on_dashboard


def test_a_visitor_s_header_sets_no_csrf_cookie(site_pages):
    visitor = Client()
    for _ in range(2):
        response = visitor.get(reverse("accounts:login"))
        assert "Se connecter" in header(response)
    # The login page has its own form (and token); a public page has none, and its
    # header, served from the cache, asks for no token either.
    response = Client().get("/reglement/")
    assert "Se connecter" in header(response)
    assert settings.CSRF_COOKIE_NAME not in response.cookies
