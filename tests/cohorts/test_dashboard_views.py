"""The certifier's dashboard pages (cohorts.dashboard_views): who may see them, the filters,
a fixed number of queries, and the PDF report for the CPNEF."""

import datetime as dt
import re
import threading

import pytest
from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts import dashboard as dashboard_module
from cohorts import report_document
from cohorts.caching import SHARED, cache
from cohorts.dashboard import Filters, Quarter, cached_dashboard
from tests.accounts import admin_login_url, log_in
from tests.cohorts.dashboard_support import (
    chart_urls,
    consolidate,
    full_journey,
    get_charts,
    grids,
    held_session,
    journey,
    record_computations,
)
from tests.documents import get_pdf, is_pdf, pdf_bytes, pdf_pages_text, run_document_tasks
from tests.factories import UserFactory
from vae.enums import CandidacyState, DocumentKind, Role, Transition
from vae.models import Candidacy, CandidacyTransition, GeneratedDocument

pytestmark = pytest.mark.django_db
DASHBOARD = "cohorts_admin:dashboard"
PDF = "cohorts_admin:dashboard_pdf"
CHART = "cohorts_admin:dashboard_chart"
# The default period (the last eight quarters) holds every date below until 2027-06-30.
ALL_2026 = {"du": "2026-T1", "au": "2026-T4", "bloc": ""}


def add_cohort(certifier, session, *, units=1, first=0):
    """``units`` times three candidacies found recevable in 2026: one decided (BC2
    refused), one withdrawn after its filing, one still waiting for a jury past the
    three months (a missed delay)."""
    late = []
    for index in range(first, first + units):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=index % 60)
        full_journey(certifier, session, accepted_on=day, refused=("BC2",))
        journey(certifier, accepted_on=day, gaps=(10,), withdraw=True)
        late.append(journey(certifier, accepted_on=day, gaps=(30, 1, 60, 5))[0])
    return late


@pytest.fixture
def session(referentiel, certifier):
    return held_session(certifier, dt.date(2026, 4, 25))


def text(response) -> str:
    return response.content.decode()


def cache_keys() -> list[str]:
    """The keys the shared cache's table holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM vae_shared_cache")
        # Django's keys: « prefix:version:key ».
        return [row[0].split(":", 2)[2] for row in cursor.fetchall()]


def test_anonymous_is_sent_to_log_in(client, referentiel):
    for url in (reverse(DASHBOARD), reverse(PDF), reverse(CHART, args=["states"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_are_refused(client, referentiel, role):
    log_in(client, UserFactory(role=role))
    for url in (reverse(DASHBOARD), reverse(PDF), reverse(CHART, args=["states"])):
        response = client.get(url, ALL_2026)
        assert response.status_code in (302, 403)
        assert b"Tableau de bord du processus" not in response.content
        assert b"<svg" not in response.content
    assert not GeneratedDocument.objects.exists()


def test_the_certifier_sees_every_section_with_its_table_and_chart(client, certifier, session):
    late = add_cohort(certifier, session)
    log_in(client, certifier)
    response = client.get(reverse(DASHBOARD), ALL_2026)
    assert response.status_code == 200
    page = text(response)
    for heading in (
        "Candidatures par trimestre de recevabilité",
        "Passage d&#x27;une étape à la suivante",
        "Durée de chaque étape",
        "Abandons et étape où ils ont lieu",
        "Résultats par bloc",
        "Résultats par compétence",
        "Accord entre évaluateurs",
        "Sessions du jury et délais légaux",
    ):
        assert heading in page
    # Each chart an image at its own URL, labelled by its caption, sized before it comes.
    assert page.count('<img class="chart__svg"') == 9
    assert 'aria-labelledby="graphique-etats-titre graphique-etats-resume"' in page
    assert 'width="540" height="302" alt="Candidatures déclarées recevables' in page
    urls = chart_urls(response)
    assert urls[0].startswith(reverse(CHART, args=["states"]) + "?du=2026-T1&au=2026-T4&bloc=&v=")
    for chart in get_charts(client, response):
        assert chart.status_code == 200
        assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
        svg = chart.content.decode()
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert re.search(r"<title>[^<]{10,}</title>", svg)  # named, opened on its own
    assert "<title>Résultats par bloc (décisions signées)</title>" in text(client.get(urls[4]))
    # The missed delay links to the candidacy's page.
    assert f'href="{reverse("candidacy_admin:detail", args=[late[0].pk])}"' in page
    assert late[0].reference in page
    # The form keeps its values; the export carries the same filters.
    assert '<option value="2026-T4" selected>' in page
    assert "du=2026-T1&amp;au=2026-T4&amp;bloc=" in page


def test_the_bloc_filter_is_kept_and_applied(client, certifier, session):
    add_cohort(certifier, session)
    log_in(client, certifier)
    page = text(client.get(reverse(DASHBOARD), {**ALL_2026, "bloc": "BC3"}))
    assert '<option value="BC3" selected>' in page
    assert "bloc BC3" in page
    assert ">BC2 <" not in page  # the results per bloc show BC3 alone
    # The bloc alone: the default period.
    page = text(client.get(reverse(DASHBOARD), {"bloc": "BC3"}))
    assert "Filtres non valides" not in page
    assert "bloc BC3" in page and '<option value="BC3" selected>' in page


@pytest.mark.parametrize(
    "query",
    [
        {"du": "2026-T9", "au": "2026-T4"},
        {"du": "n'importe quoi", "au": ""},
        {"du": "2026-T4", "au": "2026-T1"},
        {"du": "2026-T1", "au": "2026-T4", "bloc": "BC9"},
        {"du": "1850-T1", "au": "2026-T1"},
    ],
    ids=["quarter-5", "garbage", "reversed", "unknown-bloc", "too-old"],
)
def test_bad_filters_give_a_french_message_and_the_default_period(client, certifier, query):
    log_in(client, certifier)
    response = client.get(reverse(DASHBOARD), query)
    assert response.status_code == 200
    page = text(response)
    assert "Filtres non valides" in page
    assert "la période par défaut est affichée" in page
    assert "Candidatures par trimestre de recevabilité" in page


def test_the_query_count_does_not_grow_with_the_candidacies(
    client, certifier, session, django_assert_num_queries
):
    add_cohort(certifier, session, units=1)
    log_in(client, certifier)
    url = reverse(DASHBOARD)
    client.get(url, ALL_2026)  # the session and the menus, once
    cache.clear()  # the figures computed again, not read from the cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, ALL_2026).status_code == 200
    add_cohort(certifier, session, units=9, first=1)
    cache.clear()
    with django_assert_num_queries(len(few)):
        response = client.get(url, ALL_2026)
    assert response.context["board"].overall.total == 30


def test_the_figures_are_cached_until_the_workflow_moves(client, certifier, session):
    add_cohort(certifier, session)
    log_in(client, certifier)
    url = reverse(DASHBOARD)
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        client.get(url, ALL_2026)
    with CaptureQueriesContext(connection) as cached:
        response = client.get(url, ALL_2026)
    assert len(cached) < len(computed)
    assert response.context["board"].overall.total == 3
    # A new candidacy found recevable (a transition row): computed again.
    journey(certifier, accepted_on=dt.date(2026, 3, 3))
    assert client.get(url, ALL_2026).context["board"].overall.total == 4


def test_the_figures_and_charts_are_shared_by_every_process(
    client, certifier, session, monkeypatch
):
    """Computed once for gunicorn's workers, the app servers and the task worker that
    renders the PDF: the pieces live in the shared cache's table, where another process
    (its own cache client, its own memory cache empty) finds every one of them."""
    add_cohort(certifier, session)
    log_in(client, certifier)
    url = reverse(DASHBOARD)
    first = client.get(url, ALL_2026)
    get_charts(client, first)
    keys = cache_keys()
    assert len([key for key in keys if key.startswith("cohorts-chart:")]) == 9
    assert len([key for key in keys if key.startswith("cohorts-chart-drawing:")]) == 9
    assert len([key for key in keys if key.startswith("cohorts-dashboard:")]) == 4 + 2
    other_process = caches.create_connection(SHARED)
    assert set(other_process.get_many(keys)) == set(keys)

    default_cache.clear()
    computed = record_computations(monkeypatch)
    second = client.get(url, ALL_2026)
    assert [chart.content for chart in get_charts(client, second)] == [
        chart.content for chart in get_charts(client, first)
    ]
    assert computed == []
    assert second.context["board"] == first.context["board"]
    assert second.context["charts"] == first.context["charts"]


def test_a_write_computes_again_only_the_sections_that_read_it(
    client, certifier, session, monkeypatch
):
    late = add_cohort(certifier, session)[0]
    log_in(client, certifier)
    url = reverse(DASHBOARD)
    get_charts(client, client.get(url, ALL_2026))
    computed = record_computations(monkeypatch)
    get_charts(client, client.get(url, ALL_2026))
    assert computed == []
    CandidacyTransition.objects.create(
        candidacy=late,
        transition=Transition.WITHDRAW,
        source_state=late.state,
        target_state=CandidacyState.WITHDRAWN,
        actor=late.candidate,
        actor_role=Role.CANDIDATE,
    )
    Candidacy.objects.filter(pk=late.pk).update(state=CandidacyState.WITHDRAWN)
    # A step of the workflow (a transition row): the states of its quarter move, the
    # other quarters and the results do not.
    page = client.get(url, ALL_2026)
    board = page.context["board"]
    assert computed == ["T1 2026"]  # the page draws no chart
    get_charts(client, page)
    # Its charts, those whose figures moved: the states, the withdrawals, the delays.
    assert computed == ["T1 2026", "graphique-etats", "graphique-abandons", "graphique-delais"]
    del computed[:]
    assert board.overall.withdrawn == 2
    # A consolidation: the results per compétence are counted again, the workflow is not.
    consolidate(late, certifier)
    page = client.get(url, ALL_2026)
    get_charts(client, page)
    board = page.context["board"]
    # (Its charts draw shares, which the same ratings again leave as they were.)
    assert computed == ["_results"]
    assert sum(row.consolidated.total for row in board.competences) == 2 * len(
        late.targeted_competences()
    )
    # A grid: the agreement only.
    grids(late)
    get_charts(client, client.get(url, ALL_2026))
    assert computed == ["_results", "_agreement"]


def test_a_chart_at_its_version_is_drawn_and_read_without_the_figures(
    client, certifier, session, monkeypatch
):
    add_cohort(certifier, session)
    log_in(client, certifier)
    page = client.get(reverse(DASHBOARD), ALL_2026)
    # The page left each drawing in the cache, for its chart's request.
    assert len([key for key in cache_keys() if key.startswith("cohorts-chart-drawing:")]) == 9
    computed = record_computations(monkeypatch)
    states = chart_urls(page)[0]

    def read_alone(url):
        """The response to ``url``, asserting that no figure was read for it."""
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert not [q for q in queries if "vae_candidacy" in q["sql"]]
        return response, len([q for q in queries if "vae_shared_cache" in q["sql"]])

    # Its first request draws it from the drawing, no section computed.
    first, _reads = read_alone(states)
    assert computed == ["graphique-etats"]
    # Asked again (the page opened again, another certifier): its SVG, in one query.
    again, reads = read_alone(states)
    assert again.content == first.content
    assert computed == ["graphique-etats"] and reads == 1
    # The page opened again with every chart drawn: no drawing written again.
    get_charts(client, page)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(DASHBOARD), ALL_2026)
    writes = [q for q in queries if "vae_shared_cache" in q["sql"] and "SELECT" not in q["sql"]]
    assert writes == []


@pytest.mark.parametrize(
    "version", ["0" * 32, "", "pas-une-version"], ids=["moved", "none", "garbage"]
)
def test_a_chart_whose_version_is_not_known_is_drawn_from_todays_figures(
    client, certifier, session, version
):
    add_cohort(certifier, session)
    log_in(client, certifier)
    today = client.get(chart_urls(client.get(reverse(DASHBOARD), ALL_2026))[3])
    response = client.get(reverse(CHART, args=["withdrawals"]), {**ALL_2026, "v": version})
    assert response.status_code == 200
    assert response.content == today.content
    assert "<title>Abandons selon l'état quitté, sur la période</title>" in today.content.decode()


@pytest.mark.parametrize(
    "name, query",
    [
        ("camembert", ALL_2026),
        ("states", {"du": "2026-T4", "au": "2026-T1"}),
        ("states", {**ALL_2026, "bloc": "BC9"}),
    ],
    ids=["unknown-chart", "reversed-period", "unknown-bloc"],
)
def test_a_chart_no_page_links_to_is_not_found(client, certifier, session, name, query):
    log_in(client, certifier)
    assert client.get(reverse(CHART, args=[name]), query).status_code == 404


def test_the_pdf_report_opens_and_prints_the_figures(client, certifier, session):
    late = add_cohort(certifier, session)
    log_in(client, certifier)
    url = reverse(PDF)
    pending = client.get(url, ALL_2026)
    assert pending.status_code == 200 and not is_pdf(pending)
    assert "Télécharger le rapport (PDF)" in text(pending)
    response = get_pdf(client, url, ALL_2026)
    pages, content = pdf_pages_text(pdf_bytes(response))
    content = " ".join(content.split())
    assert pages >= 2
    assert "Tableau de bord du processus de VAE" in content
    assert "du T1 2026 au T4 2026, tous les blocs" in content
    assert "BC2" in content and "Délais dépassés" in content
    assert late[0].reference in content
    assert late[0].candidate.last_name not in content  # no name in the CPNEF's report
    document = GeneratedDocument.objects.get(kind=DocumentKind.COHORT_REPORT)
    assert len(document.sha256) == 64 and document.candidacy_id is None
    # Asked again with the same figures: the stored file, not a new rendering.
    assert run_document_tasks() == 0
    assert pdf_bytes(client.get(url, ALL_2026)).startswith(b"%PDF")


def test_only_certifiers_download_the_stored_report(client, certifier, session):
    add_cohort(certifier, session)
    document = report_document.request_report(Filters(Quarter(2026, 1), Quarter(2026, 4)))
    run_document_tasks()
    download = reverse("documents:download", args=[document.pk])
    log_in(client, UserFactory(role=Role.JURY_MEMBER))
    assert client.get(download).status_code == 404
    log_in(client, certifier)
    response = client.get(download)
    assert is_pdf(response)
    assert pdf_bytes(response).startswith(b"%PDF")


def test_a_report_key_reads_back_its_filters():
    filters = Filters(Quarter(2025, 3), Quarter(2026, 2), "BC1")
    document = GeneratedDocument(key=report_document.report_key(filters))
    assert report_document.filters_of(document) == filters
    assert report_document.filters_of(GeneratedDocument(key="pv-12")) is None


@pytest.fixture
def threads_of(monkeypatch):
    """The agreement's and results' computations from here on: (name, thread)."""
    # As from a file (SQLite only has the method: PostgreSQL reads in turn before asking).
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False, raising=False)
    seen = []
    for name in ("_agreement", "_results"):
        compute = getattr(dashboard_module, name)

        def recording(*args, name=name, compute=compute):
            seen.append((name, threading.current_thread().name.split("_")[0]))
            return compute(*args)

        monkeypatch.setattr(dashboard_module, name, recording)
    return seen


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reads the sections aside")
@pytest.mark.django_db(transaction=True)
def test_a_first_view_reads_its_sections_aside_and_finds_the_same(
    certifier, session, settings, threads_of
):
    add_cohort(certifier, session)
    filters = Filters(Quarter(2026, 1), Quarter(2026, 4))
    settings.VAE_READERS = 0
    cache.clear()
    in_turn = cached_dashboard(filters)
    assert sorted(threads_of) == [("_agreement", "MainThread"), ("_results", "MainThread")]
    settings.VAE_READERS = 2
    cache.clear()
    del threads_of[:]
    assert cached_dashboard(filters) == in_turn
    assert sorted(threads_of) == [("_agreement", "vae-reader"), ("_results", "vae-reader")]
    # One section to compute: on the request's thread, no hand-over.
    cache.delete_many([key for key in cache_keys() if ":results:" in key])
    del threads_of[:]
    assert cached_dashboard(filters) == in_turn
    assert threads_of == [("_results", "MainThread")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reads the sections aside")
@pytest.mark.django_db(transaction=True)
def test_a_section_that_fails_aside_fails_the_page(certifier, session, threads_of, monkeypatch):
    add_cohort(certifier, session)
    filters = Filters(Quarter(2026, 1), Quarter(2026, 4))
    monkeypatch.setattr(dashboard_module, "_results", lambda filters: 1 / 0)
    cache.clear()
    with pytest.raises(ZeroDivisionError):
        cached_dashboard(filters)
    # The reader closed its connection: the next computation opens a sound one.
    monkeypatch.undo()
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    assert cached_dashboard(filters).overall.total == 3


def test_inside_a_transaction_the_sections_are_read_in_turn(certifier, session, threads_of):
    add_cohort(certifier, session)
    cache.clear()
    assert connection.in_atomic_block
    cached_dashboard(Filters(Quarter(2026, 1), Quarter(2026, 4)))
    assert sorted(threads_of) == [("_agreement", "MainThread"), ("_results", "MainThread")]
