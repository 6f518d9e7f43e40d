"""The back office speaks French: column headers and filters of the listings, the « Ajouter »
buttons (with the right article), French typography in page titles, « à l'instant »
rather than « il y a 0 minute », and no avatar fetched from gravatar.com."""

import datetime
import re
from html import unescape

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from referentiel.french import time_ago
from referentiel.models import Activity
from review.models import EvaluatorProfile
from tests.accounts import log_in
from tests.factories import CandidacyFactory, EvaluatorFactory, UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db

# Listing -> (column headers, filter labels, « Ajouter » button), all as shown.
LISTINGS = {
    "wagtailsnippets_referentiel_certification:list": (
        ["Intitulé", "Version", "Statut", "Date d'entrée en vigueur", "Publiée le"],
        ["Statut", "Code"],
        "Ajouter une version du référentiel",
    ),
    "wagtailsnippets_referentiel_bloc:list": (
        ["Code", "Intitulé", "Version du référentiel"],
        ["Version du référentiel"],
        "Ajouter un bloc de compétences",
    ),
    "wagtailsnippets_referentiel_activity:list": (
        ["Code", "Intitulé", "Bloc"],
        ["Version du référentiel", "Bloc"],
        "Ajouter une activité",
    ),
    "wagtailsnippets_referentiel_competence:list": (
        ["Code", "Énoncé", "Activité"],
        ["Version du référentiel", "Bloc"],
        "Ajouter une compétence",
    ),
    "evaluator_profiles:index": (
        ["Évaluateur", "Catégorie", "Structure"],
        ["Catégorie"],
        "Ajouter un profil d'évaluateur",
    ),
}

ENGLISH = re.compile(
    r"\b(Activity|User|Add|Bloc code|Bloc certification|Title|Status|Created|Updated)\b"
)


@pytest.fixture
def certifier(client, referentiel):
    user = UserFactory(role=Role.CERTIFIER)
    log_in(client, user)
    EvaluatorFactory(first_name="Pascale", last_name="Girard", category="training_body")
    return user


def words(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def column_headers(body: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", body, re.S).group(1)
    headers = [words(th) for th in re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)]
    # The bulk-action checkbox column and the sort hints are not headers one reads.
    return [h.replace(" Trier", "").strip() for h in headers if h and "Sélectionner" not in h]


def filter_labels(body: str) -> list[str]:
    drilldown = re.search(r'data-controller="w-drilldown"(.*?)</form>', body, re.S)
    assert drilldown, "the listing has no filters"
    labels = re.findall(
        r'<button class="w-drilldown__toggle"[^\n]*?data-action="[^"]*">(.*?)</button>',
        drilldown.group(1),
        re.S,
    )
    return [words(label) for label in labels if words(label)]


@pytest.mark.parametrize("name", LISTINGS)
def test_listings_are_in_french(client, certifier, name):
    headers, filters, add_label = LISTINGS[name]
    body = client.get(reverse(name)).content.decode()
    assert column_headers(body) == headers
    found = filter_labels(body)
    for label in filters:
        assert label in found
    for text in column_headers(body) + found:
        assert not ENGLISH.search(text), text
    assert add_label in words(body)
    assert "un(e)" not in body


def test_page_titles_use_french_colons(client, certifier):
    activity = Activity.objects.first()
    url = reverse("wagtailsnippets_referentiel_activity:inspect", args=[activity.pk])
    title = unescape(re.search(r"<title>(.*?)</title>", client.get(url).content.decode()).group(1))
    assert f"Inspecter\u00a0: {activity}" in title
    assert not re.search(r"\S: ", title)
    profile = EvaluatorProfile.objects.get()
    url = reverse("evaluator_profiles:edit", args=[profile.pk])
    body = unescape(client.get(url).content.decode())
    assert not re.search(r"\S: ", re.search(r"<title>(.*?)</title>", body).group(1))


def test_no_admin_page_loads_gravatar(client, certifier):
    CandidacyFactory()
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_account"),
        reverse("evaluator_profiles:index"),
        reverse("wagtailsnippets_referentiel_bloc:list"),
        reverse("candidacy_admin:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "gravatar" not in response.content.decode().lower(), url


def test_time_ago_says_just_now_in_french():
    now = timezone.now()
    with translation.override("fr"):
        assert time_ago(now - datetime.timedelta(seconds=20), now=now) == "à l'instant"
        assert time_ago(now - datetime.timedelta(minutes=1), now=now) == "il y a 1\u00a0minute"
        assert time_ago(now - datetime.timedelta(hours=3, minutes=5), now=now) == (
            "il y a 3\u00a0heures"
        )


def test_admin_dates_never_say_zero_minutes():
    with translation.override("fr"):
        html = Template("{% load wagtailadmin_tags %}{% human_readable_date date %}").render(
            Context({"date": timezone.now()})
        )
    assert "0\u00a0minute" not in html and "0 minute" not in html
    assert "À l'instant" in unescape(html)
