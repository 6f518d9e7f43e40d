"""Staff's facet counts from the hits' ids and the entries' columns held in memory
(``search.backends.columns``, SQLite): the same counts as SQL's for every query and
filter, and a copy that follows the index's writes, rollbacks and flushes."""

import dataclasses
import random
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.api import backend, search
from search.backends import columns
from search.base import Filters, Kind
from search.models import IndexedEntry, IndexGeneration
from search.query import parse
from search.scope import scope_for
from tests.search.support import entry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite counts staff's hits in memory"
    ),
]

WORDS = ["paie", "budget", "trésorerie", "plan", "intermittents", "URSSAF", "devis", "film"]
BLOCS = {"BC1": ("C1.1", "C1.2"), "BC2": ("C2.1",), "BC3": ("C3.1", "C3.2")}


def varied(count=80, seed=7, first=1):
    """``count`` entries over six candidacies, every kind, several evidence types and
    states, zero to two blocs with some of their compétences, a few words each."""
    rng = random.Random(seed)
    entries = []
    for number in range(first, first + count):
        blocs = tuple(sorted(rng.sample(sorted(BLOCS), rng.randint(0, 2))))
        competences = tuple(
            sorted(code for bloc in blocs for code in BLOCS[bloc] if rng.random() < 0.7)
        )
        kind = rng.choice(Kind.values)
        entries.append(
            dataclasses.replace(
                entry(
                    f"{kind}:{number}",
                    " ".join(rng.choices(WORDS, k=rng.randint(2, 6))),
                    candidacy=rng.randint(1, 6),
                    object_id=number,
                ),
                kind=kind,
                page=None,
                blocs=blocs,
                competences=competences,
                evidence_type=rng.choice(["bulletin_paie", "budget", "plan_tresorerie"])
                if kind == Kind.EVIDENCE_PAGE
                else "",
                candidacy_state=rng.choice(["under_review", "jury", "certified"]),
            )
        )
    return entries


def folded(rows) -> Counter:
    """Hits by (facet, value), the SQL's tag lists split into their tags."""
    counted = Counter()
    for facet, value, hits in rows:
        if facet != columns.TAGS:
            counted[facet, str(value)] += hits
            continue
        for line in value.split(columns.TAG_LINES) if value else ():
            counted[tuple(line.split(":", 1))] += hits
    return counted


def sql_counts(query, certifier, filters):
    return folded(
        backend()._counted(
            parse(query), scope_for(certifier), filters, candidacy_ids=None, compiled={}
        )
    )


def memory_counts(query, filters=None):
    counted = backend()._counted_in_memory(parse(query), filters or Filters())
    return None if counted is None else folded(counted)


def held() -> columns.Snapshot:
    """This process's copy of the test database's columns."""
    (snapshot,) = columns._snapshots.values()
    return snapshot


def sql_total(query, certifier):
    counts = sql_counts(query, certifier, Filters())
    return sum(count for (facet, _value), count in counts.items() if facet == "kind")


QUERIES = [
    "paie",
    "budget trésorerie",
    '"plan de trésorerie"',
    "paie OR devis",
    "film -paie",
    "intermittents URSSAF",
    "absent",
]
FILTERS = [
    Filters(),
    Filters(kind=Kind.EVIDENCE_PAGE),
    Filters(evidence_type="budget"),
    Filters(state="jury"),
    Filters(bloc="BC1"),
    Filters(competence="C3.2"),
    Filters(kind=Kind.EVIDENCE_PAGE, bloc="BC2", state="under_review"),
    Filters(bloc="BC1", competence="C3.1"),  # a compétence of another bloc: nothing
    Filters(kind="unknown"),
    Filters(candidacy=3),  # a search narrows to it before counting, but the copy agrees
    Filters(candidacy="4", state="jury"),
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_counts_from_memory_are_the_counts_read_in_sql(certifier, query):
    backend().index(varied())
    for filters in FILTERS:
        assert memory_counts(query, filters) == sql_counts(query, certifier, filters), filters
    # And the search itself: its facets and total come from memory.
    results = search(query, user=certifier)
    assert results.total == sql_total(query, certifier)


def test_a_write_adds_a_generation_and_only_the_new_entries_are_read(certifier):
    engine = backend()
    engine.index(varied(40))
    assert IndexGeneration.objects.count() == 1
    assert search("paie", user=certifier).total
    engine.index(varied(10, seed=8, first=100))
    assert IndexGeneration.objects.count() == 2
    newest = max(IndexedEntry.objects.values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        results = search("paie", user=certifier)
    read = [query["sql"] for query in queries if "e.id >" in query["sql"]]
    assert len(read) == 1
    assert not any("vae_search_entry_groups" in query["sql"] for query in queries)
    for filters in FILTERS:
        assert memory_counts("paie", filters) == sql_counts("paie", certifier, filters)
    snapshot = held()
    assert snapshot.highest == newest
    # Nothing written since: nothing read again.
    with CaptureQueriesContext(connection) as queries:
        assert search("paie", user=certifier).total == results.total
    assert not any(IndexGeneration._meta.db_table in q["sql"] for q in queries[1:])


def test_deleted_entries_are_no_longer_counted(certifier):
    engine = backend()
    entries = varied(40)
    engine.index(entries)
    before = search("paie", user=certifier).total
    paid = [item.key for item in entries if "paie" in item.text.split()]
    engine.delete(paid[:3])
    assert search("paie", user=certifier).total == before - 3
    engine.clear()
    assert search("paie", user=certifier).total == 0


def test_a_rolled_back_write_is_not_counted_when_its_ids_come_back(certifier):
    engine = backend()
    engine.index(varied(20))
    with pytest.raises(RuntimeError), transaction.atomic():
        # Twenty pages « paie » in candidacy 9, seen by a search, then rolled back.
        engine.index(
            [entry(f"evidence_page:{n}:1", candidacy=9, object_id=n) for n in range(500, 520)]
        )
        rolled_back = set(IndexedEntry.objects.filter(candidacy_id=9).values_list("id", flat=True))
        assert search("paie", user=certifier, filters=Filters()).facets["candidacy"][0].value == "9"
        raise RuntimeError
    # The same ids again, other pages: « devis » in candidacy 8.
    engine.index(
        [
            entry(f"evidence_page:{n}:1", "Devis du loueur", candidacy=8, object_id=n)
            for n in range(600, 620)
        ]
    )
    assert set(IndexedEntry.objects.filter(candidacy_id=8).values_list("id", flat=True)) == (
        rolled_back
    )
    for query in ("paie", "devis"):
        assert memory_counts(query) == sql_counts(query, certifier, Filters())
    assert "9" not in {value.value for value in search("paie", user=certifier).facets["candidacy"]}


def test_a_snapshot_grown_twice_over_is_read_whole(certifier, monkeypatch):
    monkeypatch.setattr(columns, "SLACK", 0)
    engine = backend()
    engine.index(varied(10))
    search("paie", user=certifier)
    engine.index(varied(10, seed=8, first=100))
    with CaptureQueriesContext(connection) as queries:
        search("paie", user=certifier)
    assert any("e.id >" in query["sql"] for query in queries)  # it held 10, read whole
    assert held().whole == 10
    engine.index(varied(1, seed=9, first=200))
    with CaptureQueriesContext(connection) as queries:
        results = search("paie", user=certifier)
    assert not any("e.id >" in query["sql"] for query in queries)  # it held 20 = 2 × 10
    assert any("vae_search_entry_groups" in query["sql"] for query in queries)
    assert held().whole == 21
    assert results.total == sql_total("paie", certifier)


def test_old_generations_are_pruned_and_a_snapshot_that_old_is_read_whole(certifier, monkeypatch):
    monkeypatch.setattr(columns, "KEPT_GENERATIONS", 2)
    engine = backend()
    engine.index(varied(10))
    search("paie", user=certifier)
    for seed in range(3):
        engine.index(varied(2, seed=seed, first=100 + 10 * seed))
    assert IndexGeneration.objects.count() == 2
    with CaptureQueriesContext(connection) as queries:
        results = search("paie", user=certifier)
    assert not any("e.id >" in query["sql"] for query in queries)
    assert results.total == sql_total("paie", certifier)


def test_without_a_generation_the_counts_are_read_in_sql(certifier):
    backend().index(varied(20))
    IndexGeneration.objects.all().delete()  # as after a flush, or before the first write
    assert memory_counts("paie") is None
    assert search("paie", user=certifier).total == sql_total("paie", certifier)


def test_an_id_the_snapshot_does_not_hold_is_counted_in_sql(certifier, monkeypatch):
    backend().index(varied(20))
    known = search("paie", user=certifier)
    snapshot = held()
    # As if the snapshot had lost its last entries (never happens: ids only grow).
    stale = dataclasses.replace(snapshot, ids=snapshot.ids[:5], group_of=snapshot.group_of[:5])
    monkeypatch.setattr(columns, "snapshot", lambda *args: stale)
    assert memory_counts("paie") is None
    again = search("paie", user=certifier)
    assert (again.total, again.facets) == (known.total, known.facets)


def test_the_ids_listed_by_fts5_are_parsed_whole():
    assert columns.hit_ids(None).tolist() == []
    assert columns.hit_ids("").tolist() == []
    assert columns.hit_ids("3,1,200000000000").tolist() == [3, 1, 200000000000]
