"""The certifier's promotions pages and downloads (Wagtail admin): who sees them, what
they show."""

import datetime as dt
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import PromotionSettings
from cohorts.rules import SMALL_NUMBERS
from referentiel import french as fr
from tests.accounts import log_in
from tests.cohorts.tables_support import a_promotion, employed
from tests.factories import UserFactory
from vae.enums import Role
from vae.roles import ensure_role_groups

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 5, 20)
LIST = reverse("cohorts_admin:promotions")
DETAIL = reverse("cohorts_admin:promotion", args=[2025])
XLSX = reverse("cohorts_admin:promotions_export", args=["insertion.xlsx"])
EVERY_URL = [
    LIST,
    DETAIL,
    XLSX,
    reverse("cohorts_admin:promotions_export", args=["insertion.csv"]),
    reverse("cohorts_admin:promotions_export", args=["contrats.csv"]),
]


@pytest.fixture
def promotion(referentiel):
    a_promotion(DAY)


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_certifier_reads_the_table(client, certifier, promotion):
    log_in(client, certifier)
    response = client.get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert '<caption id="promotions-caption">' in page
    assert 'scope="colgroup"' in page and 'scope="rowgroup"' in page
    assert 'class="cohorts-table-wrap" tabindex="0" role="region"' in page
    assert "css/admin-cohorts-promotions.css" in page
    assert DETAIL in page and XLSX in page
    assert "l'année civile" in page
    # The VAE row: 7 presented, 3 + 2 holders, 8 surveyed, 6 respondents, the rates.
    for figure in (f"60{fr.NNBSP}%", f"80{fr.NNBSP}%", f"75{fr.NNBSP}%"):
        assert figure in page
    # The training column is there, empty, and says so; the 24-month wave too.
    assert page.count("Formation") >= 1
    assert "aucune donnée" in page
    assert "Enquête à 24 mois" in page


def test_the_certifier_reads_a_promotion(client, certifier, promotion):
    log_in(client, certifier)
    page = text(client.get(DETAIL))
    assert "Promotion 2025" in page
    assert "du 1er janvier 2025 au 31 décembre 2025" in page
    assert "dont sans accord pour les statistiques" in page
    assert "CDD d'usage (intermittent du spectacle)" in page
    assert "De 30 000 à 39 999 €" in page
    # Four employed: every share of a distribution is below five.
    assert SMALL_NUMBERS in page
    assert "moins de 5 personnes : taux non calculé" in page
    assert "Aucune donnée : la plateforme n'enregistre pas encore" in page


def test_the_pages_read_a_constant_number_of_queries(client, certifier, promotion):
    log_in(client, certifier)
    client.get(LIST)  # the session, the setting's row: as on every later visit
    counts = {}
    for name, url in (("list", LIST), ("detail", DETAIL), ("xlsx", XLSX)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    a_promotion(dt.date(2024, 3, 4))
    a_promotion(DAY)
    for day in (dt.date(2023, 1, 2), dt.date(2022, 7, 3)):
        employed(day, months=24)
    for name, url in (("list", LIST), ("detail", DETAIL), ("xlsx", XLSX)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == counts[name], name
    assert "2022" in text(client.get(LIST))


def test_small_numbers_are_shown_as_such(client, certifier, referentiel):
    employed(DAY)
    employed(DAY, targeted=False)
    log_in(client, certifier)
    page = text(client.get(LIST))
    assert SMALL_NUMBERS in page
    assert f"50{fr.NNBSP}%" not in page


def test_a_school_year_period(client, certifier, promotion):
    settings_row = PromotionSettings.load()
    settings_row.start_month = 9
    settings_row.save()
    log_in(client, certifier)
    page = text(client.get(LIST))
    assert "douze mois à partir de septembre" in page
    assert "septembre 2024 – août 2025" in page
    assert client.get(reverse("cohorts_admin:promotion", args=[2024])).status_code == 200
    assert client.get(DETAIL).status_code == 404


def test_no_promotion_yet(client, certifier, referentiel):
    log_in(client, certifier)
    page = text(client.get(LIST))
    assert "Aucune promotion pour l'instant" in page
    assert client.get(DETAIL).status_code == 404


def test_an_unknown_year_or_export_is_not_found(client, certifier, promotion):
    log_in(client, certifier)
    assert client.get(reverse("cohorts_admin:promotion", args=[1999])).status_code == 404
    unknown = reverse("cohorts_admin:promotions_export", args=["insertion.ods"])
    assert client.get(unknown).status_code == 404


def test_the_menu(client, certifier, promotion):
    log_in(client, certifier)
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "Analyse des cohortes" in page and "Promotions et insertion" in page


def test_the_certifier_may_change_the_reference_period(client, certifier, referentiel):
    ensure_role_groups()
    log_in(client, certifier)
    url = reverse("wagtailsettings:edit", args=["cohorts", "promotionsettings"])
    form = client.get(url, follow=True)
    assert "début de la période de référence" in text(form).lower()
    edit_url = form.redirect_chain[-1][0] if form.redirect_chain else url
    client.post(edit_url, {"start_month": "9"})
    assert PromotionSettings.load().start_month == 9


def test_a_jury_member_may_not_change_it(client, referentiel):
    ensure_role_groups()
    log_in(client, UserFactory(role=Role.JURY_MEMBER))
    url = reverse("wagtailsettings:edit", args=["cohorts", "promotionsettings"])
    client.post(client.get(url).get("Location") or url, {"start_month": "9"})
    assert PromotionSettings.load().start_month == 1


@pytest.mark.parametrize("url", EVERY_URL, ids=["list", "detail", "xlsx", "csv", "contracts"])
def test_anonymous_is_sent_to_log_in(client, promotion, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    "role",
    [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER],
    ids=["candidate", "evaluator", "jury"],
)
def test_other_roles_are_refused(client, promotion, role):
    user = UserFactory(role=role)
    log_in(client, user)
    for url in EVERY_URL:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Taux d'insertion" not in text(response)
        assert "attachment" not in response.get("Content-Disposition", "")
    home = client.get(reverse("wagtailadmin_home"), follow=True)
    assert "Promotions et insertion" not in text(home)
