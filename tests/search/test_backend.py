"""The database backend's writes (upsert by key, deletes, clear, counts) and its vendor
part (FTS5 fed with our stems on SQLite, ``french_unaccent`` tsvector on PostgreSQL)."""

import dataclasses
import threading

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from search.api import backend, search
from search.backends import database
from search.backends.sqlite import SQLiteFullText
from search.base import Kind
from search.query import parse
from tests.search.support import entry

pytestmark = pytest.mark.django_db


def found(raw, user):
    return sorted(hit.key for hit in search(raw, user=user).hits)


def test_index_is_an_upsert_by_key(certifier):
    engine = backend()
    assert engine.index([entry(text="Bulletin de paie")]) == 1
    assert engine.index([entry(text="Relevé bancaire")]) == 1
    assert engine.counts() == {Kind.EVIDENCE_PAGE: 1}
    assert found("bulletin", certifier) == []
    assert found("bancaire", certifier) == ["evidence_page:1:1"]
    facets = search("bancaire", user=certifier).facets
    assert [(v.value, v.count) for v in facets["competence"]] == [("C1.1", 1), ("C1.2", 1)]


def test_the_same_key_twice_in_one_batch_keeps_the_last(certifier):
    backend().index([entry(text="Bulletin"), entry(text="Relevé")])
    assert found("relevé", certifier) == ["evidence_page:1:1"]
    assert found("bulletin", certifier) == []


def test_delete_by_key_by_object_and_clear(certifier):
    engine = backend()
    engine.index(
        [
            entry("evidence_page:1:1", page=1),
            entry("evidence_page:1:2", page=2),
            entry("evidence_page:2:1", object_id=2, candidacy=2),
            entry("evidence_page:3:1", object_id=3, candidacy=3),
        ]
    )
    assert engine.delete(["evidence_page:3:1", "nothing:9"]) == 1
    assert engine.delete_object(Kind.EVIDENCE_PAGE, 1) == 2
    assert found("paie", certifier) == ["evidence_page:2:1"]
    engine.index([entry("evidence_page:4:1", object_id=4, candidacy=4)])
    engine.clear(candidacy_id=2)
    assert found("paie", certifier) == ["evidence_page:4:1"]
    engine.clear()
    assert engine.counts() == {}
    assert found("paie", certifier) == []


@pytest.mark.parametrize(
    "raw",
    [
        '"); DROP TABLE vae_search_indexedentry; --',
        "paie* AND (NOT",
        "NEAR(paie bulletin) col:paie ^paie",
        "' OR 1=1 --",
        "%_%",
        "paie\x00bulletin",
    ],
    ids=["sql", "fts-operators", "fts-syntax", "quote", "like-wildcards", "nul"],
)
def test_hostile_input_is_plain_words(certifier, raw):
    backend().index([entry()])
    results = search(raw, user=certifier)
    assert results.total in (0, 1)
    assert backend().counts() == {Kind.EVIDENCE_PAGE: 1}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
def test_sqlite_stores_our_stems(certifier):
    backend().index([entry(text="Trésoreries d’intermittents")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body, scope FROM vae_search_fts")
        assert cursor.fetchall() == [("piec", "tresorer intermittent", "candidacy_1")]


def test_a_candidacys_scope_token_typed_in_the_box_finds_nothing(certifier):
    # The token narrows the searches of a few candidacies (SQLite); typed, it is two words.
    backend().index([entry(text="Bulletin de paie", candidacy=7)])
    assert found("candidacy_7", certifier) == []
    assert found('"candidacy_7" OR bulletin', certifier) == ["evidence_page:1:1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_folds_accents_then_stems(certifier):
    backend().index([entry(text="Trésoreries des intermittents")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Trésoreries des intermittents')")
        assert cursor.fetchone()[0] == "'intermittent':3 'tresorer':1"
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'vae_search_entry_tsv'")
        assert "gin (tsv)" in cursor.fetchone()[0]
    assert found("tresorerie", certifier) == ["evidence_page:1:1"]


def test_a_key_written_meanwhile_by_another_task_is_replaced(certifier, monkeypatch):
    engine = backend()
    engine.index([entry(text="Bulletin")])
    erase = type(engine)._erase
    calls = []

    def late_erase(self, cursor, fulltext, ids):
        # The first time, as if the other task's row were not committed yet when we looked.
        calls.append(ids)
        return 0 if len(calls) == 1 else erase(self, cursor, fulltext, ids)

    monkeypatch.setattr(type(engine), "_erase", late_erase)
    assert engine.index([entry(text="Relevé")]) == 1
    assert len(calls) == 2
    assert found("relevé", certifier) == ["evidence_page:1:1"]
    assert found("bulletin", certifier) == []


def counted_in_sql(monkeypatch):
    """Staff's counts read in SQL on SQLite, not from the entries' columns in memory."""
    monkeypatch.setattr(SQLiteFullText, "listed", lambda self, match_sql: None)


@pytest.fixture(params=["memory", "read", "walked"])
def counted(request, monkeypatch):
    """How staff's counts read the hits on SQLite: their ids looked up in the entries'
    columns held in memory (``search.backends.columns``), or in SQL, the matches read then
    grouped, or the groups index walked (``SQLiteFullText.walks_groups``: a word most
    entries hold). PostgreSQL reads them in SQL, its one way."""
    if request.param != "read" and connection.vendor != "sqlite":
        pytest.skip("only SQLite counts in memory and walks its groups index")
    if request.param != "memory":
        counted_in_sql(monkeypatch)
    walks = request.param == "walked"
    monkeypatch.setattr(SQLiteFullText, "walks_groups", lambda self, cursor, query: walks)
    return request.param


def test_each_facet_sums_the_hits_of_every_combination(certifier, counted):
    # Four combinations of row facets and tags: the same tag list in two candidacies, two
    # tag lists in one state, and one row facet (the state) apart.
    backend().index(
        [
            entry("evidence_page:1:1", page=1),
            entry("evidence_page:1:2", page=2),
            dataclasses.replace(
                entry("evidence_page:2:1", object_id=2, candidacy=2), competences=("C1.1",)
            ),
            dataclasses.replace(
                entry("evidence_page:3:1", object_id=3, candidacy=3), candidacy_state="jury"
            ),
            entry("evidence_page:4:1", "Relevé bancaire", object_id=4, candidacy=4),
        ]
    )
    results = search("paie", user=certifier)
    counts = {name: [(v.value, v.count) for v in values] for name, values in results.facets.items()}
    assert results.total == 4
    assert counts["candidacy"] == [("1", 2), ("2", 1), ("3", 1)]
    assert counts["kind"] == [(Kind.EVIDENCE_PAGE, 4)]
    assert counts["evidence_type"] == [("bulletin_paie", 4)]
    assert counts["state"] == [("under_review", 3), ("jury", 1)]
    assert counts["bloc"] == [("BC1", 4)]
    assert counts["competence"] == [("C1.1", 4), ("C1.2", 3)]


def corpus_of_thirty():
    """30 pages that match « paie » in 30 candidacies (two pages of results), with
    different scores (the word repeated), and one that does not."""
    backend().index(
        [
            entry(
                f"evidence_page:{n}:1", "Bulletin de paie " * (n % 4 + 1), object_id=n, candidacy=n
            )
            for n in range(1, 31)
        ]
        + [entry("evidence_page:99:1", "Relevé bancaire", object_id=99, candidacy=99)]
    )


def seen(results):
    return (
        results.total,
        results.facets,
        [(hit.key, hit.score, hit.snippet) for hit in results.hits],
    )


@pytest.fixture
def reads(monkeypatch):
    """The names of the threads that read a page aside; the database taken for a file,
    where reading aside pays (the tests' in-memory database would work, only slower)."""
    names = []
    read = database._read

    def recorded(*args):
        names.append(threading.current_thread().name)
        return read(*args)

    monkeypatch.setattr(database, "_read", recorded)
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    return names


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reads its ranked page aside")
@pytest.mark.django_db(transaction=True)
def test_a_broad_scopes_page_is_read_aside_and_found_the_same(certifier, settings, reads):
    corpus_of_thirty()
    settings.VAE_READERS = 0
    in_turn = [search("paie", user=certifier, page=page) for page in (1, 2, 3)]
    assert reads == []
    settings.VAE_READERS = 2
    aside = [search("paie", user=certifier, page=page) for page in (1, 2, 3)]
    assert [name.split("_")[0] for name in reads] == ["vae-reader"] * 3
    assert [seen(results) for results in aside] == [seen(results) for results in in_turn]
    assert [len(results.hits) for results in aside] == [20, 10, 0]
    assert aside[0].total == 30


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reads its ranked page aside")
def test_inside_a_transaction_the_page_is_read_on_the_same_connection(certifier, reads):
    # Another connection would not see the transaction's rows: here, the whole index.
    assert connection.in_atomic_block
    corpus_of_thirty()
    assert search("paie", user=certifier).total == 30
    assert len(search("paie", user=certifier).hits) == 20
    assert reads == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reads its ranked page aside")
@pytest.mark.django_db(transaction=True)
def test_a_failed_read_aside_reaches_the_search(certifier, settings, reads, monkeypatch):
    corpus_of_thirty()
    page_sql = database.DatabaseBackend._page_sql
    monkeypatch.setattr(
        database.DatabaseBackend, "_page_sql", lambda *args, **kwargs: ("SELECT nothing", [])
    )
    with pytest.raises(DatabaseError):
        search("paie", user=certifier)
    monkeypatch.setattr(database.DatabaseBackend, "_page_sql", page_sql)
    # The reader closed the connection its error may have spoiled: the next read opens one.
    assert len(search("paie", user=certifier).hits) == 20
    assert [name.split("_")[0] for name in reads] == ["vae-reader"] * 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite walks its groups index")
def test_a_word_most_entries_hold_is_counted_by_walking_the_groups(certifier, monkeypatch):
    counted_in_sql(monkeypatch)  # a broad scope other than staff's counts in SQL
    # « paie » in 4 of the 6 entries, « bancaire » in 2.
    backend().index(
        [entry(f"evidence_page:{n}:1", object_id=n, candidacy=n) for n in range(1, 5)]
        + [
            entry(f"evidence_page:{n}:1", "Relevé bancaire", object_id=n, candidacy=n)
            for n in (5, 6)
        ]
    )
    fulltext = backend().fulltext
    with connection.cursor() as cursor:
        assert fulltext.walks_groups(cursor, parse("paie"))
        assert not fulltext.walks_groups(cursor, parse("bancaire"))
        assert fulltext.walks_groups(cursor, parse("paie OR bancaire"))  # 6 at most
        assert not fulltext.walks_groups(cursor, parse("paie bancaire"))  # 2 at most
        assert fulltext.walks_groups(cursor, parse("paie -bancaire"))  # 4 at most
        # A phrase's words bound its hits loosely: never walked.
        assert not fulltext.walks_groups(cursor, parse('"bulletin de paie"'))
        assert not fulltext.walks_groups(cursor, parse("inconnu"))
    with CaptureQueriesContext(connection) as queries:
        results = search("paie", user=certifier)
    assert results.total == 4
    assert len(results.hits) == 4
    assert sum("vae_search_entry_groups" in query["sql"] for query in queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert search("bancaire", user=certifier).total == 2
    assert not any("vae_search_entry_groups" in query["sql"] for query in queries)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite walks its groups index")
def test_an_empty_index_walks_nothing(certifier):
    with connection.cursor() as cursor:
        assert not backend().fulltext.walks_groups(cursor, parse("paie"))
    assert search("paie", user=certifier).total == 0
