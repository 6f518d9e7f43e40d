"""The search pages of each space: who may open them, what they send to the engine, what
they show of its results (results built by hand: the engine's own behaviour, scope
included, is tested with the backends)."""

from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from search import api
from search.base import Filters, Kind
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory, make_panel
from tests.search.ui_support import FakeEngine, facet, page_hit, results
from vae.enums import CandidacyState, Role


@pytest.fixture
def engine(monkeypatch):
    fake = FakeEngine()
    monkeypatch.setattr(api, "search", fake)
    return fake


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=CandidacyState.UNDER_REVIEW)


@pytest.fixture
def assignment(candidacy):
    return make_panel(candidacy)[0]


@pytest.fixture
def evaluator(client, assignment):
    log_in(client, assignment.evaluator)
    return assignment.evaluator


def evaluator_url(**params):
    return f"{reverse('search:evaluator')}?{urlencode(params)}"


# -- who may open them ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["search:evaluator", "search:jury"])
def test_anonymous_goes_to_login(client, db, name, engine):
    response = client.get(reverse(name), {"q": "paie"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert engine.calls == []


def test_anonymous_candidate_page_goes_to_login(client, candidacy, engine):
    response = client.get(reverse("search:candidate", args=[candidacy.pk]), {"q": "paie"})
    assert response.status_code == 302
    assert engine.calls == []


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("search:evaluator", Role.CANDIDATE),
        ("search:evaluator", Role.JURY_MEMBER),
        ("search:jury", Role.CANDIDATE),
        ("search:jury", Role.EVALUATOR),
    ],
    ids=["evaluator-candidate", "evaluator-jury", "jury-candidate", "jury-evaluator"],
)
def test_a_role_without_that_search_is_refused(client, db, name, role, engine):
    log_in(client, UserFactory(role=role))
    response = client.get(reverse(name), {"q": "paie"})
    assert response.status_code == 403
    assert engine.calls == []


def test_another_candidates_search_is_not_found(client, candidacy, engine):
    log_in(client, CandidacyFactory().candidate)
    response = client.get(reverse("search:candidate", args=[candidacy.pk]), {"q": "paie"})
    assert response.status_code == 404
    assert engine.calls == []


def test_the_back_office_search_is_for_certifiers(client, db, engine):
    log_in(client, UserFactory(role=Role.EVALUATOR, is_staff=True))
    response = client.get(reverse("search_admin"), {"q": "paie"})
    assert response.status_code in (302, 403)
    assert engine.calls == []


def test_certifier_searches_every_dossier_in_the_back_office(client, certifier, candidacy, engine):
    engine.answer = results("tresorerie", [page_hit(candidacy.pk, 7, 3)])
    log_in(client, certifier)
    response = client.get(reverse("search_admin"), {"q": "tresorerie"})
    assert response.status_code == 200
    assert engine.calls[0]["user"] == certifier
    html = response.content.decode()
    assert candidacy.candidate.get_full_name() in html
    assert f"/candidature/{candidacy.pk}/livret-2/pieces/7/fichier/?inline=1#page=3" in html


# -- what goes to the engine ------------------------------------------------------------


def test_the_engine_gets_the_query_the_user_and_the_facets(evaluator, client, candidacy, engine):
    client.get(evaluator_url(q="plan de trésorerie", candidature=candidacy.pk, type="narrative"))
    (call,) = engine.calls
    assert call["raw"] == "plan de trésorerie"
    assert call["user"] == evaluator
    assert call["filters"] == Filters(candidacy=candidacy.pk, kind=Kind.NARRATIVE)


def test_an_unreadable_filter_is_ignored_and_said(evaluator, client, engine):
    response = client.get(evaluator_url(q="paie", type="nimporte", candidature="abc"))
    assert engine.calls[0]["filters"] == Filters()
    html = unescape(response.content.decode())
    assert "Le filtre « Type de texte » n'a pas pu être lu : il est ignoré." in html
    assert "Le filtre « Candidature » n'a pas pu être lu : il est ignoré." in html


def test_a_query_too_long_is_refused_and_kept_in_the_box(evaluator, client, engine):
    typed = "trésorerie " * 30
    response = client.get(evaluator_url(q=typed))
    assert engine.calls == []
    html = response.content.decode()
    assert "La recherche dépasse 200 caractères : raccourcissez-la." in html
    assert f'value="{typed.strip()}' in html or f'value="{typed}' in html


def test_the_candidate_searches_only_their_own_candidacy(client, candidacy, engine):
    other = CandidacyFactory()
    log_in(client, candidacy.candidate)
    url = reverse("search:candidate", args=[candidacy.pk])
    response = client.get(url, {"q": "paie", "candidature": other.pk})
    assert response.status_code == 200
    assert engine.calls[0]["filters"].candidacy == candidacy.pk


def test_no_query_no_search(evaluator, client, engine):
    response = client.get(reverse("search:evaluator"))
    assert response.status_code == 200
    assert engine.calls == []
    assert 'role="search"' in response.content.decode()


# -- what the page shows ----------------------------------------------------------------


def test_results_with_snippet_count_time_and_a_link_to_the_page(
    evaluator, client, assignment, candidacy, engine
):
    engine.answer = results("tresorerie", [page_hit(candidacy.pk, 41, 2)])
    response = client.get(evaluator_url(q="tresorerie"))
    html = response.content.decode()
    summary = "1 résultat en 8\u00a0ms pour «\u00a0tresorerie\u00a0»"
    assert f'<div role="status" class="search-summary"><p><strong>{summary}</strong>' in html
    # The engine's snippet is shown as HTML: its marks, its escaping kept.
    assert "Le <mark>plan de trésorerie</mark> du film &lt;court&gt;" in html
    page_url = reverse("review:evidence_page", args=[assignment.pk, 41, 2])
    assert f'href="{page_url}?surligner=tresorerie#texte-page"' in html
    assert "Page de pièce justificative" in html
    assert candidacy.reference in html


def test_facets_keep_the_query_and_a_chosen_one_can_be_removed(evaluator, client, engine):
    engine.answer = results(
        "paie",
        [],
        total=0,
        facets={"kind": facet((Kind.EVIDENCE_PAGE, 3), (Kind.NARRATIVE, 1))},
    )
    response = client.get(evaluator_url(q="paie", type="narrative", page="1"))
    html = unescape(response.content.decode())
    assert 'href="?q=paie&type=evidence_page"' in html
    assert '<span aria-current="true">Récit d\'activité</span>' in html
    assert 'href="?q=paie">Retirer<span class="visually-hidden"> le filtre Type de texte' in html
    # A new search keeps the chosen facet.
    assert '<input type="hidden" name="type" value="narrative">' in html


def test_a_long_facet_shows_its_most_frequent_values_and_all_on_demand(evaluator, client, engine):
    # Twelve compétences, the most frequent first (as the engine sorts them).
    codes = [f"C{n // 4 + 1}.{n % 4 + 1}" for n in range(12)]
    counts = zip(codes, range(40, 28, -1), strict=True)
    engine.answer = results("paie", [], total=0, facets={"competence": facet(*counts)})
    html = unescape(client.get(evaluator_url(q="paie")).content.decode())
    shown = [code for code in codes if f'href="?q=paie&competence={code}"' in html]
    assert shown == codes[:10]
    assert (
        '<a href="?q=paie&tout=competence">Tout afficher (12)'
        '<span class="visually-hidden"> : Compétence</span></a>'
    ) in html
    html = unescape(client.get(evaluator_url(q="paie", tout="competence")).content.decode())
    shown = [code for code in codes if f'href="?q=paie&tout=competence&competence={code}"' in html]
    assert shown == codes
    assert '<a href="?q=paie">N\'afficher que les plus fréquents' in html
    assert "Tout afficher" not in html
    # A rare value once chosen stays in sight, marked as chosen.
    html = unescape(client.get(evaluator_url(q="paie", competence=codes[11])).content.decode())
    assert f'<span aria-current="true">{codes[11]}' in html
    assert [code for code in codes if f'&competence={code}"' in html] == codes[:10]


def test_a_short_facet_offers_no_more(evaluator, client, engine):
    engine.answer = results("paie", [], total=0, facets={"kind": facet((Kind.NARRATIVE, 2))})
    html = unescape(client.get(evaluator_url(q="paie")).content.decode())
    assert "Récit d'activité" in html
    assert "Tout afficher" not in html
    assert "plus fréquents" not in html


def test_an_empty_result_helps(evaluator, client, engine):
    response = client.get(evaluator_url(q="zzzz"))
    html = unescape(response.content.decode())
    assert "Aucun résultat pour «\u00a0zzzz\u00a0»" in html
    assert "les accents et les majuscules ne comptent pas" in html


def test_a_query_that_fell_back_says_so(evaluator, client, engine):
    engine.answer = results('"plan', [], fell_back=True)
    html = unescape(client.get(evaluator_url(q='"plan')).content.decode())
    assert "La syntaxe n'a pas pu être lue, recherche sur les mots." in html


def test_a_page_past_the_last_shows_the_last(evaluator, client, candidacy, engine):
    hits = [page_hit(candidacy.pk, 41, n) for n in range(1, 6)]
    engine.answer = results("paie", hits, total=45, page=3)
    response = client.get(evaluator_url(q="paie", page="9"))
    assert [call["page"] for call in engine.calls] == [9, 3]
    assert "La page 9 n'existe pas : voici la dernière page (3)." in unescape(
        response.content.decode()
    )


# -- the boxes in the spaces' pages -----------------------------------------------------


def test_the_workspace_and_the_dossier_offer_a_search_box(evaluator, client, assignment):
    html = client.get(reverse("review:workspace")).content.decode()
    assert f'action="{reverse("search:evaluator")}"' in html
    html = client.get(reverse("review:dossier", args=[assignment.pk])).content.decode()
    assert "Rechercher dans ce dossier" in html
    assert f'name="candidature" value="{assignment.candidacy_id}"' in html


def test_the_livret_offers_the_candidate_their_search(client, candidacy):
    log_in(client, candidacy.candidate)
    html = client.get(reverse("livret:dossier", args=[candidacy.pk])).content.decode()
    assert f'action="{reverse("search:candidate", args=[candidacy.pk])}"' in html
