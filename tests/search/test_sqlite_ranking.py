"""SQLite: a phrase's few hits within a few candidacies are ranked in Python with bm25()'s
formula (``SQLiteFullText.rank``), from the words' row counts the backend keeps
(``vae_search_term_docs``) instead of bm25()'s count of each phrase over the corpus."""

import pytest
from django.db import connection

from search.api import backend, search
from search.backends import sqlite
from search.backends.sqlite import SQLiteFullText, occurrences, varints
from search.base import Filters
from search.models import IndexedEntry
from search.query import parse
from tests.search.support import entry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only"),
]


TEXTS = [
    "Bulletin de paie de janvier, bulletin de paie de février.",
    "Le relevé bancaire et le bulletin de paie du mois.",
    "Relevé bancaire : paie versée, bulletin joint, paie de mars.",
    "Relevé bancaire du compte courant, relevé bancaire du compte épargne, relevé.",
    "Plan de trésorerie, relevé bancaire rapproché.",
    "Paie paie paie : le bulletin manque.",
]


def index_pages(candidacy=1, texts=TEXTS, start=1):
    backend().index(
        [
            entry(f"evidence_page:{start + n}:1", text, candidacy=candidacy, object_id=start + n)
            for n, text in enumerate(texts)
        ]
    )


def term_docs():
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, docs FROM vae_search_term_docs ORDER BY term")
        return cursor.fetchall()


def vocabulary():
    """What FTS5 itself counts (its ``fts5vocab`` view), scope tokens left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab"
            " USING fts5vocab(main, vae_search_fts, row)"
        )
        cursor.execute(
            "SELECT term, doc FROM temp.vocab WHERE term NOT LIKE 'candidacy%' ORDER BY term"
        )
        return cursor.fetchall()


def test_the_words_row_counts_follow_every_write(certifier):
    engine = backend()
    index_pages(candidacy=1)
    index_pages(candidacy=2, texts=TEXTS[:3], start=20)
    assert term_docs() == vocabulary() != []
    engine.index([entry("evidence_page:1:1", "Devis du traiteur", object_id=1)])  # rewritten
    assert term_docs() == vocabulary()
    engine.delete(["evidence_page:2:1"])
    engine.delete_object("evidence_page", 3)
    assert term_docs() == vocabulary()
    engine.clear(candidacy_id=2)
    assert term_docs() == vocabulary()
    assert ("dev", 1) in term_docs()
    engine.clear()
    assert term_docs() == vocabulary() == []


def test_the_averages_record_gives_the_row_and_token_counts(certifier):
    index_pages()
    with connection.cursor() as cursor:
        cursor.execute(sqlite.AVERAGES)
        rows, title, body, scope = varints(cursor.fetchone()[0])
        cursor.execute("SELECT title, body FROM vae_search_fts")
        stored = cursor.fetchall()
    assert (rows, scope) == (len(TEXTS), len(TEXTS))
    assert title == sum(len(t.split()) for t, _ in stored)
    assert body == sum(len(b.split()) for _, b in stored)
    assert varints(bytes([0x86, 0x8D, 0x20, 0x7F])) == [100_000, 127]
    assert varints(bytes([0xFF] * 8 + [0x01])) == [(2**56 - 1) << 8 | 1]


@pytest.mark.parametrize(
    ("stems", "phrase", "count"),
    [
        ("pai pai pai bulletin", ["pai"], 3),
        ("bulletin pai bulletin pai", ["bulletin", "pai"], 2),
        ("pai de pai de pai", ["pai", "de", "pai"], 2),  # overlapping, as FTS5 counts
        ("bulletin pai", ["pai", "bulletin"], 0),
        ("paie pai", ["pai"], 1),  # words, not letters
        ("", ["pai"], 0),
    ],
)
def test_occurrences_count_as_fts5(stems, phrase, count):
    assert occurrences(f" {stems} ", phrase) == count


def ranked(raw, candidacy=1):
    """``rank`` of the entries of ``candidacy`` matching ``raw``, and bm25()'s ranking of
    the same rows, as (id, score)."""
    query = parse(raw)
    engine = backend()
    fulltext = engine.fulltext
    ids, params = fulltext.matched(query, ranked=False, candidacy_ids=[candidacy])
    sql, sql_params = fulltext.matched(query, candidacy_ids=[candidacy])
    with connection.cursor() as cursor:
        in_python = fulltext.rank(cursor, query, ids, params)
        cursor.execute(f"SELECT id, score FROM ({sql}) r ORDER BY score DESC, id", sql_params)
        in_sql = cursor.fetchall()
    return in_python, in_sql


@pytest.mark.parametrize("raw", ["relevé", "paie bulletin", "paie OR relevé", "paie -relevé"])
def test_words_score_exactly_as_bm25(certifier, raw):
    index_pages()
    index_pages(candidacy=2, texts=TEXTS[2:], start=20)  # the counts are the corpus's
    in_python, in_sql = ranked(raw)
    assert [pk for pk, _ in in_python] == [pk for pk, _ in in_sql] != []
    assert [score for _, score in in_python] == pytest.approx([score for _, score in in_sql])


def test_one_phrase_ranks_as_bm25_ranks_it(certifier):
    # One phrase: its weight, whatever its row count, multiplies every row's score alike.
    index_pages()
    index_pages(candidacy=2, texts=TEXTS[2:], start=20)
    in_python, in_sql = ranked('"relevé bancaire"')
    assert [pk for pk, _ in in_python] == [pk for pk, _ in in_sql]
    assert len(in_python) == 4
    # The fourth text holds it three times. Its entry's id, not 4: the ids go on from
    # what earlier transactional tests of the worker committed.
    assert in_python[0][0] == IndexedEntry.objects.get(key="evidence_page:4:1").pk
    # bm25()'s weight of the phrase counts its rows (3 of 8 hold it); ``rank`` takes those
    # of its rarer word (« bancaire », the same 3 here), so the scores agree too.
    assert [score for _, score in in_python] == pytest.approx([score for _, score in in_sql])


def test_a_phrase_weighs_as_its_rarest_word(certifier):
    # « bulletin » and « paie » are each in 4 rows, « bulletin de paie » in 2: bm25() gives
    # the phrase more weight than ``rank`` does, which only changes the order where the
    # phrase competes with another clause.
    index_pages()
    in_python, in_sql = ranked('"bulletin de paie" OR relevé')
    assert sorted(pk for pk, _ in in_python) == sorted(pk for pk, _ in in_sql)
    docs = dict(term_docs())
    assert (docs["bulletin"], docs["pai"]) == (4, 4)


def test_a_narrowed_phrase_search_finds_the_same_hits_totals_and_facets(certifier, monkeypatch):
    index_pages()
    index_pages(candidacy=2, texts=TEXTS, start=20)

    def seen(raw):
        results = search(raw, user=certifier, filters=Filters(candidacy=1))
        return [hit.key for hit in results.hits], results.total, results.facets

    for raw in ('"bulletin de paie"', '"relevé bancaire" paie', '"relevé bancaire" -plan'):
        assert SQLiteFullText().ranks(parse(raw), 6)
        in_python = seen(raw)
        monkeypatch.setattr(SQLiteFullText, "ranks", lambda self, query, hits: False)
        in_sql = seen(raw)
        monkeypatch.undo()
        assert in_python[1:] == in_sql[1:]
        assert sorted(in_python[0]) == sorted(in_sql[0]) != []


def test_only_a_phrase_s_few_hits_are_ranked_in_python(monkeypatch):
    fulltext = SQLiteFullText()
    assert fulltext.ranks(parse('"bulletin de paie"'), sqlite.RANK_FEW)
    assert not fulltext.ranks(parse('"bulletin de paie"'), sqlite.RANK_FEW + 1)
    # bm25() counts a word's rows fast enough: its own ranking, exact, is kept.
    assert not fulltext.ranks(parse("relevé paie"), 10)


def test_a_phrase_no_row_holds_changes_no_score(certifier):
    # A synonym the corpus never uses is not looked for: it would add 0 to every score.
    index_pages()
    alone, _ = ranked('"relevé bancaire"')
    with_absent, in_sql = ranked('"relevé bancaire" OR "registre introuvable"')
    assert with_absent == alone
    assert [pk for pk, _ in with_absent] == [pk for pk, _ in in_sql]
